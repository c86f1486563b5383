"""The spam pages: who sees which cases, who may decide, htmx decisions, appeals, dashboard."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from sqm.spam import services
from sqm.spam.models import Appeal, SenderCase, Suspension

pytestmark = pytest.mark.django_db
MakeCase = Callable[..., Any]
PAGES = ("spam:queue", "spam:appeals", "spam:quality")


def _client(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def two_cases(make_case: MakeCase) -> tuple[Any, Any]:
    return make_case("13900000001", branch="NJ"), make_case("13900000002", branch="WX")


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(page: str, two_cases: Any) -> None:
    response = Client().get(reverse(page), follow=True)
    assert response.resolver_match.view_name == "login"


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["executive", "handler_a"])
def test_people_outside_the_spam_roles_get_403(
    people: dict[str, Any], two_cases: Any, page: str, who: str
) -> None:
    assert _client(people[who]).get(reverse(page)).status_code == 403


@pytest.mark.parametrize(
    ("who", "sees", "hidden"),
    [
        ("analyst", ("139****0001", "139****0002"), ()),
        ("spam_reviewer", ("139****0001", "139****0002"), ()),
        ("admin", ("139****0001", "139****0002"), ()),
        ("manager_a", ("139****0001", "南京"), ("139****0002", "无锡")),
        ("manager_b", ("139****0002", "无锡"), ("139****0001", "南京")),
    ],
)
def test_the_queue_shows_each_person_their_scope(
    people: dict[str, Any], two_cases: Any, who: str, sees: tuple[str, ...], hidden: tuple[str, ...]
) -> None:
    body = _client(people[who]).get(reverse("spam:queue")).content.decode()
    table = body[body.index('id="case-table"') :]
    assert all(text in table for text in sees), who
    assert not any(text in table for text in hidden), who
    assert "13900000001" not in body  # numbers are shown masked


def test_a_manager_cannot_open_another_branchs_case(people: dict[str, Any], two_cases: Any) -> None:
    nanjing, wuxi = two_cases
    client = _client(people["manager_b"])
    assert client.get(reverse("spam:case", args=[nanjing.pk])).status_code == 404
    page = client.get(reverse("spam:case", args=[wuxi.pk])).content.decode()
    assert "代开各类发票" in page and 'id="confirm-button"' not in page  # evidence, but no decision


def test_a_reviewer_sees_the_evidence_and_the_decision_buttons(
    people: dict[str, Any], two_cases: Any
) -> None:
    nanjing, _ = two_cases
    page = (
        _client(people["spam_reviewer"])
        .get(reverse("spam:case", args=[nanjing.pk]))
        .content.decode()
    )
    for text in (
        "代开各类发票",
        "139****0000",
        'id="confirm-button"',
        'id="reject-button"',
        "风险构成",
    ):
        assert text in page, text
    assert 'hx-post="/spam/cases/' in page


def test_an_htmx_confirmation_suspends_and_goes_on_to_the_next_case(
    people: dict[str, Any], two_cases: Any
) -> None:
    nanjing, wuxi = two_cases
    client = _client(people["spam_reviewer"])
    response = client.post(
        reverse("spam:review", args=[nanjing.pk]),
        {"decision": "confirm", "note": "发票广告", "confirmed": "yes"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == reverse("spam:case", args=[wuxi.pk])
    assert SenderCase.objects.get(pk=nanjing.pk).status == "suspended"
    page = client.get(response["HX-Redirect"]).content.decode()
    assert f"案件 {nanjing.pk}:已确认违规,已下发停机指令" in page
    decided = client.get(reverse("spam:case", args=[nanjing.pk])).content.decode()
    assert 'id="suspension-notice"' in decided and "发票广告" in decided
    assert 'id="confirm-button"' not in decided  # decided: no second vote from the same person


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"note": "发票广告"}, "请勾选确认"),
        ({"confirmed": "yes"}, "须填写审核意见"),
        ({"note": "   ", "confirmed": "yes"}, "须填写审核意见"),
    ],
)
def test_a_suspension_needs_the_confirmation_box_and_a_reason(
    people: dict[str, Any], two_cases: Any, form: dict[str, str], reason: str
) -> None:
    nanjing, _ = two_cases
    response = _client(people["spam_reviewer"]).post(
        reverse("spam:review", args=[nanjing.pk]),
        {"decision": "confirm", **form},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body and 'id="confirm-button"' in body  # the panel, to try again
    assert SenderCase.objects.get(pk=nanjing.pk).status == nanjing.status
    assert not Suspension.objects.exists()


def test_a_plain_form_post_goes_on_to_the_next_case_and_the_queue_after_the_last(
    people: dict[str, Any], two_cases: Any
) -> None:
    nanjing, wuxi = two_cases
    client = _client(people["admin"])
    response = client.post(
        reverse("spam:review", args=[nanjing.pk]), {"decision": "reject"}, follow=True
    )
    assert response.resolver_match.view_name == "spam:case"
    assert response.resolver_match.kwargs == {"pk": wuxi.pk}
    assert SenderCase.objects.get(pk=nanjing.pk).status == "rejected"
    last = client.post(reverse("spam:review", args=[wuxi.pk]), {"decision": "reject"}, follow=True)
    assert last.resolver_match.view_name == "spam:queue"
    again = _client(people["spam_reviewer"]).post(
        reverse("spam:review", args=[nanjing.pk]),
        {"decision": "confirm", "note": "发票广告", "confirmed": "yes"},
        headers={"HX-Request": "true"},
    )
    assert again.status_code == 409 and "无法审核" in again.content.decode()


def test_a_decision_the_page_does_not_know_is_bad_input_not_a_conflict(
    people: dict[str, Any], two_cases: Any
) -> None:
    # The page answered 409 for any refusal; like the APIs (sqm.lib.refusals) a wrong value
    # is 400 and only a step the case's state forbids is 409.
    nanjing, _ = two_cases
    response = _client(people["admin"]).post(
        reverse("spam:review", args=[nanjing.pk]),
        {"decision": "maybe"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400 and "无法审核" in response.content.decode()
    assert SenderCase.objects.get(pk=nanjing.pk).status == nanjing.status


@pytest.mark.parametrize("who", ["analyst", "manager_a"])
def test_viewers_who_may_not_decide_get_403_when_they_post(
    people: dict[str, Any], two_cases: Any, who: str
) -> None:
    nanjing, _ = two_cases
    response = _client(people[who]).post(
        reverse("spam:review", args=[nanjing.pk]), {"decision": "confirm"}
    )
    assert response.status_code == 403
    assert not Suspension.objects.exists()


def test_appeals_are_recorded_and_decided_through_the_pages(
    people: dict[str, Any], two_cases: Any
) -> None:
    nanjing, _ = two_cases
    services.review_case(nanjing.pk, people["spam_reviewer"], "confirm")
    second = _client(people["spam_reviewer_2"])
    detail = second.get(reverse("spam:case", args=[nanjing.pk])).content.decode()
    assert 'id="appeal-form"' in detail and "停机通知" in detail
    second.post(
        reverse("spam:file_appeal", args=[nanjing.pk]), {"reason": "号码被盗用", "channel": "hall"}
    )
    appeal = Appeal.objects.get()
    listing = second.get(reverse("spam:appeals")).content.decode()
    assert "号码被盗用" in listing and "139****0001" in listing
    second.post(reverse("spam:decide_appeal", args=[appeal.pk]), {"outcome": "granted"})
    assert SenderCase.objects.get(pk=nanjing.pk).status == "restored"
    manager_b = _client(people["manager_b"]).get(reverse("spam:appeals")).content.decode()
    assert "139****0001" not in manager_b


def test_the_quality_dashboard_shows_precision_wrongful_blocks_and_a_local_plotly_chart(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    cases = [make_case(f"1390000000{i}") for i in range(4)]
    for case in cases[:3]:
        services.review_case(case.pk, people["spam_reviewer"], "confirm")
    services.review_case(cases[3].pk, people["spam_reviewer"], "reject")
    appeal = services.file_appeal(cases[0].pk, people["spam_reviewer_2"], "误停", "hotline")
    services.decide_appeal(appeal.pk, people["spam_reviewer_2"], grant=True)
    body = _client(people["analyst"]).get(reverse("spam:quality")).content.decode()
    assert 'id="precision">75.0%' in body  # 3 of 4 decided cases confirmed
    assert 'id="wrongful-rate">33.3%' in body  # 1 of 3 suspensions restored on appeal
    assert f'<script src="{reverse("plotly_js")}"></script>' in body
    # Drawn by the one chart script (sqm.lib.charts' figure, web/static/web/charts.js).
    assert 'data-figure="quality-chart-data"' in body and "web/charts.js" in body
    assert "cdn." not in body
    assert cases[0].model_version.version in body


def test_the_pages_speak_english_when_asked(people: dict[str, Any], two_cases: Any) -> None:
    client = _client(people["spam_reviewer"])
    client.cookies["django_language"] = "en"
    body = client.get(reverse("spam:queue")).content.decode()
    assert "Spam review queue" in body and "垃圾短信审核队列" not in body
