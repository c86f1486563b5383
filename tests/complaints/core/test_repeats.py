"""Repeat detection: same customer, same category, 30 days inclusive."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from sqm.complaints.core.calendar import SHANGHAI
from sqm.complaints.core.repeats import (
    REPEAT_WINDOW_DAYS,
    PriorComplaint,
    find_repeats,
    repeat_key_window,
)

NOW = datetime(2025, 6, 30, 12, tzinfo=SHANGHAI)
DAYS_30 = timedelta(days=30)
TICK = timedelta(microseconds=1)


def prior(
    id: str, at: datetime, customer: str = "C1", category: str = "bills.overcharge"
) -> PriorComplaint:
    return PriorComplaint(id, customer, category, at)


def test_exactly_thirty_days_before_is_a_repeat_and_a_microsecond_more_is_not() -> None:
    assert REPEAT_WINDOW_DAYS == 30
    history = [prior("edge", NOW - DAYS_30), prior("old", NOW - DAYS_30 - TICK)]
    assert find_repeats("C1", "bills.overcharge", NOW, history) == ["edge"]


def test_the_same_instant_counts_but_a_later_complaint_does_not() -> None:
    history = [prior("same", NOW), prior("later", NOW + TICK)]
    assert find_repeats("C1", "bills.overcharge", NOW, history) == ["same"]


def test_other_customers_and_other_categories_are_not_repeats() -> None:
    history = [
        prior("other-customer", NOW - timedelta(days=1), customer="C2"),
        prior("other-category", NOW - timedelta(days=1), category="bills.vas_dispute"),
        prior("hit", NOW - timedelta(days=1)),
    ]
    assert find_repeats("C1", "bills.overcharge", NOW, history) == ["hit"]


def test_repeats_come_newest_first() -> None:
    history = [prior(str(d), NOW - timedelta(days=d)) for d in (20, 3, 11)]
    assert find_repeats("C1", "bills.overcharge", NOW, history) == ["3", "11", "20"]


def test_the_window_is_elapsed_time_whatever_the_zone() -> None:
    utc_prior = prior("p", (NOW - DAYS_30).astimezone(UTC))
    assert find_repeats("C1", "bills.overcharge", NOW, [utc_prior]) == ["p"]


def test_the_query_window_is_the_thirty_days_up_to_the_new_complaint() -> None:
    assert repeat_key_window(NOW) == (NOW - DAYS_30, NOW)


@given(st.lists(st.integers(-40 * 86400, 5 * 86400), max_size=20))
def test_find_repeats_is_exactly_the_inclusive_window(offsets: list[int]) -> None:
    history = [prior(f"p{i}", NOW + timedelta(seconds=s)) for i, s in enumerate(offsets)]
    found = set(find_repeats("C1", "bills.overcharge", NOW, history))
    expected = {f"p{i}" for i, s in enumerate(offsets) if -30 * 86400 <= s <= 0}
    assert found == expected
