"""Deadlines, reminders and escalation on the working calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqm.complaints.core.calendar import SHANGHAI, WorkingCalendar
from sqm.improvement.core.actions import ActionStatus
from sqm.improvement.core.deadlines import (
    ItemState,
    Level,
    Notice,
    Standing,
    due_at,
    level_due,
    standing,
    sweep_plan,
)

# 2027-01-01 (Fri) is a holiday; 2027-01-02/03 the weekend.
CAL = WorkingCalendar(holidays=frozenset({date(2027, 1, 1)}))
DEADLINE = date(2027, 1, 4)  # Monday


def at(day: int, hour: int, minute: int = 0, month: int = 1, year: int = 2027) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def test_an_item_falls_due_at_the_close_of_its_deadline_day() -> None:
    assert due_at(CAL, DEADLINE) == at(4, 17, 30)


def test_due_soon_counts_working_days_so_a_holiday_weekend_does_not_shorten_the_warning() -> None:
    # Thursday 31 Dec 12:00 → Monday 17:30 is 5.5 + 9 working hours (Friday a holiday, then
    # the weekend): 14.5 h, under two working days of 9 h, so due soon.
    assert standing(CAL, DEADLINE, ActionStatus.OPEN, at(31, 12, month=12, year=2026)) == (
        Standing.DUE_SOON
    )
    # Tuesday 29 Dec 12:00: 5.5 + 9 + 9 + 9 = 32.5 working hours ahead: on track.
    assert standing(CAL, DEADLINE, ActionStatus.OPEN, at(29, 12, month=12, year=2026)) == (
        Standing.ON_TRACK
    )


def test_an_item_past_its_due_moment_is_overdue_and_a_done_one_is_not() -> None:
    assert standing(CAL, DEADLINE, ActionStatus.IN_PROGRESS, at(4, 17, 31)) == Standing.OVERDUE
    assert standing(CAL, DEADLINE, ActionStatus.DONE, at(20, 9)) == Standing.CLOSED


def test_overdue_escalates_to_the_department_head_then_after_three_working_days_to_the_vp() -> None:
    assert level_due(CAL, DEADLINE, at(4, 17, 0)) == Level.OWNER
    assert level_due(CAL, DEADLINE, at(5, 9)) == Level.DEPARTMENT_HEAD
    # three working days after Monday 17:30 is Thursday 17:30
    assert level_due(CAL, DEADLINE, at(7, 17, 29)) == Level.DEPARTMENT_HEAD
    assert level_due(CAL, DEADLINE, at(7, 17, 30)) == Level.VICE_PRESIDENT


def item(**changes: object) -> ItemState:
    values: dict[str, object] = dict(
        key=1,
        status=ActionStatus.OPEN,
        deadline=DEADLINE,
        level=Level.OWNER,
        reminded=False,
        overdue_notified=False,
    )
    values.update(changes)
    return ItemState(**values)  # type: ignore[arg-type]


def test_the_sweep_reminds_once_before_the_deadline() -> None:
    now = at(4, 9)
    assert [s.notice for s in sweep_plan([(item(), CAL)], now)] == [Notice.DUE_SOON]
    assert sweep_plan([(item(reminded=True), CAL)], now) == []


def test_the_sweep_of_an_overdue_item_notifies_and_escalates_once() -> None:
    now = at(5, 9)
    steps = sweep_plan([(item(), CAL)], now)
    assert [(s.notice, s.level) for s in steps] == [
        (Notice.OVERDUE, Level.OWNER),
        (Notice.ESCALATED, Level.DEPARTMENT_HEAD),
    ]
    after = item(overdue_notified=True, level=Level.DEPARTMENT_HEAD, reminded=False)
    assert sweep_plan([(after, CAL)], now) == []


def test_a_verified_or_done_item_is_never_chased() -> None:
    now = at(20, 9)
    for status in (ActionStatus.DONE, ActionStatus.VERIFIED):
        assert sweep_plan([(item(status=status), CAL)], now) == []
