"""Periods: one type and one parser for every command and page (sqm.lib.periods)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from sqm.lib.periods import PeriodError, as_period, days_from, parse_period


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


@pytest.mark.parametrize(
    ("label", "first", "last", "canonical"),
    [
        ("2026-12-01", date(2026, 12, 1), date(2026, 12, 1), "2026-12-01"),
        ("2026-12-01..2026-12-07", date(2026, 12, 1), date(2026, 12, 7), "2026-12-01..2026-12-07"),
        ("2026-12-05/P7D", date(2026, 12, 5), date(2026, 12, 11), "2026-12-05/P7D"),
        ("2026-12-05/P2W", date(2026, 12, 5), date(2026, 12, 18), "2026-12-05/P2W"),
        ("2026-W49", date(2026, 11, 30), date(2026, 12, 6), "2026-W49"),
        (" 2026-12 ", date(2026, 12, 1), date(2026, 12, 31), "2026-12"),
    ],
)
def test_every_form_names_whole_days(label: str, first: date, last: date, canonical: str) -> None:
    period = parse_period(label)
    assert (period.first_day, period.last_day, period.label) == (first, last, canonical)
    assert period.days == (last - first).days + 1
    assert period.span == f"{first}..{last}"


def test_a_bare_day_is_one_day_for_compute_and_plan_alike() -> None:
    # sqm plan once read a bare day as the week starting there; the one parser says a day.
    assert parse_period("2026-12-01").days == 1
    assert parse_period("2026-12-01/P7D").days == 7


def test_days_from_a_day_are_labelled_as_their_range() -> None:
    week = days_from(date(2026, 12, 1), 7)
    assert (week.label, week.start, week.end) == (
        "2026-12-01..2026-12-07",
        datetime(2026, 12, 1),
        datetime(2026, 12, 8),
    )
    assert as_period(week) is week and as_period("2026-12") == parse_period("2026-12")


@pytest.mark.parametrize(
    "label", ["2026-12-10..2026-12-01", "2026-12-01/P0D", "2026-W54", "next week", "2026/12/01"]
)
def test_a_refusal_names_the_text_and_the_forms_to_write(label: str) -> None:
    with pytest.raises(PeriodError) as refused:
        parse_period(label)
    message = str(refused.value)
    assert message.startswith(f"period {label!r}: invalid period")
    assert "YYYY-MM-DD..YYYY-MM-DD, YYYY-MM or YYYY-MM-DD" in message and "/P7D" in message
