"""Working calendars from CalendarDay rows, and a work order's clocks rebuilt from its history.

The arithmetic is core's (``core.calendar``, ``core.clocks``); this module only feeds it: the
province-wide holidays and 调休 days, each branch's own exceptions on top, the working hours
from settings (``SQM_COMPLAINTS_DAY_START`` / ``SQM_COMPLAINTS_DAY_END``, default 08:30–17:30).
Calendars are cached per process for ``CACHE_SECONDS`` and dropped whenever a CalendarDay row
is saved or deleted here; another process sees an edit within that time.
"""

from __future__ import annotations

import threading
import time as monotonic_time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import F
from django.db.models.signals import post_delete, post_save

from sqm.complaints.core import clocks
from sqm.complaints.core.calendar import WorkingCalendar
from sqm.complaints.core.categories import Severity
from sqm.complaints.core.escalation import appeal_clock
from sqm.complaints.core.states import Action, Status
from sqm.complaints.models import CalendarDay, WorkOrder

CACHE_SECONDS = 300.0
_cache: dict[int | None, tuple[float, WorkingCalendar]] = {}
_lock = threading.Lock()


def _clock_time(value: str, name: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{name} must be HH:MM, got {value!r}") from None


def base_calendar() -> WorkingCalendar:
    """Monday to Friday, the configured working hours, in the project's time zone."""
    return WorkingCalendar(
        tz=ZoneInfo(settings.TIME_ZONE),
        day_start=_clock_time(
            getattr(settings, "SQM_COMPLAINTS_DAY_START", "08:30"), "SQM_COMPLAINTS_DAY_START"
        ),
        day_end=_clock_time(
            getattr(settings, "SQM_COMPLAINTS_DAY_END", "17:30"), "SQM_COMPLAINTS_DAY_END"
        ),
    )


def branch_calendar(branch_id: int | None) -> WorkingCalendar:
    """The calendar a branch works on: province rows first, then the branch's own (which win)."""
    now = monotonic_time.monotonic()
    with _lock:
        cached = _cache.get(branch_id)
    if cached is not None and now - cached[0] < CACHE_SECONDS:
        return cached[1]
    rows = CalendarDay.objects.filter(branch__isnull=True)
    if branch_id is not None:
        rows = rows | CalendarDay.objects.filter(branch_id=branch_id)
    ordered = rows.order_by(F("branch_id").asc(nulls_first=True), "date")
    calendar = base_calendar().with_days(ordered.values_list("date", "is_workday"))
    with _lock:
        _cache[branch_id] = (now, calendar)
    return calendar


def clear_cache(**_: Any) -> None:
    with _lock:
        _cache.clear()


def connect_signals() -> None:
    post_save.connect(clear_cache, sender=CalendarDay, dispatch_uid="complaints-calendar-save")
    post_delete.connect(clear_cache, sender=CalendarDay, dispatch_uid="complaints-calendar-del")


# -- clocks -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Deadlines:
    due: datetime
    warn_at: datetime


def first_reply(created_at: datetime) -> Deadlines:
    clock = clocks.first_reply_clock(created_at)
    return Deadlines(clocks.deadline(clock), clocks.warning_at(clock))


def resolution(
    branch_id: int | None, created_at: datetime, category: str, severity: str
) -> Deadlines:
    clock = clocks.resolution_clock(
        branch_calendar(branch_id), created_at, category, Severity(severity)
    )
    return Deadlines(clocks.deadline(clock), clocks.warning_at(clock))


@dataclass(frozen=True, slots=True)
class Step:
    """One status change as the clock replay needs it."""

    from_status: str
    to_status: str
    action: str
    at: datetime


def replay_resolution_clock(wo: WorkOrder, steps: Iterable[Step]) -> clocks.Clock:
    """The resolution clock as the history left it: paused while waiting for the customer,
    stopped at resolution (or cancellation), and reopened — the time the customer spent
    judging our answer counts as a pause (core.clocks.reopen)."""
    clock = clocks.resolution_clock(
        branch_calendar(wo.branch_id), wo.created_at, wo.category, Severity(wo.severity)
    )
    for step in steps:
        if step.action == Action.REOPEN.value:
            clock = clocks.reopen(clock, step.at)
        if step.from_status == Status.PENDING_CUSTOMER.value:
            clock = clocks.resume(clock, step.at)
        if step.to_status == Status.PENDING_CUSTOMER.value:
            clock = clocks.pause(clock, step.at)
        elif step.to_status in (Status.RESOLVED.value, Status.CANCELLED.value):
            clock = clocks.stop(clock, step.at)
    return clock


def history(wo: WorkOrder) -> list[Step]:
    return [
        Step(*row)
        for row in wo.status_changes.order_by("at", "id").values_list(
            "from_status", "to_status", "action", "at"
        )
    ]


def resolution_clock_of(wo: WorkOrder) -> clocks.Clock:
    return replay_resolution_clock(wo, history(wo))


def first_reply_clock_of(wo: WorkOrder) -> clocks.Clock:
    clock = clocks.first_reply_clock(wo.created_at)
    if wo.first_reply_at is not None:
        clock = clocks.stop(clock, max(wo.first_reply_at, wo.created_at))
    return clock


def phases(wo: WorkOrder, now: datetime) -> dict[str, clocks.Phase]:
    """Each clock's phase now, for pages and the API: ``first_reply``, ``resolution`` and,
    for appeals, ``appeal``."""
    found = {
        clocks.ClockKind.FIRST_REPLY.value: clocks.phase(first_reply_clock_of(wo), now),
        clocks.ClockKind.RESOLUTION.value: clocks.phase(resolution_clock_of(wo), now),
    }
    if wo.appeal_due is not None:
        appeal = wo.level_changes.filter(to_level="appeal").order_by("-at").first()
        accepted = appeal.at if appeal is not None else wo.created_at
        clock = appeal_clock(accepted)
        if wo.closed_at is not None and wo.closed_at >= accepted:
            clock = clocks.stop(clock, wo.closed_at)
        found[clocks.ClockKind.APPEAL.value] = clocks.phase(clock, now)
    return found
