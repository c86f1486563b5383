"""Working-time arithmetic: hand-checked deadlines, edge cases and properties."""

from __future__ import annotations

import time as wallclock
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqm.complaints.core.calendar import (
    CONTINUOUS,
    SHANGHAI,
    CalendarError,
    WorkingCalendar,
    add_working_seconds,
    around_the_clock,
    working_seconds_between,
    working_seconds_per_day,
)

H = 3600
OFFICE = WorkingCalendar()  # 08:30-17:30, Monday to Friday, Asia/Shanghai
# The 2025 National Day and Mid-Autumn break: 1-8 October off, Sunday 28 September and
# Saturday 11 October worked (调休).
NATIONAL_DAY = OFFICE.with_days(
    [(date(2025, 10, d), False) for d in range(1, 9)]
    + [(date(2025, 9, 28), True), (date(2025, 10, 11), True)]
)
BERLIN = ZoneInfo("Europe/Berlin")
# A 24-hour calendar in a zone with daylight saving; the holiday keeps it off the shortcut.
BERLIN_ROUND_THE_CLOCK = WorkingCalendar(
    tz=BERLIN,
    day_start=time(0),
    day_end=time(0),
    weekdays=frozenset(range(7)),
    holidays=frozenset({date(2030, 1, 1)}),
)
LATE_SHIFT = WorkingCalendar(day_start=time(14), day_end=time(0), weekdays=frozenset({5, 6}))


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


# -- by hand -------------------------------------------------------------------------------


def test_three_hours_from_friday_afternoon_end_on_monday_morning() -> None:
    # Fri 16:00-17:30 is 1.5 h; the other 1.5 h run from Mon 08:30 to 10:00.
    assert add_working_seconds(OFFICE, sh(2025, 3, 7, 16), 3 * H) == sh(2025, 3, 10, 10)


def test_around_the_clock_counts_nights_and_weekends_but_not_holidays() -> None:
    promise = around_the_clock(NATIONAL_DAY)
    # Friday 26 September 10:00 + 48 h: Sunday 28th (a 调休 day, and a weekend) both count.
    assert add_working_seconds(promise, sh(2025, 9, 26, 10), 48 * H) == sh(2025, 9, 28, 10)
    # Tuesday 30th 10:00: 14 h to midnight, 1-8 October off, 34 h from the 9th.
    assert add_working_seconds(promise, sh(2025, 9, 30, 10), 48 * H) == sh(2025, 10, 10, 10)
    assert around_the_clock(OFFICE) == CONTINUOUS  # no holidays: the constant-time shortcut


def test_a_start_before_opening_counts_from_opening() -> None:
    # Mon 07:00 is before 08:30; one hour from 08:30 is 09:30.
    assert add_working_seconds(OFFICE, sh(2025, 3, 10, 7), H) == sh(2025, 3, 10, 9, 30)


def test_a_start_after_closing_counts_from_the_next_morning() -> None:
    # Mon 18:00 is after 17:30; one hour from Tue 08:30 is 09:30.
    assert add_working_seconds(OFFICE, sh(2025, 3, 10, 18), H) == sh(2025, 3, 11, 9, 30)


def test_a_budget_ending_at_closing_time_ends_at_closing_time() -> None:
    # Mon 08:30 + 9 h is Mon 17:30, not Tue 08:30.
    assert add_working_seconds(OFFICE, sh(2025, 3, 10, 8, 30), 9 * H) == sh(2025, 3, 10, 17, 30)


def test_a_start_on_a_holiday_waits_for_the_first_working_day_after_it() -> None:
    # Wed 1 Oct is a holiday, and so is everything to Wed 8 Oct; Thu 9 Oct 08:30 + 2 h.
    assert add_working_seconds(NATIONAL_DAY, sh(2025, 10, 1, 10), 2 * H) == sh(2025, 10, 9, 10, 30)


def test_a_tiaoxiu_sunday_is_worked() -> None:
    # Fri 26 Sep 17:00-17:30 is 0.5 h; Sat 27 is off; Sun 28 is worked: 08:30 + 0.5 h.
    assert add_working_seconds(NATIONAL_DAY, sh(2025, 9, 26, 17), H) == sh(2025, 9, 28, 9)
    # Without the 调休 the same hour ends on Monday 29.
    assert add_working_seconds(OFFICE, sh(2025, 9, 26, 17), H) == sh(2025, 9, 29, 9)


