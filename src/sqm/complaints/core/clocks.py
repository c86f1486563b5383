"""SLA clocks: a budget of (working) time, paused while we wait for the customer.

A clock is a value: ``pause``, ``resume``, ``stop`` and ``reopen`` return a new clock, so the
Django layer can store its fields and rebuild it, and tests can reason about it freely.

Definitions the rest of the system relies on:

- *used time* at ``now`` is the calendar's working time from ``started_at`` to ``now`` (or to
  ``stopped_at``), minus the working time inside pauses;
- the *deadline* is the earliest moment at which used time reaches the budget. A pause that
  starts after that moment does not move it: a breach cannot be undone by pausing;
- while a pause is still open its end is unknown, so ``deadline(clock)`` counts it as ending
  where it started (a lower bound) and ``deadline(clock, now=now)`` as lasting until ``now``.
  The deadline only ever moves later as the pause goes on.

Pass UTC or Asia/Shanghai datetimes (what Django and our users have): two times in the same
zone compare by wall clock in Python, which is only ambiguous in a daylight-saving zone's
repeated hour.

Which clocks pause is the caller's choice: the 48 h first-reply promise never waits for the
customer (nothing to ask them before we have answered once), the resolution clock does. The
first-reply promise counts every hour but those of public holidays (``around_the_clock``);
the resolution budget counts working hours.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum

from sqm.complaints.core.calendar import (
    CONTINUOUS,
    WorkingCalendar,
    add_working_time,
    working_time_between,
)
from sqm.complaints.core.categories import (
    FIRST_REPLY_SECONDS,
    Severity,
    resolution_budget_seconds,
)

WARN_FRACTION = 0.8  # warn when 80 % of the budget is used: a day's notice on a 40 h budget

Pause = tuple[datetime, datetime | None]


class ClockKind(StrEnum):
    FIRST_REPLY = "first_reply"
    RESOLUTION = "resolution"
    APPEAL = "appeal"


class Phase(StrEnum):
    RUNNING = "running"
    WARNING = "warning"
    BREACHED = "breached"
    PAUSED = "paused"
    MET = "met"  # stopped on or before the deadline
    MISSED = "missed"  # stopped after it


class ClockError(ValueError):
    """A clock event out of order (a pause before the start, a resume before its pause, …)."""


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ClockError(f"{name} 必须带时区 ({name} must be timezone-aware: {moment})")


@dataclass(frozen=True, slots=True)
class Clock:
    kind: ClockKind
    calendar: WorkingCalendar
    started_at: datetime
    budget_seconds: float
    pauses: tuple[Pause, ...] = ()
    stopped_at: datetime | None = None

    def __post_init__(self) -> None:
        _aware(self.started_at, "started_at")
        if not self.budget_seconds >= 0:
            raise ClockError(f"budget_seconds must not be negative: {self.budget_seconds}")
        previous_end = self.started_at
        for i, (begins, ends) in enumerate(self.pauses):
            _aware(begins, "pause start")
            if begins < previous_end:
                raise ClockError(f"暂停时间重叠或早于开始 (pause {i} starts before {previous_end})")
            if ends is None:
                if i != len(self.pauses) - 1:
                    raise ClockError(f"只有最后一次暂停可以未结束 (pause {i} is open but not last)")
                previous_end = begins
            else:
                _aware(ends, "pause end")
                if ends < begins:
                    raise ClockError(f"暂停结束早于开始 (pause {i} ends before it starts)")
                previous_end = ends
        if self.stopped_at is not None:
            _aware(self.stopped_at, "stopped_at")
            if self.stopped_at < previous_end:
                raise ClockError(f"停止时间早于最后一次事件 (stopped before {previous_end})")
            if self.pauses and self.pauses[-1][1] is None:
                raise ClockError("停止的计时不能仍在暂停中 (a stopped clock has an open pause)")

    @property
    def budget(self) -> timedelta:
        return timedelta(seconds=self.budget_seconds)

    @property
    def open_pause(self) -> datetime | None:
        """When the current pause began, or None if the clock is not paused."""
        if self.pauses and self.pauses[-1][1] is None:
            return self.pauses[-1][0]
        return None


def first_reply_clock(started_at: datetime, calendar: WorkingCalendar = CONTINUOUS) -> Clock:
    """The 48 h promise: elapsed time, nights and weekends included; pass the branch calendar
    ``around_the_clock`` so that public holidays do not count."""
    return Clock(ClockKind.FIRST_REPLY, calendar, started_at, FIRST_REPLY_SECONDS)


def resolution_clock(
    calendar: WorkingCalendar, started_at: datetime, category_code: str, severity: Severity
) -> Clock:
    budget = resolution_budget_seconds(category_code, severity)
    return Clock(ClockKind.RESOLUTION, calendar, started_at, budget)


def _closed_pauses(clock: Clock, now: datetime | None) -> list[tuple[datetime, datetime]]:
    # An open pause lasts until ``now`` if we know it, else it has no length yet.
    closed = []
    for begins, ends in clock.pauses:
        if ends is None:
            ends = max(begins, now) if now is not None else begins
        closed.append((begins, ends))
    return closed


def _reach(clock: Clock, target: timedelta, now: datetime | None) -> datetime:
    """The earliest moment at which used time reaches ``target``.

    Walks the pauses in order: if the target is reached before the next pause begins we are
    done; otherwise the working time up to the pause is spent and counting resumes at its end.
    Exact in timedelta, so a pause of zero length changes nothing at all.
    """
    cal = clock.calendar
    position = clock.started_at
    remaining = target
    for begins, ends in _closed_pauses(clock, now):
        candidate = add_working_time(cal, position, remaining)
        if candidate <= begins:
            return candidate
        remaining -= working_time_between(cal, position, begins)
        position = ends
    return add_working_time(cal, position, remaining)


def deadline(clock: Clock, *, now: datetime | None = None) -> datetime:
    """Start + budget on the calendar, pushed later by the working time spent paused."""
    return _reach(clock, clock.budget, now)


def warning_at(
    clock: Clock, warn_fraction: float = WARN_FRACTION, *, now: datetime | None = None
) -> datetime:
    """When the clock enters WARNING: store it next to the deadline so a sweeper can find
    the work orders to warn with one indexed query instead of evaluating every clock."""
    if not 0 <= warn_fraction <= 1:
        raise ClockError(f"warn_fraction must be within [0, 1]: {warn_fraction}")
    return _reach(clock, clock.budget * warn_fraction, now)


def used_seconds(clock: Clock, now: datetime) -> float:
    """Working seconds counted against the budget up to ``now`` (or the stop, if earlier)."""
    _aware(now, "now")
    end = now if clock.stopped_at is None else min(now, clock.stopped_at)
    cal = clock.calendar
    used = working_time_between(cal, clock.started_at, end)
    for begins, ends in _closed_pauses(clock, end):
        if begins >= end:
            break
        used -= working_time_between(cal, begins, min(ends, end))
    return max(used, timedelta(0)).total_seconds()


def is_paused_at(clock: Clock, now: datetime) -> bool:
    return any(begins <= now and (ends is None or now < ends) for begins, ends in clock.pauses)


def phase(clock: Clock, now: datetime, warn_fraction: float = WARN_FRACTION) -> Phase:
    """Where the clock stands at ``now``.

    A stopped clock is MET or MISSED (at the deadline exactly is met). A running one is
    BREACHED once ``now`` is past the deadline, whether or not it is paused: pausing after a
    breach does not hide it. Otherwise PAUSED while waiting for the customer, WARNING once
    ``warn_fraction`` of the budget is used, else RUNNING. For a clock that is never paused the
    phase only moves forward: RUNNING → WARNING → BREACHED.
    """
    _aware(now, "now")
    if clock.stopped_at is not None and clock.stopped_at <= now:
        return Phase.MET if clock.stopped_at <= deadline(clock) else Phase.MISSED
    if now > deadline(clock, now=now):
        return Phase.BREACHED
    if is_paused_at(clock, now):
        return Phase.PAUSED
    if used_seconds(clock, now) >= clock.budget_seconds * warn_fraction:
        return Phase.WARNING
    return Phase.RUNNING


def _last_event(clock: Clock) -> datetime:
    if not clock.pauses:
        return clock.started_at
    begins, ends = clock.pauses[-1]
    return begins if ends is None else ends


def pause(clock: Clock, at: datetime) -> Clock:
    """Start waiting for the customer. Already paused: unchanged (the sweeper may repeat)."""
    _aware(at, "at")
    if clock.stopped_at is not None:
        raise ClockError("已停止的计时不能暂停 (cannot pause a stopped clock)")
    if clock.open_pause is not None:
        return clock
    if at < _last_event(clock):
        raise ClockError(f"暂停时间早于上一事件 (pause at {at} is before {_last_event(clock)})")
    return replace(clock, pauses=(*clock.pauses, (at, None)))


def resume(clock: Clock, at: datetime) -> Clock:
    """The customer answered. Not paused: unchanged."""
    _aware(at, "at")
    begins = clock.open_pause
    if begins is None:
        return clock
    if at < begins:
        raise ClockError(f"恢复时间早于暂停时间 (resume at {at} is before the pause at {begins})")
    return replace(clock, pauses=(*clock.pauses[:-1], (begins, at)))


def stop(clock: Clock, at: datetime) -> Clock:
    """The promise is kept (replied, resolved). An open pause ends here. Stopped: unchanged."""
    _aware(at, "at")
    if clock.stopped_at is not None:
        return clock
    clock = resume(clock, at)
    if at < _last_event(clock):
        raise ClockError(f"停止时间早于上一事件 (stop at {at} is before {_last_event(clock)})")
    return replace(clock, stopped_at=at)


def reopen(clock: Clock, at: datetime) -> Clock:
    """Count again after a reopen; the time between the stop and ``at`` becomes a pause.

    While the work order sat resolved the customer was judging our answer, not waiting on
    us, so that time is not charged; the budget left at resolution is what remains.
    Not stopped: unchanged.
    """
    _aware(at, "at")
    stopped = clock.stopped_at
    if stopped is None:
        return clock
    if at < stopped:
        raise ClockError(f"重开时间早于停止时间 (reopen at {at} is before the stop at {stopped})")
    return replace(clock, stopped_at=None, pauses=(*clock.pauses, (stopped, at)))
