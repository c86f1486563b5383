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
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.db.models.signals import post_delete, post_save, pre_save

from sqm.complaints.core import clocks
from sqm.complaints.core.calendar import WorkingCalendar, around_the_clock
from sqm.complaints.core.categories import Severity
from sqm.complaints.core.escalation import appeal_clock
from sqm.complaints.core.states import OPEN_STATUSES, Action, Status
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
    # However a day changes (admin, CLI, code), the open work orders it touches follow.
    pre_save.connect(_remember_day, sender=CalendarDay, dispatch_uid="complaints-day-before")
    post_save.connect(_day_saved, sender=CalendarDay, dispatch_uid="complaints-day-saved")
    post_delete.connect(_day_deleted, sender=CalendarDay, dispatch_uid="complaints-day-deleted")


def _remember_day(instance: CalendarDay, **_: Any) -> None:
    before = CalendarDay.objects.filter(pk=instance.pk).values_list(
        "date", "branch_id", "is_workday"
    )
    instance._before = before.first() if instance.pk is not None else None


def _day_saved(instance: CalendarDay, **_: Any) -> None:
    day = _as_date(instance.date)
    before = getattr(instance, "_before", None)
    if before == (day, instance.branch_id, instance.is_workday):
        return  # a new name only: no deadline moves
    clear_cache()
    if before is not None and before[:2] != (day, instance.branch_id):
        recompute_open_deadlines([before[0]], before[1])
    recompute_open_deadlines([day], instance.branch_id)


def _day_deleted(instance: CalendarDay, **_: Any) -> None:
    clear_cache()
    recompute_open_deadlines([_as_date(instance.date)], instance.branch_id)


def _as_date(value: date | str) -> date:
    # A row made with CalendarDay(date="2026-03-04") keeps the string after saving.
    return value if isinstance(value, date) else date.fromisoformat(value)


# -- clocks -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Deadlines:
    due: datetime
    warn_at: datetime


def first_reply(branch_id: int | None, created_at: datetime) -> Deadlines:
    clock = clocks.first_reply_clock(created_at, around_the_clock(branch_calendar(branch_id)))
    return Deadlines(clocks.deadline(clock), clocks.warning_at(clock))


def resolution(
    branch_id: int | None, created_at: datetime, category: str, severity: str
) -> Deadlines:
    clock = clocks.resolution_clock(
        branch_calendar(branch_id), created_at, category, Severity(severity)
    )
    return Deadlines(clocks.deadline(clock), clocks.warning_at(clock))


def refresh_first_reply_deadline(wo: WorkOrder) -> None:
    clock = first_reply_clock_of(wo)
    wo.first_reply_due = clocks.deadline(clock)
    wo.first_reply_warn_at = clocks.warning_at(clock)


def refresh_resolution_deadline(wo: WorkOrder) -> None:
    """The resolution deadline as the status history and today's calendar give it."""
    clock = resolution_clock_of(wo)
    wo.resolution_due = clocks.deadline(clock)
    wo.resolution_warn_at = clocks.warning_at(clock)


DEADLINE_FIELDS = ("first_reply_due", "first_reply_warn_at", "resolution_due", "resolution_warn_at")


def recompute_open_deadlines(days: Iterable[date], branch_id: int | None = None) -> int:
    """Recompute, on the calendar as it is now, the deadlines of open work orders whose running
    clocks span one of ``days`` (of ``branch_id``'s orders; None: a province day, every
    branch). Returns how many work orders changed; each gets a new version.

    A clock that has stopped (answered, resolved) or was marked breached keeps its deadline:
    it is history, and a breach may have been escalated already.
    """
    spans = _day_spans(sorted(set(days)))
    if not spans:
        return 0
    clear_cache()
    spanned = Q()
    for start, end in spans:
        first_reply_runs = Q(
            first_reply_at__isnull=True,
            first_reply_breached_at__isnull=True,
            first_reply_due__gte=start,
        )
        resolution_runs = Q(
            resolved_at__isnull=True, resolution_breached_at__isnull=True, resolution_due__gte=start
        )
        spanned |= Q(created_at__lt=end) & (first_reply_runs | resolution_runs)
    open_orders = WorkOrder.objects.filter(status__in=[s.value for s in OPEN_STATUSES])
    if branch_id is not None:
        open_orders = open_orders.filter(branch_id=branch_id)
    changed = 0
    for pk in list(open_orders.filter(spanned).values_list("pk", flat=True)):
        with transaction.atomic():
            wo = open_orders.select_for_update().filter(pk=pk).first()
            if wo is None:
                continue  # closed meanwhile
            before = [getattr(wo, name) for name in DEADLINE_FIELDS]
            if wo.first_reply_at is None and wo.first_reply_breached_at is None:
                refresh_first_reply_deadline(wo)
            if wo.resolved_at is None and wo.resolution_breached_at is None:
                refresh_resolution_deadline(wo)
            if [getattr(wo, name) for name in DEADLINE_FIELDS] != before:
                wo.version += 1
                wo.save(update_fields=[*DEADLINE_FIELDS, "version", "updated_at"])
                changed += 1
    return changed


def _day_spans(days: list[date]) -> list[tuple[datetime, datetime]]:
    """Runs of consecutive days as [start, end) moments in the project's zone."""
    tz = ZoneInfo(settings.TIME_ZONE)
    spans: list[tuple[datetime, datetime]] = []
    for day in days:
        start = datetime.combine(day, time(0), tzinfo=tz)
        end = start + timedelta(days=1)
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


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
    clock = clocks.first_reply_clock(wo.created_at, around_the_clock(branch_calendar(wo.branch_id)))
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
