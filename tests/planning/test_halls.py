"""Hall staffing keeps the 10-minute promise with the fewest people, calls mobile fee
collectors only when every counter is open, and agrees with a simulated queue; opening hours
follow the observed demand of each district type."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sqm.planning.core.halls import (
    POLICIES,
    District,
    HallLimits,
    HoursPolicy,
    recommend_hours,
    share_within,
    staff_hall,
)
from sqm.planning.core.simulation import StaffingPlan, draw_exponential_calls, simulate_queue

SERVICE_S = 420.0  # 7 minutes at the counter
# A residential hall, 09:00–21:00: a lunch bump and the after-work peak.
DAY = np.array([20, 35, 48, 55, 70, 52, 45, 60, 85, 120, 105, 60], dtype=np.float64)


def test_each_hour_has_the_fewest_servers_that_keep_the_ten_minute_promise() -> None:
    limits = HallLimits(counters=20, collectors=0)
    for hour in staff_hall(DAY, SERVICE_S, limits, target=0.9, first_hour=9):
        servers = hour.counters + hour.collectors
        assert hour.meets_target
        assert hour.within_threshold >= 0.9
        fewer = float(share_within(servers - 1, hour.visits, SERVICE_S, 600.0)[()])
        assert servers == limits.min_counters or fewer < 0.9


def test_the_hours_are_labelled_from_the_first_opening_hour() -> None:
    plan = staff_hall(DAY, SERVICE_S, HallLimits(counters=20))
    assert [h.hour for h in staff_hall(DAY, SERVICE_S, HallLimits(20), first_hour=9)] == list(
        range(9, 21)
    )
    assert plan[0].hour == 0


@settings(max_examples=40, deadline=None)
@given(
    low=st.floats(0.0, 200.0),
    extra=st.floats(0.0, 200.0),
    service=st.floats(60.0, 900.0),
)
def test_more_visitors_never_need_fewer_counters(low: float, extra: float, service: float) -> None:
    limits = HallLimits(counters=200)
    quiet, busy = staff_hall([low, low + extra], service, limits)
    assert busy.counters >= quiet.counters


def test_collectors_come_only_when_every_counter_is_open_and_still_short() -> None:
    limits = HallLimits(counters=12, collectors=4, payment_share=0.4)
    plan = staff_hall(DAY, SERVICE_S, limits)
    with_collectors = [h for h in plan if h.collectors > 0]
    assert with_collectors, "the 120-visit evening peak needs more than 12 counters"
    for hour in plan:
        if hour.collectors:
            assert hour.counters == limits.counters
            assert hour.meets_target
            assert float(share_within(12, hour.visits, SERVICE_S, 600.0)[()]) < 0.9
        else:
            assert hour.counters <= limits.counters


def test_collectors_are_capped_by_the_payment_work_they_can_take() -> None:
    # 30% payments beside 5 counters: a collector pool carries at most 0.3/0.7 × 5 = 2.14
    # servers' worth of work, so 2 of the hall's 6 collectors can help.
    limits = HallLimits(counters=5, collectors=6, payment_share=0.3)
    assert limits.usable_collectors == 2
    (peak,) = staff_hall([120.0], SERVICE_S, limits)
    assert (peak.counters, peak.collectors) == (5, 2)
    assert not peak.meets_target
    assert peak.mean_wait_s == math.inf


def test_an_overloaded_hour_is_flagged_not_hidden() -> None:
    (hour,) = staff_hall([200.0], SERVICE_S, HallLimits(counters=8))
    assert not hour.meets_target
    assert hour.within_threshold == 0.0


def test_an_empty_hour_keeps_the_minimum_counter_open() -> None:
    (hour,) = staff_hall([0.0], SERVICE_S, HallLimits(counters=8, min_counters=1))
    assert (hour.counters, hour.collectors, hour.within_threshold) == (1, 0, 1.0)


def test_the_ten_minute_share_matches_a_simulated_hall() -> None:
    """Peak hour (120 visits/h, 7 min, 16 servers) held for 2,000 hours of simulated time,
    ~240k visitors: the simulated share within 10 minutes is within 0.01 of Erlang C (its
    spread over seeds is ~0.003) and the mean wait within 15% (at 88% utilisation waits are
    long-tailed and strongly correlated: over seeds the simulated mean spreads ±10%)."""
    (hour,) = staff_hall([120.0], SERVICE_S, HallLimits(counters=12, collectors=4))
    servers = hour.counters + hour.collectors
    rate = 120.0 / 3600
    rng = np.random.default_rng(0)
    arrivals, priority, service, patience = draw_exponential_calls(
        rng, rate, 2_000 * 3600.0, SERVICE_S
    )
    outcome = simulate_queue(arrivals, priority, service, patience, StaffingPlan.constant(servers))
    warm = arrivals > 10 * 3600.0
    assert outcome.service_level(600.0, warm) == pytest.approx(hour.within_threshold, abs=0.01)
    assert outcome.wait_s[warm].mean() == pytest.approx(hour.mean_wait_s, rel=0.15)


def _profile(peaks: list[tuple[int, float, float]]) -> np.ndarray:
    """Hourly demand as a sum of bumps (hour, height, width), zero at night."""
    hours = np.arange(24)
    demand = sum(h * np.exp(-0.5 * ((hours - c) / w) ** 2) for c, h, w in peaks)
    return np.where((hours >= 7) & (hours <= 22), demand, 0.0)


@pytest.mark.parametrize(
    ("district", "peaks"),
    [
        (District.RESIDENTIAL, [(12, 30.0, 1.5), (19, 80.0, 1.5)]),
        (District.BUSINESS, [(10, 70.0, 1.5), (14, 60.0, 2.0)]),
        (District.MIXED, [(11, 50.0, 1.5), (18, 50.0, 1.5)]),
        (District.CAMPUS, [(12, 40.0, 1.0), (17, 60.0, 2.0)]),
        (District.RURAL, [(10, 30.0, 2.0)]),
    ],
)
def test_opening_hours_cover_the_policys_share_in_one_window(
    district: District, peaks: list[tuple[int, float, float]]
) -> None:
    demand = _profile(peaks)
    rule = POLICIES[district]
    hours = recommend_hours(demand, district)
    share = demand / demand.sum()
    assert hours.meets_policy
    assert hours.covered_share >= rule.min_coverage
    assert hours.covered_share == pytest.approx(share[hours.open_hour : hours.close_hour].sum())
    assert rule.min_hours <= hours.hours <= rule.max_hours
    hot = np.flatnonzero(share >= rule.threshold_share)
    assert hours.open_hour <= hot.min()
    assert hot.max() < hours.close_hour


def test_residential_halls_stay_open_later_than_business_halls() -> None:
    residential = recommend_hours(_profile([(12, 30.0, 1.5), (19, 80.0, 1.5)]), "residential")
    business = recommend_hours(_profile([(10, 70.0, 1.5), (14, 60.0, 2.0)]), "business")
    assert residential.close_hour >= 21
    assert business.close_hour <= 18
    assert business.open_hour <= 9


def test_the_window_is_the_shortest_that_meets_the_policy() -> None:
    demand = _profile([(12, 50.0, 2.0), (18, 50.0, 2.0)])
    rule = HoursPolicy(0.5, 0.9, 1, 24)  # no hour holds half the day: coverage decides
    found = recommend_hours(demand, District.MIXED, rule)
    share = demand / demand.sum()
    shorter = [share[a : a + found.hours - 1].sum() for a in range(0, 25 - (found.hours - 1))]
    assert max(shorter) < 0.9 or found.hours == 1
    assert found.meets_policy


def test_days_of_demand_are_averaged_before_choosing() -> None:
    one_day = _profile([(10, 70.0, 1.5), (14, 60.0, 2.0)])
    week = np.stack([one_day * f for f in (0.8, 1.0, 1.2)])
    averaged, single = (
        recommend_hours(week, District.BUSINESS),
        recommend_hours(one_day, "business"),
    )
    assert (averaged.open_hour, averaged.close_hour) == (single.open_hour, single.close_hour)
    assert averaged.covered_share == pytest.approx(single.covered_share)


def test_a_policy_no_window_can_meet_is_flagged_with_the_best_window() -> None:
    flat = np.where((np.arange(24) >= 6) & (np.arange(24) < 22), 10.0, 0.0)
    tight = HoursPolicy(0.02, 0.95, 4, 8)
    found = recommend_hours(flat, District.RURAL, tight)
    assert not found.meets_policy
    assert found.hours == 8
    assert found.covered_share == pytest.approx(0.5)


def test_it_rejects_demand_that_is_not_twenty_four_hours() -> None:
    with pytest.raises(ValueError, match="24"):
        recommend_hours(np.ones(12), District.MIXED)
