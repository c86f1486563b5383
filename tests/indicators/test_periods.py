"""Reporting periods are half-open ranges of local time."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sqm.indicators.core.periods import PeriodError, parse_period


@pytest.mark.parametrize(
    ("label", "start", "end"),
    [
        ("2024-02-29", datetime(2024, 2, 29), datetime(2024, 3, 1)),
        ("2024-12", datetime(2024, 12, 1), datetime(2025, 1, 1)),
        ("2024-Q4", datetime(2024, 10, 1), datetime(2025, 1, 1)),
        ("2024", datetime(2024, 1, 1), datetime(2025, 1, 1)),
    ],
)
def test_a_period_is_a_half_open_range(label: str, start: datetime, end: datetime) -> None:
    period = parse_period(label)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_the_last_day_of_a_month_is_inside_it() -> None:
    assert parse_period("2024-02").last_day == date(2024, 2, 29)


@pytest.mark.parametrize("label", ["2024-13", "2024-02-30", "2024-Q5", "24-01", "January"])
def test_a_malformed_period_is_refused(label: str) -> None:
    with pytest.raises(PeriodError, match="invalid period"):
        parse_period(label)