def test_forty_working_hours_across_the_national_day_break() -> None:
    # Tue 30 Sep 10:00-17:30 = 7.5 h;  1-8 Oct off;  Thu 9 = 9 h (16.5);  Fri 10 = 9 h (25.5);
    # Sat 11 (调休) = 9 h (34.5);  Sun 12 off;  Mon 13 needs 5.5 h more: 08:30 + 5.5 h = 14:00.
    start = sh(2025, 9, 30, 10)
    end = add_working_seconds(NATIONAL_DAY, start, 40 * H)
    assert end == sh(2025, 10, 13, 14)
    assert working_seconds_between(NATIONAL_DAY, start, end) == 40 * H


def test_working_time_over_a_weekend_by_hand() -> None:
    # Fri 12:00-17:30 = 5.5 h, Sat and Sun nothing, Mon 08:30-12:00 = 3.5 h: 9 h.
    assert working_seconds_between(OFFICE, sh(2025, 3, 7, 12), sh(2025, 3, 10, 12)) == 9 * H


def test_utc_inputs_give_the_same_moment_and_keep_their_zone() -> None:
    # 08:00Z is 16:00 in Shanghai; three working hours later is Mon 10:00 Shanghai = 02:00Z.
    end = add_working_seconds(OFFICE, datetime(2025, 3, 7, 8, tzinfo=UTC), 3 * H)
    assert end == datetime(2025, 3, 10, 2, tzinfo=UTC)
    assert end.tzinfo is UTC


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(CalendarError, match="timezone-aware"):
        add_working_seconds(OFFICE, datetime(2025, 3, 7, 16), H)
    with pytest.raises(CalendarError):
        working_seconds_between(OFFICE, datetime(2025, 3, 7), sh(2025, 3, 8))


@pytest.mark.parametrize("bad", [-1.0, float("nan"), float("inf")])
def test_negative_or_non_finite_seconds_are_refused(bad: float) -> None:
    with pytest.raises(CalendarError):
        add_working_seconds(OFFICE, sh(2025, 3, 7, 16), bad)


def test_zero_seconds_is_the_start_itself_even_at_night() -> None:
    night = sh(2025, 3, 8, 23)
    assert add_working_seconds(OFFICE, night, 0) is night


def test_shanghai_has_no_daylight_saving_so_a_continuous_day_is_always_24_hours() -> None:
    # 9 March and 30 March 2025 are DST changes in America and Europe, not in Shanghai.
    for d in (date(2025, 3, 9), date(2025, 3, 30), date(2025, 10, 26), date(2025, 11, 2)):
        start = datetime.combine(d, time(0), tzinfo=SHANGHAI)
        assert add_working_seconds(CONTINUOUS, start, 24 * H) == start + timedelta(days=1)
        assert working_seconds_between(OFFICE, start, start + timedelta(days=1)) in (0, 9 * H)


def test_a_zone_with_daylight_saving_counts_elapsed_seconds_not_wall_hours() -> None:
    # Berlin moved from 02:00 to 03:00 on Sunday 30 March 2025: that day lasted 23 hours.
    day = datetime(2025, 3, 30, tzinfo=BERLIN)
    assert working_seconds_between(BERLIN_ROUND_THE_CLOCK, day, day + timedelta(days=1)) == 23 * H


def test_hours_may_run_to_midnight() -> None:
    # Saturday 14:00-24:00 is 10 h; 12 h from Sat 20:00 = 4 h Saturday + 8 h from Sun 14:00.
    assert add_working_seconds(LATE_SHIFT, sh(2025, 3, 8, 20), 12 * H) == sh(2025, 3, 9, 22)
    assert working_seconds_per_day(LATE_SHIFT) == 10 * H


def test_the_standard_working_day_is_nine_hours() -> None:
    assert working_seconds_per_day(OFFICE) == 9 * H


def test_a_worked_override_beats_a_holiday_and_the_last_override_wins() -> None:
    d = date(2025, 10, 1)
    assert not NATIONAL_DAY.is_working_day(d)
    branch = NATIONAL_DAY.with_days([(d, True)])
    assert branch.is_working_day(d)
    assert not branch.with_days([(d, False)]).is_working_day(d)


def test_inverted_working_hours_are_refused() -> None:
    with pytest.raises(CalendarError):
        WorkingCalendar(day_start=time(18), day_end=time(9))


