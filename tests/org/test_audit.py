"""Every read of a full phone number is audited, allowed or refused (R12.2), and the audit page
is for administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from sqm.org.audit import record, reveal_phone
from sqm.org.core.masking import mask_phone
from sqm.org.core.roles import Role
from sqm.org.models import AuditLog

PHONE = "13912345678"


@pytest.mark.parametrize(
    ("phone", "masked"),
    [
        ("13912345678", "139****5678"),
        (" 13912345678 ", "139****5678"),
        ("02584561234", "025****1234"),
        ("+8613912345678", "+86*******5678"),
        ("123456", "******"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone_keeps_only_the_first_three_and_last_four(
    phone: str | None, masked: str
) -> None:
    assert mask_phone(phone) == masked


def test_a_masked_number_never_contains_the_middle_digits() -> None:
    assert "1234" not in mask_phone(PHONE)[3:-4]


def test_a_seven_digit_local_number_is_not_shown_whole() -> None:
    assert mask_phone("8456123") == "84***23"
    assert mask_phone("025845612") == "02*****12"


@pytest.mark.django_db
def test_a_branch_manager_may_reveal_and_the_reveal_is_logged(cast: dict[str, Any]) -> None:
    manager = cast["manager_a"]
    assert reveal_phone(manager, "complaint", 42, PHONE, reason="回访") == PHONE
    entry = AuditLog.objects.get()
    assert (entry.actor, entry.action) == (manager, "phone.reveal")
    assert (entry.object_type, entry.object_id) == ("complaint", "42")
    assert entry.detail == {"reason": "回访", "shown": "139****5678"}
    # The log itself never holds the full number.
    assert PHONE not in str(entry.detail)


@pytest.mark.django_db
def test_an_analyst_is_refused_and_the_refusal_is_logged(cast: dict[str, Any]) -> None:
    with pytest.raises(PermissionDenied):
        reveal_phone(cast["analyst"], "complaint", 42, PHONE, reason="好奇")
    entry = AuditLog.objects.get()
    assert (entry.actor, entry.action) == (cast["analyst"], "phone.reveal_denied")
    assert entry.detail == {"reason": "好奇", "refused": "role"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.ADMINISTRATOR, True),
        (Role.COMPLAINT_HANDLER, True),
        (Role.EXECUTIVE, False),
        (Role.SPAM_REVIEWER, False),
        (Role.SUPERVISOR, False),
    ],
)
def test_every_role_s_reveal_is_logged_whatever_the_answer(
    reference: None, role: Role, allowed: bool
) -> None:
    from sqm.org.users import create_user

    user = create_user(f"u-{role.value}", role, branch="NJ")
    try:
        reveal_phone(user, "customer", "C1", PHONE, reason="test")
        revealed = True
    except PermissionDenied:
        revealed = False
    assert revealed is allowed
    expected = "phone.reveal" if allowed else "phone.reveal_denied"
    assert list(AuditLog.objects.values_list("action", flat=True)) == [expected]


@pytest.mark.django_db
def test_an_anonymous_reveal_is_refused_and_logged_without_an_actor(reference: None) -> None:
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        reveal_phone(AnonymousUser(), "customer", "C1", PHONE, reason="?")
    assert AuditLog.objects.get().actor is None


@pytest.mark.django_db
def test_the_audit_page_lists_reveals_for_an_administrator(cast: dict[str, Any]) -> None:
    from sqm.org.users import create_user

    admin = create_user("admin", Role.ADMINISTRATOR)
    reveal_phone(cast["manager_a"], "complaint", 7, PHONE, reason="回访")
    with pytest.raises(PermissionDenied):
        reveal_phone(cast["analyst"], "complaint", 8, PHONE, reason="好奇")
    record(admin, "user.create", "user", "manager_a")

    client = Client()
    client.force_login(admin)
    html = client.get("/org/audit/").content.decode()
    assert "phone.reveal_denied" in html and "complaint:7" in html and "manager_a" in html
    assert PHONE not in html and "139****5678" in html

    filtered = client.get("/org/audit/", {"action": "phone.reveal_denied"}).content.decode()
    assert "complaint:8" in filtered and "complaint:7" not in filtered


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["analyst", "manager_a", "manager_b"])
def test_the_audit_page_is_refused_to_everyone_else(cast: dict[str, Any], who: str) -> None:
    client = Client()
    client.force_login(cast[who])
    assert client.get("/org/audit/").status_code == 403


@pytest.mark.django_db
def test_the_audit_page_writes_roles_and_values_as_words_not_python(
    cast: dict[str, Any],
) -> None:
    from sqm.org.users import create_user

    admin = create_user("admin", Role.ADMINISTRATOR)
    record(admin, "user.create", "user", "x", active=True, branch=None)
    client = Client()
    client.force_login(admin)
    html = client.get("/org/audit/").content.decode()
    assert "<b>active</b> 是" in html and "<b>branch</b> —" in html
    assert "None" not in html and "True" not in html
    assert '<span class="muted">系统管理员</span>' in html  # the role, not "administrator"
