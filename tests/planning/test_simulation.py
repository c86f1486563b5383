"""The queue simulator: agrees with Erlang C where Erlang C holds, and behaves like a tiered
call centre where it does not (priorities, abandonment, staffing changes)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sqm.planning.core import erlang
from sqm.planning.core.simulation import StaffingPlan, draw_exponential_calls, simulate_queue

AHT = 240.0


def test_matches_erlang_c_for_a_stationary_single_class_queue() -> None:
    """M/M/20 at 80% load, 200k calls, no abandonment: the simulated service level and share
    of calls that wait are within 0.015 of Erlang C (sampling error is ~0.005)."""
    agents, traffic = 20, 16.0
    rate = traffic / AHT
    rng = np.random.default_rng(11)
    arrivals, priority, service, patience = draw_exponential_calls(rng, rate, 200_000 / rate, AHT)
    outcome = simulate_queue(arrivals, priority, service, patience, StaffingPlan.constant(agents))
    warm = arrivals > 20 * AHT  # drop the empty-start transient
    waited = float((outcome.wait_s[warm] > 0).mean())
    assert outcome.service_level(20.0, warm) == pytest.approx(
        erlang.service_level(agents, rate, AHT, 20.0), abs=0.015
    )
    assert waited == pytest.approx(erlang.erlang_c(agents, traffic), abs=0.015)
    assert not outcome.abandoned.any()


def _calls(seed: int = 3) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return draw_exponential_calls(
        rng,
        18.0 / AHT,
        3 * 86_400,
        AHT,
        classes=2,
        class_shares=np.array([0.2, 0.8]),
        mean_patience_s=180.0,
    )


def test_waits_and_abandonment_rise_when_staffing_falls() -> None:
    calls = _calls()
    full = simulate_queue(*calls, StaffingPlan.constant(22))
    short = simulate_queue(*calls, StaffingPlan.constant(18))
    assert short.wait_s.mean() > 2 * full.wait_s.mean()
    assert short.abandon_rate() > full.abandon_rate() + 0.03
    assert short.service_level(20) < full.service_level(20) - 0.1


def test_higher_tier_waits_less_under_the_same_load() -> None:
    arrivals, priority, service, patience = _calls()
    outcome = simulate_queue(arrivals, priority, service, patience, StaffingPlan.constant(19))
    vip, ordinary = priority == 0, priority == 1
    assert outcome.wait_s[vip].mean() < 0.5 * outcome.wait_s[ordinary].mean()
    assert outcome.abandon_rate(vip) < outcome.abandon_rate(ordinary)
    assert outcome.service_level(15, vip) > outcome.service_level(15, ordinary)


def test_fcfs_within_a_class() -> None:
    arrivals = np.array([0.0, 1.0, 2.0, 3.0])
    out = simulate_queue(
        arrivals,
        np.zeros(4, np.int64),
        np.full(4, 10.0),
        np.full(4, math.inf),
        StaffingPlan.constant(1),
    )
    assert out.answered_s.tolist() == [0.0, 10.0, 20.0, 30.0]


def test_priority_is_non_preemptive() -> None:
    # An ordinary call in service is not interrupted by a VIP; the VIP goes next.
    out = simulate_queue(
        np.array([0.0, 1.0, 2.0]),
        np.array([1, 1, 0]),
        np.full(3, 10.0),
        np.full(3, math.inf),
        StaffingPlan.constant(1),
    )
    assert out.answered_s.tolist() == [0.0, 20.0, 10.0]


def test_abandonment_at_the_patience_deadline() -> None:
    out = simulate_queue(
        np.array([0.0, 1.0]),
        np.zeros(2, np.int64),
        np.array([100.0, 10.0]),
        np.array([math.inf, 30.0]),
        StaffingPlan.constant(1),
    )
    assert math.isnan(out.answered_s[1]) and out.abandoned_s[1] == 31.0
    assert out.agent[1] == -1 and out.ended_s[1] == 31.0


def test_agents_leaving_finish_the_call_in_hand() -> None:
    # Two agents until t=100, then one. The call taken at t=90 by agent 1 ends at t=190.
    plan = StaffingPlan(np.array([2, 1]), 100.0)
    out = simulate_queue(
        np.array([0.0, 90.0, 150.0]),
        np.zeros(3, np.int64),
        np.array([120.0, 100.0, 10.0]),
        np.full(3, math.inf),
        plan,
    )
    assert out.agent[1] == 1 and out.ended_s[1] == 190.0
    # Agent 0 is free again from t=120, so the third call is answered on arrival.
    assert out.answered_s[2] == 150.0 and out.agent[2] == 0


def test_no_agents_means_everyone_abandons() -> None:
    out = simulate_queue(
        np.array([0.0, 5.0]),
        np.zeros(2, np.int64),
        np.full(2, 10.0),
        np.full(2, 60.0),
        StaffingPlan(np.array([0, 0]), 100.0),
    )
    assert out.abandoned.all() and out.abandoned_s.tolist() == [60.0, 65.0]


def test_time_varying_staffing_only_uses_agents_on_duty() -> None:
    rng = np.random.default_rng(5)
    calls = draw_exponential_calls(rng, 10.0 / AHT, 8 * 3600, AHT, mean_patience_s=200.0)
    agents = np.array([4, 12, 6, 14, 3, 9, 12, 5])
    plan = StaffingPlan(agents, 3600.0)
    out = simulate_queue(*calls, plan)
    answered = out.answered
    interval = np.minimum((out.answered_s[answered] // 3600).astype(int), len(agents) - 1)
    assert (out.agent[answered] < agents[interval]).all()


def test_deterministic() -> None:
    calls = _calls(9)
    a = simulate_queue(*calls, StaffingPlan.constant(19))
    b = simulate_queue(*calls, StaffingPlan.constant(19))
    for x, y in ((a.answered_s, b.answered_s), (a.abandoned_s, b.abandoned_s)):
        assert np.array_equal(x, y, equal_nan=True)
    assert np.array_equal(a.agent, b.agent)
