"""Erlang A (M/M/n+M): equal to the model's own birth–death chain, to Erlang C as patience
grows, well-behaved in the agents, finite at scale, and confirmed by the simulator."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.linalg import expm

from sqm.planning.core import erlang, erlang_a
from sqm.planning.core.simulation import StaffingPlan, draw_exponential_calls, simulate_queue


def _by_birth_death_chain(
    agents: int, rate: float, aht: float, threshold: float, patience: float, size: int = 400
) -> tuple[float, float, float]:
    """The definition, computed the slow way: the stationary law of the number in system
    (truncated at ``size``), then for each state a caller may find, the chance of being
    answered within ``threshold`` from the transient of "callers ahead" (matrix exponential).
    Returns (P(wait), P(abandon), service level)."""
    mu, theta = 1 / aht, 1 / patience
    log_p = np.zeros(size + 1)
    for k in range(1, size + 1):
        log_p[k] = log_p[k - 1] + math.log(
            rate / (min(k, agents) * mu + max(k - agents, 0) * theta)
        )
    p = np.exp(log_p - log_p.max())
    p /= p.sum()
    queue = np.arange(size + 1) - agents
    abandon = theta * float((np.maximum(queue, 0) * p).sum()) / rate
    ahead = size - agents  # states 0..ahead, then "answered" (absorbing); abandoning leaks out
    q = np.zeros((ahead + 2, ahead + 2))
    for m in range(ahead + 1):
        q[m, m - 1 if m else ahead + 1] = agents * mu + m * theta
        q[m, m] = -(agents * mu + m * theta + theta)
    answered_by_t = expm(q * threshold)[: ahead + 1, ahead + 1]
    level = float(p[:agents].sum() + (p[agents:] * answered_by_t).sum())
    return float(p[agents:].sum()), abandon, level


@pytest.mark.parametrize(
    ("agents", "calls_per_aht", "aht", "threshold", "patience"),
    [
        (10, 8.0, 240.0, 20.0, 180.0),
        (20, 25.0, 240.0, 15.0, 60.0),
        (3, 2.0, 200.0, 30.0, 500.0),
        (50, 45.0, 300.0, 20.0, 90.0),
        (1, 3.0, 60.0, 10.0, 30.0),
    ],
)
def test_matches_the_birth_death_chain_it_solves(
    agents: int, calls_per_aht: float, aht: float, threshold: float, patience: float
) -> None:
    rate = calls_per_aht / aht
    wait, abandon, level = _by_birth_death_chain(agents, rate, aht, threshold, patience)
    assert float(erlang_a.wait_probability(agents, rate, aht, patience)) == pytest.approx(
        wait, rel=1e-9
    )
    assert float(erlang_a.abandon_probability(agents, rate, aht, patience)) == pytest.approx(
        abandon, rel=1e-9
    )
    assert float(erlang_a.service_level(agents, rate, aht, threshold, patience)) == pytest.approx(
        level, rel=1e-9
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 1500), st.floats(0.3, 0.97), st.floats(0.0, 120.0))
def test_with_patience_growing_without_bound_it_becomes_erlang_c(
    agents: int, load: float, threshold: float
) -> None:
    rate = agents * load / 300.0
    patience = 1e9  # θ = 1e-9 per second: x = n·patience/AHT reaches 5·10⁹
    assert float(erlang_a.service_level(agents, rate, 300.0, threshold, patience)) == pytest.approx(
        float(erlang.service_level(agents, rate, 300.0, threshold)), abs=1e-4
    )
    assert float(erlang_a.wait_probability(agents, rate, 300.0, patience)) == pytest.approx(
        float(erlang.erlang_c(agents, rate * 300.0)), abs=1e-4
    )


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 800), st.floats(0.2, 1.6), st.floats(10.0, 1200.0), st.floats(0.0, 60.0))
def test_more_agents_mean_fewer_abandons_and_a_higher_service_level(
    agents: int, load: float, patience: float, threshold: float
) -> None:
    rate = agents * load / 240.0
    team = np.arange(max(agents - 20, 0), agents + 20)
    abandon = erlang_a.abandon_probability(team, rate, 240.0, patience)
    level = erlang_a.service_level(team, rate, 240.0, threshold, patience)
    # Monotone up to the formulas' absolute accuracy (differences of log K at ~1e-13).
    assert (np.diff(abandon) <= 1e-10).all(), np.diff(abandon).max()
    assert (np.diff(level) >= -1e-10).all(), np.diff(level).min()
    assert ((abandon >= 0) & (abandon <= 1) & (level >= 0) & (level <= 1)).all()


def test_stays_finite_for_thousands_of_agents_and_very_long_patience() -> None:
    for agents, patience in [(5000, 1e7), (5000, 5.0), (20_000, 600.0)]:
        rate = agents * 0.98 / 300.0
        values = [
            float(erlang_a.service_level(agents, rate, 300.0, 20.0, patience)),
            float(erlang_a.abandon_probability(agents, rate, 300.0, patience)),
            float(erlang_a.wait_probability(agents, rate, 300.0, patience)),
        ]
        assert all(math.isfinite(v) and 0 <= v <= 1 for v in values)
    # Overloaded by half: the queue is still stable, a third of the callers hang up.
    overloaded = float(erlang_a.abandon_probability(100, 150 / 240, 240.0, 120.0))
    assert 0.3 < overloaded < 0.36


def test_no_agents_means_everyone_hangs_up_and_no_calls_means_perfect_service() -> None:
    assert float(erlang_a.abandon_probability(0, 0.1, 240.0, 60.0)) == 1.0
    assert float(erlang_a.service_level(0, 0.1, 240.0, 20.0, 60.0)) == 0.0
    assert float(erlang_a.service_level(3, 0.0, 240.0, 20.0, 60.0)) == 1.0


def test_analytic_measures_agree_with_the_simulator() -> None:
    """M/M/18+M at load 18 (ρ = 1, unstable under Erlang C), AHT 240 s, patience 180 s:
    200k simulated calls. Service level (20 s), P(wait), abandonment and the ASA of answered
    calls agree with the formulas within 0.01 (0.5 s for the ASA); sampling error is ~0.003."""
    agents, aht, patience = 18, 240.0, 180.0
    rate = 18.0 / aht
    rng = np.random.default_rng(21)
    calls = draw_exponential_calls(rng, rate, 200_000 / rate, aht, mean_patience_s=patience)
    out = simulate_queue(*calls, StaffingPlan.constant(agents))
    warm = calls[0] > 20 * aht
    found = erlang_a.metrics(agents, rate, aht, 20.0, patience)
    answered = out.answered & warm
    assert out.service_level(20.0, warm) == pytest.approx(found.service_level, abs=0.01)
    assert out.abandon_rate(warm) == pytest.approx(found.abandon_probability, abs=0.01)
    assert float((out.wait_s[warm] > 0).mean()) == pytest.approx(found.wait_probability, abs=0.01)
    assert float(out.wait_s[answered].mean()) == pytest.approx(found.asa_s, abs=0.5)
    assert float(out.wait_s[warm].mean()) == pytest.approx(found.mean_wait_s, abs=0.5)
