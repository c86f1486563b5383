"""Phone numbers typed into spam messages and review notes are masked on the spam pages
and in the spam API for roles without the reveal right (spam reviewers); an administrator, who
may reveal numbers, reads them whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from sqm.org.core.roles import Role
from sqm.org.users import create_user
from sqm.spam.models import Review

pytestmark = pytest.mark.django_db
TYPED = "13812345678"
MASKED = "138****5678"


@pytest.fixture
def case(make_case: Callable[..., Any]) -> Any:
    case = make_case("13900000001", branch="NJ")
    case.evidence["messages"][0]["text"] = f"代开发票,联系王经理 {TYPED}!"
    case.save(update_fields=["evidence"])
    return case


def _client(role: Role) -> Client:
    client = Client()
    client.force_login(create_user(f"u-{role.value}", role))
    return client


def _with_note(case: Any) -> None:
    reviewer = create_user("first-reviewer", Role.SPAM_REVIEWER)
    Review.objects.create(
        case=case,
        reviewer=reviewer,
        decision="confirm",
        note=f"举报人留了回访电话 {TYPED}",
        model_version=case.model_version,
    )


def test_a_spam_reviewer_reads_typed_numbers_masked_on_the_case_page(case: Any) -> None:
    _with_note(case)
    html = _client(Role.SPAM_REVIEWER).get(f"/spam/cases/{case.pk}/").content.decode()
    assert "代开发票,联系王经理" in html and "举报人留了回访电话" in html
    assert TYPED not in html and html.count(MASKED) >= 2


def test_a_spam_reviewer_reads_typed_numbers_masked_in_the_api(case: Any) -> None:
    _with_note(case)
    body = _client(Role.SPAM_REVIEWER).get(f"/api/v1/spam/cases/{case.pk}").json()
    assert body["evidence"]["messages"][0]["text"] == f"代开发票,联系王经理 {MASKED}!"
    assert body["reviews"][0]["note"] == f"举报人留了回访电话 {MASKED}"
    assert TYPED not in str(body)


def test_an_administrator_reads_them_whole(case: Any) -> None:
    body = _client(Role.ADMINISTRATOR).get(f"/api/v1/spam/cases/{case.pk}").json()
    assert body["evidence"]["messages"][0]["text"] == f"代开发票,联系王经理 {TYPED}!"
