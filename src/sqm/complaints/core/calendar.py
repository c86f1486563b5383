"""Working time: adding and measuring it on a branch's working calendar.

A resolution deadline is "40 working hours from now", not "40 hours from now": nights,
weekends and public holidays do not count, and 调休 weekend days that are worked do. Each
branch may have its own calendar (local holidays), built by the Django layer from its
CalendarDay rows with ``WorkingCalendar.with_days``.

All arithmetic is done in UTC on aware datetimes: the working day is laid out in the calendar's
own zone (Asia/Shanghai has had no daylight saving since 1991, but a zone that has it still
gets the right elapsed seconds because each day's bounds are converted to UTC separately).
Both functions walk day by day, so their cost is O(number of days spanned), never O(seconds);
the 24x7 ``CONTINUOUS`` calendar takes a constant-time shortcut.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DAY = timedelta(days=1)
# How far the search for a next working day may run before the calendar is declared empty
# (a calendar whose only working days are a few 调休 dates in the past).
_MAX_IDLE_DAYS = 3660


class CalendarError(ValueError):
    """A calendar that cannot be worked with, or a naive datetime."""


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Working hours ``day_start``–``day_end`` on working days, in zone ``tz``.

    ``day_end == time(0)`` means midnight at the *end* of the day (24:00), which is how the
    24x7 calendar is written. A date in ``extra_workdays`` (调休) is worked even on a weekend
    and wins over ``holidays``; the two sets should not overlap, but if they do the explicit
    workday is the safer reading for a customer waiting on us.
    """

    tz: ZoneInfo = field(default=SHANGHAI)
    day_start: time = time(8, 30)
    day_end: time = time(17, 30)
    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    holidays: frozenset[date] = frozenset()
    extra_workdays: frozenset[date] = frozenset()  # 调休: weekend days worked

    def __post_init__(self) -> None:
        if self.day_start.tzinfo is not None or self.day_end.tzinfo is not None:
            raise CalendarError("工作时间不应带时区 (working hours must be naive times)")
        if not (self.day_end > self.day_start or self.day_end == time(0)):
            raise CalendarError(
                f"下班时间必须晚于上班时间 (day_end {self.day_end} must be after "
                f"day_start {self.day_start})"
            )
        if not self.weekdays <= frozenset(range(7)):
            raise CalendarError(f"weekdays must be 0 (Monday) … 6 (Sunday): {self.weekdays}")

    def is_working_day(self, d: date) -> bool:
        if d in self.extra_workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() in self.weekdays

    @property
    def is_continuous(self) -> bool:
        """Every instant counts: elapsed time, no calendar walk needed."""
        return (
            self.day_start == time(0)
            and self.day_end == time(0)
            and len(self.weekdays) == 7
            and not self.holidays
        )

    def hours(self, d: date) -> tuple[datetime, datetime]:
        """The working interval of day ``d`` in UTC (whether or not ``d`` is worked)."""
        opens = datetime.combine(d, self.day_start, tzinfo=self.tz).astimezone(UTC)
        end_day = d + ONE_DAY if self.day_end == time(0) else d
        closes = datetime.combine(end_day, self.day_end, tzinfo=self.tz).astimezone(UTC)
        return opens, closes

    def with_days(self, days: Iterable[tuple[date, bool]]) -> WorkingCalendar:
        """This calendar with (date, is_workday) overrides: a branch's CalendarDay rows.

        A later entry for the same date wins, so province-wide rows followed by the branch's
        own rows give the branch's reading.
        """
        holidays = set(self.holidays)
        extra = set(self.extra_workdays)
        for d, is_workday in days:
            if is_workday:
                holidays.discard(d)
                extra.add(d)
            else:
                extra.discard(d)
                holidays.add(d)
        return replace(self, holidays=frozenset(holidays), extra_workdays=frozenset(extra))


CONTINUOUS = WorkingCalendar(
    day_start=time(0), day_end=time(0), weekdays=frozenset(range(7))
)  # 24x7, no holidays: the 48 h first-reply promise and the regulator's calendar days


