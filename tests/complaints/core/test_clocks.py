"""SLA clocks: deadlines with pauses, phases, and the clock events."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqm.complaints.core import clocks
from sqm.complaints.core.calendar import (
    CONTINUOUS,
    SHANGHAI,
    WorkingCalendar,
    add_working_seconds,
)
from sqm.complaints.core.categories import Severity
from sqm.complaints.core.clocks import Clock, ClockError, ClockKind, Phase

H = 3600
OFFICE = WorkingCalendar()


def sh(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=SHANGHAI)


def office_clock(start: datetime, hours: float, **kwargs: object) -> Clock:
    return Clock(ClockKind.RESOLUTION, OFFICE, start, hours * H, **kwargs)  # type: ignore[arg-type]


MONDAY_9 = sh(2025, 3, 10, 9)


# -- by hand -------------------------------------------------------------------------------


def test_the_first_reply_promise_runs_through_the_weekend() -> None:
    # Friday 20:00 + 48 continuous hours = Sunday 20:00.
    clock = clocks.first_reply_clock(sh(2025, 3, 7, 20))
    assert clocks.deadline(clock) == sh(2025, 3, 9, 20)
    assert clock.calendar is CONTINUOUS


def test_a_resolution_deadline_by_hand() -> None:
    # 16 h from Mon 09:00: Mon 09:00-17:30 = 8.5 h, Tue 08:30 + 7.5 h = Tue 16:00.
    assert clocks.deadline(office_clock(MONDAY_9, 16)) == sh(2025, 3, 11, 16)


def test_waiting_for_the_customer_pushes_the_deadline_by_the_working_time_waited() -> None:
    # Used Mon 09:00-12:00 = 3 h, paused to Wed 12:00, 13 h left:
    # Wed 12:00-17:30 = 5.5 h, Thu 08:30 + 7.5 h = Thu 16:00.
    clock = office_clock(MONDAY_9, 16, pauses=((sh(2025, 3, 10, 12), sh(2025, 3, 12, 12)),))
    assert clocks.deadline(clock) == sh(2025, 3, 13, 16)
    assert clocks.used_seconds(clock, sh(2025, 3, 12, 12)) == 3 * H


def test_the_resolution_clock_takes_its_budget_from_the_catalogue() -> None:
    clock = clocks.resolution_clock(OFFICE, MONDAY_9, "coverage.indoor", Severity.CRITICAL)
    assert clock.budget_seconds == 16 * H
    assert clock.kind == ClockKind.RESOLUTION


def test_an_open_pause_counts_until_now_when_now_is_given() -> None:
    clock = clocks.pause(office_clock(MONDAY_9, 16), sh(2025, 3, 10, 12))
    assert clocks.deadline(clock) == sh(2025, 3, 11, 16)  # as if resumed at once
    # Still paused on Wed 12:00: the same answer as the closed pause above.
    assert clocks.deadline(clock, now=sh(2025, 3, 12, 12)) == sh(2025, 3, 13, 16)


def test_the_phases_of_a_clock_by_hand() -> None:
    # Mon 09:00-17:30 = 8.5 h, Tue 08:30 + 1.5 h: due Tue 10:00; 8 h used at Mon 17:00.
    clock = office_clock(MONDAY_9, 10)
    assert clocks.phase(clock, sh(2025, 3, 10, 16, 59)) == Phase.RUNNING
    assert clocks.phase(clock, sh(2025, 3, 10, 17)) == Phase.WARNING
    assert clocks.phase(clock, sh(2025, 3, 11, 10)) == Phase.WARNING  # at the deadline
    assert clocks.phase(clock, sh(2025, 3, 11, 10, 0, 1)) == Phase.BREACHED
    assert clocks.warning_at(clock) == sh(2025, 3, 10, 17)


def test_a_paused_clock_is_paused_until_it_was_already_breached() -> None:
    clock = office_clock(MONDAY_9, 10)
    waiting = clocks.pause(clock, sh(2025, 3, 10, 12))
    assert clocks.phase(waiting, sh(2025, 3, 20, 12)) == Phase.PAUSED
    late = clocks.pause(clock, sh(2025, 3, 11, 11))  # after the 10:00 deadline
    assert clocks.phase(late, sh(2025, 3, 12, 12)) == Phase.BREACHED
    assert clocks.deadline(late, now=sh(2025, 3, 20)) == sh(2025, 3, 11, 10)


def test_a_stopped_clock_is_met_or_missed() -> None:
    clock = office_clock(MONDAY_9, 10)
    met = clocks.stop(clock, sh(2025, 3, 11, 10))
    assert clocks.phase(met, sh(2025, 4, 1)) == Phase.MET
    missed = clocks.stop(clock, sh(2025, 3, 11, 10, 1))
    assert clocks.phase(missed, sh(2025, 4, 1)) == Phase.MISSED
    # Asked about a moment before the stop, the clock was simply running then.
    assert clocks.phase(met, sh(2025, 3, 10, 10)) == Phase.RUNNING
    assert clocks.used_seconds(met, sh(2025, 4, 1)) == 10 * H


def test_stop_ends_an_open_pause() -> None:
    paused = clocks.pause(office_clock(MONDAY_9, 10), sh(2025, 3, 10, 12))
    stopped = clocks.stop(paused, sh(2025, 3, 11, 9))
    assert stopped.pauses == ((sh(2025, 3, 10, 12), sh(2025, 3, 11, 9)),)
    assert stopped.open_pause is None
    assert clocks.used_seconds(stopped, sh(2025, 4, 1)) == 3 * H


def test_reopening_charges_only_the_budget_left_at_resolution() -> None:
    # Resolved Mon 12:00 after 3 h; reopened Thu 09:00; 7 h left: Thu 09:00 + 7 h = Thu 16:00.
    resolved = clocks.stop(office_clock(MONDAY_9, 10), sh(2025, 3, 10, 12))
    reopened = clocks.reopen(resolved, sh(2025, 3, 13, 9))
    assert reopened.stopped_at is None
    assert clocks.deadline(reopened) == sh(2025, 3, 13, 16)


def test_repeating_an_event_changes_nothing() -> None:
    clock = office_clock(MONDAY_9, 10)
    assert clocks.resume(clock, sh(2025, 3, 10, 10)) is clock
    assert clocks.reopen(clock, sh(2025, 3, 10, 10)) is clock
    paused = clocks.pause(clock, sh(2025, 3, 10, 10))
    assert clocks.pause(paused, sh(2025, 3, 10, 11)) is paused
    stopped = clocks.stop(clock, sh(2025, 3, 10, 10))
    assert clocks.stop(stopped, sh(2025, 3, 10, 11)) is stopped


def test_events_out_of_order_are_refused() -> None:
    clock = office_clock(MONDAY_9, 10)
    with pytest.raises(ClockError):
        clocks.pause(clock, sh(2025, 3, 10, 8))
    paused = clocks.pause(clock, sh(2025, 3, 10, 12))
    with pytest.raises(ClockError):
        clocks.resume(paused, sh(2025, 3, 10, 11))
    with pytest.raises(ClockError):
        clocks.pause(clocks.stop(clock, sh(2025, 3, 10, 12)), sh(2025, 3, 10, 13))
    with pytest.raises(ClockError):
        clocks.reopen(clocks.stop(clock, sh(2025, 3, 10, 12)), sh(2025, 3, 10, 11))


@pytest.mark.parametrize(
    "kwargs",
    [
        {"pauses": ((sh(2025, 3, 10, 12), sh(2025, 3, 10, 11)),)},
        {"pauses": ((sh(2025, 3, 10, 8), sh(2025, 3, 10, 11)),)},
        {"pauses": ((sh(2025, 3, 10, 10), None), (sh(2025, 3, 10, 12), None))},
        {"pauses": ((sh(2025, 3, 10, 10), sh(2025, 3, 10, 12)), (sh(2025, 3, 10, 11), None))},
        {"pauses": ((sh(2025, 3, 10, 10), None),), "stopped_at": sh(2025, 3, 10, 12)},
        {"stopped_at": sh(2025, 3, 10, 8)},
    ],
)
def test_an_impossible_history_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ClockError):
        office_clock(MONDAY_9, 10, **kwargs)


def test_naive_times_and_negative_budgets_are_refused() -> None:
    with pytest.raises(ClockError):
        Clock(ClockKind.RESOLUTION, OFFICE, datetime(2025, 3, 10, 9), H)
    with pytest.raises(ClockError):
        office_clock(MONDAY_9, -1)
    with pytest.raises(ClockError):
        clocks.phase(office_clock(MONDAY_9, 1), datetime(2025, 3, 10, 9))


def test_utc_and_shanghai_times_mix_freely() -> None:
    clock = office_clock(datetime(2025, 3, 10, 1, tzinfo=UTC), 16)  # 09:00 Shanghai
    assert clocks.deadline(clock) == sh(2025, 3, 11, 16)


# -- properties ----------------------------------------------------------------------------

STARTS = st.datetimes(
    min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31), timezones=st.just(SHANGHAI)
)
BUDGETS = st.integers(min_value=0, max_value=100 * H)
CALENDARS = st.sampled_from([OFFICE, CONTINUOUS])
GAPS = st.lists(st.tuples(st.integers(0, 120 * H), st.integers(0, 120 * H)), min_size=0, max_size=4)


def _pauses(start: datetime, gaps: list[tuple[int, int]]) -> tuple[tuple[datetime, datetime], ...]:
    """Closed pauses laid end to end after ``start``: (wait before, pause length) in seconds."""
    result = []
    at = start
    for before, length in gaps:
        begins = at + timedelta(seconds=before)
        at = begins + timedelta(seconds=length)
        result.append((begins, at))
    return tuple(result)


@given(CALENDARS, STARTS, BUDGETS)
def test_without_pauses_the_deadline_is_the_calendar_sum(
    cal: WorkingCalendar, start: datetime, budget: int
) -> None:
    clock = Clock(ClockKind.RESOLUTION, cal, start, budget)
    assert clocks.deadline(clock) == add_working_seconds(cal, start, budget)


@given(CALENDARS, STARTS, BUDGETS, GAPS, st.data())
def test_adding_a_pause_never_makes_the_deadline_earlier(
    cal: WorkingCalendar,
    start: datetime,
    budget: int,
    gaps: list[tuple[int, int]],
    data: st.DataObject,
) -> None:
    pauses = _pauses(start, gaps)
    if not pauses:
        return
    dropped = data.draw(st.integers(0, len(pauses) - 1))
    fewer = pauses[:dropped] + pauses[dropped + 1 :]
    with_all = Clock(ClockKind.RESOLUTION, cal, start, budget, pauses=pauses)
    without_one = Clock(ClockKind.RESOLUTION, cal, start, budget, pauses=fewer)
    assert clocks.deadline(with_all) >= clocks.deadline(without_one)


@given(CALENDARS, STARTS, BUDGETS, GAPS, st.integers(0, 300 * H))
def test_a_pause_of_zero_length_changes_nothing(
    cal: WorkingCalendar, start: datetime, budget: int, gaps: list[tuple[int, int]], at: int
) -> None:
    pauses = _pauses(start, gaps)
    last = pauses[-1][1] if pauses else start
    moment = last + timedelta(seconds=at)
    plain = Clock(ClockKind.RESOLUTION, cal, start, budget, pauses=pauses)
    blink = Clock(ClockKind.RESOLUTION, cal, start, budget, pauses=(*pauses, (moment, moment)))
    assert clocks.deadline(blink) == clocks.deadline(plain)
    later = moment + timedelta(hours=1)
    assert clocks.used_seconds(blink, later) == clocks.used_seconds(plain, later)


@given(CALENDARS, STARTS, BUDGETS, GAPS)
def test_used_time_at_the_deadline_is_the_budget(
    cal: WorkingCalendar, start: datetime, budget: int, gaps: list[tuple[int, int]]
) -> None:
    clock = Clock(ClockKind.RESOLUTION, cal, start, budget, pauses=_pauses(start, gaps))
    assert clocks.used_seconds(clock, clocks.deadline(clock)) == pytest.approx(budget, abs=1e-3)


@given(CALENDARS, STARTS, st.integers(1, 100 * H), GAPS, st.lists(st.integers(0, 400 * H)))
def test_phases_only_move_forward_running_warning_breached(
    cal: WorkingCalendar,
    start: datetime,
    budget: int,
    gaps: list[tuple[int, int]],
    offsets: list[int],
) -> None:
    clock = Clock(ClockKind.RESOLUTION, cal, start, budget, pauses=_pauses(start, gaps))
    rank = {Phase.RUNNING: 0, Phase.WARNING: 1, Phase.BREACHED: 2}
    seen = [clocks.phase(clock, start + timedelta(seconds=s)) for s in sorted(offsets)]
    ranks = [rank[p] for p in seen if p != Phase.PAUSED]
    assert ranks == sorted(ranks)
    if not gaps:
        assert Phase.PAUSED not in seen


@given(CALENDARS, STARTS, BUDGETS, st.integers(0, 200 * H), st.integers(0, 200 * H))
def test_the_deadline_of_an_open_pause_only_moves_later_as_time_passes(
    cal: WorkingCalendar, start: datetime, budget: int, pause_at: int, waited: int
) -> None:
    begins = start + timedelta(seconds=pause_at)
    clock = clocks.pause(Clock(ClockKind.RESOLUTION, cal, start, budget), begins)
    sooner = clocks.deadline(clock, now=begins + timedelta(seconds=waited // 2))
    later = clocks.deadline(clock, now=begins + timedelta(seconds=waited))
    assert clocks.deadline(clock) <= sooner <= later


@given(CALENDARS, STARTS, BUDGETS, st.integers(0, 400 * H), st.integers(0, 400 * H))
def test_used_time_never_decreases(
    cal: WorkingCalendar, start: datetime, budget: int, x: int, y: int
) -> None:
    clock = Clock(ClockKind.RESOLUTION, cal, start, budget)
    a, b = sorted((x, y))
    used_a = clocks.used_seconds(clock, start + timedelta(seconds=a))
    assert 0 <= used_a <= clocks.used_seconds(clock, start + timedelta(seconds=b))


@given(CALENDARS, STARTS, st.integers(1, 100 * H), st.floats(0, 1))
def test_the_warning_comes_no_later_than_the_deadline(
    cal: WorkingCalendar, start: datetime, budget: int, fraction: float
) -> None:
    clock = Clock(ClockKind.RESOLUTION, cal, start, budget)
    assert start <= clocks.warning_at(clock, fraction) <= clocks.deadline(clock)
