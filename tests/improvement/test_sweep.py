"""The sweep: reminders before the deadline, the overdue notice and the escalation, each once
however often it runs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from sqm.improvement import services
from sqm.improvement.models import ActionEvent
from tests.improvement.conftest import MakeAction

pytestmark = pytest.mark.django_db


def shanghai(day: int, hour: int) -> datetime:
    return datetime(2027, 1, day, hour - 8, 0, tzinfo=UTC)


def test_a_sweep_reminds_once_and_a_second_sweep_does_nothing(make_action: MakeAction) -> None:
    item = make_action(deadline=date(2027, 1, 13))  # a Wednesday
    first = services.sweep(shanghai(12, 10))
    again = services.sweep(shanghai(12, 10))
    assert (first.reminded, again.reminded) == (1, 0)
    item.refresh_from_db()
    assert item.reminded and item.level == 0


def test_an_overdue_item_is_notified_and_escalated_to_the_department_head_then_the_vp(
    make_action: MakeAction,
) -> None:
    item = make_action(deadline=date(2027, 1, 11))  # Monday, due 17:30
    tuesday = services.sweep(shanghai(12, 10))
    assert (tuesday.overdue, tuesday.escalated) == (1, 1)
    item.refresh_from_db()
    assert item.level == 1 and item.overdue_notified
    assert services.sweep(shanghai(13, 10)).escalated == 0
    services.sweep(shanghai(14, 17).replace(minute=31))  # Thursday 17:31: three working days late
    item.refresh_from_db()
    assert item.level == 2
    kinds = list(ActionEvent.objects.filter(action=item).values_list("kind", flat=True))
    assert kinds.count("escalated") == 2 and kinds.count("overdue") == 1


def test_an_escalation_bumps_the_version_so_a_page_read_before_it_is_stale(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action(deadline=date(2027, 1, 11))
    services.sweep(shanghai(12, 10))
    with pytest.raises(services.ConcurrentEdit):
        services.take_step(people["manager_a"], item.pk, "start", expected_version=item.version)


def test_done_items_are_not_chased(people: dict[str, Any], make_action: MakeAction) -> None:
    item = make_action(deadline=date(2027, 1, 11))
    services.add_evidence(people["manager_a"], item.pk, note="已完成")
    services.take_step(people["manager_a"], item.pk, "complete")
    report = services.sweep(shanghai(20, 10))
    assert (report.reminded, report.overdue, report.escalated) == (0, 0, 0)
