"""Deadlines, reminders and escalation of action items, on the work orders' working calendar.

An item is due at the close of working hours on its deadline date (a decision says "by
2027-01-31", and the owner has that whole working day). From ``DUE_SOON_DAYS`` working days
before that moment it is *due soon* and its owner is reminded once; past it, it is *overdue*:
it escalates one level — to the owner department's head — and appears on the next meeting's
agenda. Still overdue ``VP_AFTER_DAYS`` working days later, it escalates to the vice president.

``sweep_plan`` turns the items' state into the notices and escalations to make. It is a pure
function of that state and the moment, and each notice is planned only while its flag is
unset, so a sweep run every minute (or twice at once) sends each notice once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum, StrEnum

from sqm.complaints.core.calendar import (
    WorkingCalendar,
    add_working_time,
    working_seconds_per_day,
    working_time_between,
)
from sqm.improvement.core.actions import PENDING, ActionStatus
from sqm.lib.choices import gettext_noop

DUE_SOON_DAYS = 2
VP_AFTER_DAYS = 3


class Level(IntEnum):
    OWNER = 0
    DEPARTMENT_HEAD = 1
    VICE_PRESIDENT = 2


LEVEL_NAMES_ZH: dict[Level, str] = {
    Level.OWNER: gettext_noop("责任人"),
    Level.DEPARTMENT_HEAD: gettext_noop("部门负责人"),
    Level.VICE_PRESIDENT: gettext_noop("分管副总"),
}


class Standing(StrEnum):
    ON_TRACK = "on_track"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    CLOSED = "closed"  # done or verified: the deadline no longer runs


STANDING_NAMES_ZH: dict[Standing, str] = {
    Standing.ON_TRACK: gettext_noop("正常"),
    Standing.DUE_SOON: gettext_noop("即将到期"),
    Standing.OVERDUE: gettext_noop("已超期"),
    Standing.CLOSED: gettext_noop("已办结"),
}


def due_at(cal: WorkingCalendar, deadline: date) -> datetime:
    """The moment an item with ``deadline`` falls due: that day's closing time."""
    return cal.hours(deadline)[1]


def _working_days(cal: WorkingCalendar, days: int) -> timedelta:
    return timedelta(seconds=working_seconds_per_day(cal) * days)


def standing(
    cal: WorkingCalendar, deadline: date, status: ActionStatus | str, now: datetime
) -> Standing:
    """Where an item stands against its deadline at ``now`` (aware)."""
    if ActionStatus(status) not in PENDING:
        return Standing.CLOSED
    due = due_at(cal, deadline)
    if now >= due:
        return Standing.OVERDUE
    if working_time_between(cal, now, due) <= _working_days(cal, DUE_SOON_DAYS):
        return Standing.DUE_SOON
    return Standing.ON_TRACK


def level_due(cal: WorkingCalendar, deadline: date, now: datetime) -> Level:
    """The escalation level an overdue item has reached by ``now`` (OWNER when not overdue)."""
    due = due_at(cal, deadline)
    if now < due:
        return Level.OWNER
    if now >= add_working_time(cal, due, _working_days(cal, VP_AFTER_DAYS)):
        return Level.VICE_PRESIDENT
    return Level.DEPARTMENT_HEAD


def days_late(cal: WorkingCalendar, deadline: date, now: datetime) -> float:
    """Working days past due (0 when not overdue), for the boards."""
    late = working_time_between(cal, due_at(cal, deadline), now)
    return late.total_seconds() / working_seconds_per_day(cal)


class Notice(StrEnum):
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ESCALATED = "escalated"


@dataclass(frozen=True, slots=True)
class ItemState:
    """What the sweep needs to know of one item."""

    key: int
    status: ActionStatus
    deadline: date
    level: Level
    reminded: bool  # the due-soon reminder went out
    overdue_notified: bool


@dataclass(frozen=True, slots=True)
class SweepStep:
    key: int
    notice: Notice
    level: Level  # the item's level after the step


def sweep_plan(items: list[tuple[ItemState, WorkingCalendar]], now: datetime) -> list[SweepStep]:
    """The notices and escalations due at ``now``, at most one of each kind per item and level.

    An item that was never reminded and is already overdue gets the overdue notice only: a
    "due soon" after the fact helps nobody."""
    steps: list[SweepStep] = []
    for item, cal in items:
        where = standing(cal, item.deadline, item.status, now)
        if where == Standing.DUE_SOON and not item.reminded:
            steps.append(SweepStep(item.key, Notice.DUE_SOON, item.level))
        if where != Standing.OVERDUE:
            continue
        if not item.overdue_notified:
            steps.append(SweepStep(item.key, Notice.OVERDUE, item.level))
        reached = level_due(cal, item.deadline, now)
        if reached > item.level:
            steps.append(SweepStep(item.key, Notice.ESCALATED, reached))
    return steps
