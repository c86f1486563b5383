"""Reporting periods: the half-open range of local wall-clock time an indicator covers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True, slots=True)
class Period:
    """``[start, end)`` in naive local time (the event store's timestamps are naive local)."""

    label: str
    start: datetime
    end: datetime

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()


def _month_start(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def parse_period(label: str) -> Period:
    """'YYYY-MM-DD' (a day), 'YYYY-MM' (a month), 'YYYY-Qn' (a quarter) or 'YYYY' (a year)."""
    try:
        if m := _DAY.match(label):
            start = datetime(int(m[1]), int(m[2]), int(m[3]))
            return Period(label, start, start + timedelta(days=1))
        if m := _MONTH.match(label):
            year, month = int(m[1]), int(m[2])
            if not 1 <= month <= 12:
                raise ValueError(f"month {month} out of range")
            return Period(label, _month_start(year, month), _month_start(year, month + 1))
        if m := _QUARTER.match(label):
            year, first_month = int(m[1]), 3 * (int(m[2]) - 1) + 1
            return Period(
                label, _month_start(year, first_month), _month_start(year, first_month + 3)
            )
        if m := _YEAR.match(label):
            return Period(label, datetime(int(m[1]), 1, 1), datetime(int(m[1]) + 1, 1, 1))
    except ValueError as error:
        raise PeriodError(f"invalid period {label!r}: {error}") from None
    raise PeriodError(f"invalid period {label!r}: use YYYY-MM-DD, YYYY-MM, YYYY-Qn or YYYY")