def around_the_clock(cal: WorkingCalendar) -> WorkingCalendar:
    """Every hour of every day, nights and weekends included, except ``cal``'s holidays.

    The 48 h first-reply promise runs on this: a customer who complains on a Friday evening is
    answered by Sunday evening, but one who complains before the Spring Festival is not owed an
    answer during it. A 调休 day or a branch's own working day is never a holiday here.
    """
    return replace(CONTINUOUS, tz=cal.tz, holidays=cal.holidays - cal.extra_workdays)


def _utc(moment: datetime, name: str) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError(f"{name} 必须带时区 ({name} must be timezone-aware: {moment})")
    return moment.astimezone(UTC)


def _next_working_day(cal: WorkingCalendar, d: date) -> date:
    """``d`` itself if worked, else the first working day after it.

    Gives up with CalendarError after ten idle years, so an empty calendar fails loudly
    instead of hanging the sweeper.
    """
    for _ in range(_MAX_IDLE_DAYS):
        if cal.is_working_day(d):
            return d
        d += ONE_DAY
    raise CalendarError(f"日历在 {d} 之前十年内没有工作日 (no working day in the ten years to {d})")


def _local_date(cal: WorkingCalendar, moment_utc: datetime) -> date:
    # Working hours never cross local midnight (day_end is after day_start, or 24:00), so
    # the only interval that can hold a moment is the one of its own local date.
    return moment_utc.astimezone(cal.tz).date()


def add_working_seconds(cal: WorkingCalendar, start: datetime, seconds: float) -> datetime:
    """The moment ``seconds`` of working time after ``start``.

    Aware in, aware out (in ``start``'s zone). ``seconds == 0`` returns ``start`` unchanged even
    outside working hours; otherwise the result is the earliest moment at which that much
    working time has passed, so a budget that ends exactly at closing time ends at 17:30, not
    at 08:30 the next working day.
    """
    if not (math.isfinite(seconds) and seconds >= 0):
        raise CalendarError(f"seconds must be finite and not negative: {seconds}")
    return add_working_time(cal, start, timedelta(seconds=seconds))


def add_working_time(cal: WorkingCalendar, start: datetime, delta: timedelta) -> datetime:
    """``add_working_seconds`` with an exact timedelta (whole microseconds, no float drift).

    The clocks use this form so that splitting a budget around a pause and adding the pieces
    gives exactly the same moment as adding it whole.
    """
    begin = _utc(start, "start")
    if delta < timedelta(0):
        raise CalendarError(f"working time must not be negative: {delta}")
    if not delta:
        return start
    if cal.is_continuous:
        return (begin + delta).astimezone(start.tzinfo)
    remaining = delta
    d = _local_date(cal, begin)
    while True:
        d = _next_working_day(cal, d)
        opens, closes = cal.hours(d)
        d += ONE_DAY
        if closes <= begin:
            continue
        from_ = max(opens, begin)
        available = closes - from_
        if remaining <= available:
            return (from_ + remaining).astimezone(start.tzinfo)
        remaining -= available


def working_seconds_between(cal: WorkingCalendar, a: datetime, b: datetime) -> float:
    """Working seconds in [a, b]; 0 if b <= a."""
    return working_time_between(cal, a, b).total_seconds()


def working_time_between(cal: WorkingCalendar, a: datetime, b: datetime) -> timedelta:
    """``working_seconds_between`` as an exact timedelta."""
    lo, hi = _utc(a, "a"), _utc(b, "b")
    if hi <= lo:
        return timedelta(0)
    if cal.is_continuous:
        return hi - lo
    total = timedelta(0)
    d = _local_date(cal, lo)
    last = hi.astimezone(cal.tz).date()
    while d <= last:
        if cal.is_working_day(d):
            opens, closes = cal.hours(d)
            overlap = min(closes, hi) - max(opens, lo)
            if overlap > timedelta(0):
                total += overlap
        d += ONE_DAY
    return total


def working_seconds_per_day(cal: WorkingCalendar) -> float:
    """Length of a normal working day (9 h for 08:30-17:30), for display and budgets."""
    opens, closes = cal.hours(date(2001, 1, 1))
    return (closes - opens).total_seconds()
