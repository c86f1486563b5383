"""Who hears of an item: the owner on assignment, reminders and verification, the department
head (its liaison) and then the vice president (the executives) on escalation — and never
someone whose scope lacks the item's branch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from sqm.improvement import services
from sqm.notifications import services as notifications
from tests.improvement.conftest import MakeAction

pytestmark = pytest.mark.django_db


def kinds(user: Any) -> list[str]:
    return sorted(notifications.visible_notifications(user).values_list("kind", flat=True))


def test_the_owner_hears_of_the_assignment_once_with_a_link_to_the_item(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action(owner=people["manager_a"])
    note = notifications.visible_notifications(people["manager_a"]).get()
    assert note.kind == "assignment" and note.url == f"/improvement/actions/{item.pk}/"
    assert item.number in note.title % note.params


def test_escalation_reaches_the_department_liaison_then_the_executives(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    make_action(department="network", branch=None, deadline=date(2027, 1, 11))
    services.sweep(datetime(2027, 1, 12, 2, tzinfo=UTC))
    assert "escalated" in kinds(people["liaison"])
    assert "escalated" not in kinds(people["executive"])
    services.sweep(datetime(2027, 1, 20, 2, tzinfo=UTC))
    services.sweep(datetime(2027, 1, 20, 2, tzinfo=UTC))
    assert kinds(people["executive"]).count("escalated") == 1


def test_a_person_whose_scope_lacks_the_branch_is_not_told(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    make_action(owner=people["manager_b"], branch="NJ")
    assert kinds(people["manager_b"]) == []


def test_the_owner_hears_when_the_item_is_verified(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action(owner=people["manager_a"])
    services.add_evidence(people["manager_a"], item.pk, note="已完成")
    services.take_step(people["manager_a"], item.pk, "complete")
    services.take_step(people["analyst"], item.pk, "verify")
    assert kinds(people["manager_a"]) == ["assignment", "verified"]
