"""Periods: the one type and the one parser for every period the product is asked for.

A period is the half-open range ``[start, end)`` of naive local wall-clock time (the event
store's timestamps are naive local), always whole days. Text is parsed once, where it comes in
(the CLI, a form, a query parameter), and the :class:`Period` is passed down.

The forms, one meaning each wherever they are typed:

- ``2026-12-01`` — that day;
- ``2026-12-01..2026-12-07`` — the days from the first to the last, both included;
- ``2026-12-01/P7D`` — seven days from that day (ISO 8601 start and duration; ``P2W`` too);
- ``2026-W49`` — the ISO week (Monday to Sunday);
- ``2026-12`` — the month; ``2026-Q4`` — the quarter; ``2026`` — the year.

Until these were one, ``sqm plan`` read a bare day as the week starting there while
``sqm compute`` read it as the day; a bare day is the day everywhere now, and a week from a day
is written ``DAY/P7D``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")
_DURATION = re.compile(r"^(\d{4}-\d{2}-\d{2})/P(\d{1,4})([DW])$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
FORMS = (
    "YYYY-MM-DD..YYYY-MM-DD, YYYY-MM or YYYY-MM-DD "
    "(also YYYY-MM-DD/P7D for seven days from a day, YYYY-Www, YYYY-Qn, YYYY)"
)


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in naive local time; ``label`` is the text it was asked as, in its
    canonical form (results are stored and looked up under it)."""

    label: str
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def span(self) -> str:
        """``2026-12-01..2026-12-07``: the days it covers, whatever form it was asked in."""
        return f"{self.first_day:%Y-%m-%d}..{self.last_day:%Y-%m-%d}"


def days_from(first: date, days: int) -> Period:
    """``days`` days from ``first``, labelled as their range."""
    if days < 1:
        raise PeriodError(f"a period has at least one day, not {days}")
    start = datetime(first.year, first.month, first.day)
    end = start + timedelta(days=days)
    return Period(f"{first:%Y-%m-%d}..{(end - timedelta(days=1)):%Y-%m-%d}", start, end)


def _month_start(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def _parsed(text: str) -> Period | None:
    if m := _DAY.match(text):
        start = datetime(int(m[1]), int(m[2]), int(m[3]))
        return Period(text, start, start + timedelta(days=1))
    if m := _RANGE.match(text):
        first, last = date.fromisoformat(m[1]), date.fromisoformat(m[2])
        if last < first:
            raise ValueError("the period ends before it starts")
        return days_from(first, (last - first).days + 1)
    if m := _DURATION.match(text):
        count = int(m[2]) * (7 if m[3] == "W" else 1)
        within = days_from(date.fromisoformat(m[1]), count)
        return Period(text, within.start, within.end)
    if m := _WEEK.match(text):
        monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
        start = datetime(monday.year, monday.month, monday.day)
        return Period(text, start, start + timedelta(days=7))
    if m := _MONTH.match(text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise ValueError(f"month {month} out of range")
        return Period(text, _month_start(year, month), _month_start(year, month + 1))
    if m := _QUARTER.match(text):
        year, first_month = int(m[1]), 3 * (int(m[2]) - 1) + 1
        return Period(text, _month_start(year, first_month), _month_start(year, first_month + 3))
    if m := _YEAR.match(text):
        return Period(text, datetime(int(m[1]), 1, 1), datetime(int(m[1]) + 1, 1, 1))
    return None


def parse_period(text: str) -> Period:
    """The period ``text`` names (see the module's list of forms), or :class:`PeriodError`
    saying which forms to write."""
    try:
        period = _parsed(text.strip())
    except ValueError as error:
        raise PeriodError(f"period {text!r}: invalid period ({error}), write {FORMS}") from None
    if period is None:
        raise PeriodError(f"period {text!r}: invalid period, write {FORMS}")
    return period


def as_period(period: Period | str) -> Period:
    """For the few entry points that also take text (the engine's, used by scripts and tests):
    text is parsed here, a :class:`Period` passes through."""
    return period if isinstance(period, Period) else parse_period(period)
