"""Erlang C in log space: agrees with the textbook recursion, stays finite at scale, and the
staffing search returns the smallest head-count that meets the target."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from sqm.planning.core import erlang


def _erlang_c_by_recursion(agents: int, traffic: float) -> float:
    """Erlang B by its stable recursion, then C = c·B / (c − A·(1 − B))."""
    b = 1.0
    for k in range(1, agents + 1):
        b = traffic * b / (k + traffic * b)
    return agents * b / (agents - traffic * (1 - b))


@pytest.mark.parametrize(
    ("agents", "traffic"), [(1, 0.5), (10, 8.0), (25, 20.0), (300, 280.0), (2000, 1950.0)]
)
def test_erlang_c_matches_the_recursion(agents: int, traffic: float) -> None:
    assert erlang.erlang_c(agents, traffic) == pytest.approx(
        _erlang_c_by_recursion(agents, traffic), rel=1e-9
    )


def test_textbook_value() -> None:
    # 10 agents, 8 Erlangs: P(wait) = 0.4092 (standard tables).
    assert erlang.erlang_c(10, 8.0) == pytest.approx(0.40918, abs=1e-4)


def test_stays_finite_for_thousands_of_agents() -> None:
    value = erlang.log_erlang_c(20_000, 19_800.0)
    assert math.isfinite(value) and value < 0
    assert erlang.erlang_c(5, 6.0) == 1.0  # overloaded: everyone waits


def test_service_level_rises_with_agents() -> None:
    levels = [erlang.service_level(c, 0.1, 240.0, 20.0) for c in range(25, 40)]
    assert all(b >= a for a, b in itertools.pairwise(levels))
    assert levels[0] < 0.8 < levels[-1]


@pytest.mark.parametrize("rate", [0.01, 0.1, 1.0, 10.0])
def test_staffing_search_returns_the_smallest_sufficient_team(rate: float) -> None:
    agents = erlang.agents_for_service_level(rate, 240.0, 0.8, 20.0)
    assert erlang.service_level(agents, rate, 240.0, 20.0) >= 0.8
    assert agents == 1 or erlang.service_level(agents - 1, rate, 240.0, 20.0) < 0.8


def test_staff_intervals_respects_bounds() -> None:
    plan = erlang.staff_intervals(np.array([0.0, 0.05, 0.5]), 240.0, 0.8, 20.0, min_agents=1)
    assert plan[0] == 1 and plan[1] < plan[2]
    capped = erlang.staff_intervals(np.array([0.5]), 240.0, 0.8, 20.0, max_agents=50)
    assert capped[0] == 50