def test_a_calendar_without_working_days_fails_instead_of_hanging() -> None:
    empty = WorkingCalendar(weekdays=frozenset())
    with pytest.raises(CalendarError, match="no working day"):
        add_working_seconds(empty, sh(2025, 3, 7), H)
    assert working_seconds_between(empty, sh(2025, 3, 7), sh(2026, 3, 7)) == 0


def test_a_long_budget_costs_days_not_seconds() -> None:
    # 2,000 working days of seconds: a loop over seconds or hours would take minutes.
    began = wallclock.perf_counter()
    end = add_working_seconds(OFFICE, sh(2025, 1, 1), 2000 * 9 * H)
    assert working_seconds_between(OFFICE, sh(2025, 1, 1), end) == 2000 * 9 * H
    assert wallclock.perf_counter() - began < 1.0


# -- properties ----------------------------------------------------------------------------

CALENDARS = st.sampled_from([OFFICE, NATIONAL_DAY, CONTINUOUS, BERLIN_ROUND_THE_CLOCK, LATE_SHIFT])
ZONES = st.sampled_from([UTC, SHANGHAI, BERLIN])
MOMENTS = st.builds(
    lambda moment, zone: moment.astimezone(zone),
    st.datetimes(
        min_value=datetime(2024, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
    ),
    ZONES,
)
SECONDS = st.one_of(
    st.integers(min_value=0, max_value=400 * H).map(float),
    st.floats(min_value=0, max_value=400 * H, allow_nan=False),
)


@given(CALENDARS, MOMENTS, SECONDS)
def test_adding_then_measuring_gives_back_the_seconds(
    cal: WorkingCalendar, start: datetime, seconds: float
) -> None:
    end = add_working_seconds(cal, start, seconds)
    assert working_seconds_between(cal, start, end) == pytest.approx(seconds, abs=1e-3)
    assert end >= start


@given(CALENDARS, MOMENTS, SECONDS, SECONDS)
def test_more_seconds_never_end_earlier(
    cal: WorkingCalendar, start: datetime, x: float, y: float
) -> None:
    small, large = sorted((x, y))
    assert add_working_seconds(cal, start, small) <= add_working_seconds(cal, start, large)


@given(CALENDARS, MOMENTS, SECONDS)
def test_a_positive_budget_ends_inside_working_hours(
    cal: WorkingCalendar, start: datetime, seconds: float
) -> None:
    if seconds < 1e-6:
        return
    end = add_working_seconds(cal, start, seconds)
    local = end.astimezone(cal.tz)
    # The end is either inside a working day, or exactly its closing time (which, for a day
    # ending at 24:00, is midnight of the next date).
    for d in (local.date(), local.date() - timedelta(days=1)):
        opens, closes = cal.hours(d)
        if cal.is_working_day(d) and opens < end <= closes:
            return
    raise AssertionError(f"{end} is outside working hours")


@given(CALENDARS, MOMENTS, MOMENTS, MOMENTS)
def test_working_time_adds_up_over_consecutive_spans(
    cal: WorkingCalendar, a: datetime, b: datetime, c: datetime
) -> None:
    a, b, c = sorted((a, b, c))
    whole = working_seconds_between(cal, a, c)
    parts = working_seconds_between(cal, a, b) + working_seconds_between(cal, b, c)
    assert whole == pytest.approx(parts, abs=1e-6)
    assert working_seconds_between(cal, c, a) == 0 or a == c


@given(CALENDARS, MOMENTS, SECONDS, SECONDS)
def test_adding_in_two_steps_is_adding_once(
    cal: WorkingCalendar, start: datetime, x: float, y: float
) -> None:
    if y == 0:
        return  # adding nothing stays put even outside hours; covered separately
    once = add_working_seconds(cal, start, x + y)
    twice = add_working_seconds(cal, add_working_seconds(cal, start, x), y)
    assert abs(once.timestamp() - twice.timestamp()) < 1e-3


@given(MOMENTS, SECONDS)
def test_the_continuous_calendar_is_plain_elapsed_time(start: datetime, seconds: float) -> None:
    end = add_working_seconds(CONTINUOUS, start, seconds)
    # Timestamps, because subtracting two Berlin times would give wall-clock hours.
    assert abs(end.timestamp() - start.timestamp() - seconds) < 1e-5
