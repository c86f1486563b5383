"""One staffing interface over Erlang B, C and A: the smallest team that keeps the promise,
never one more, with shrinkage and an occupancy cap."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sqm.planning.core.staffing import (
    Demand,
    Model,
    metrics,
    occupancies,
    required_agents,
    service_levels,
    staff,
    with_shrinkage,
)


def test_reproduces_the_call_center_tools_example_with_shrinkage() -> None:
    # PyPI call-center-tools README: 1000 calls/hour, AHT 120 s, 80% in 20 s, max occupancy
    # 85%, shrinkage 30% → "Agents: 40", "Agents + shrinkage: 58", occupancy 83.33 %.
    found = staff("c", Demand(1000, 3600, 120, 0.8, 20), shrinkage=0.3, max_occupancy=0.85)
    assert (found.raw_agents, found.agents) == (40, 58)
    assert found.metrics.occupancy == pytest.approx(0.8333, abs=5e-5)
    assert found.metrics.service_level == pytest.approx(0.9372, abs=5e-5)


@pytest.mark.parametrize("model", ["b", "c", "a"])
@pytest.mark.parametrize("calls", [3.0, 40.0, 360.0, 2500.0, 40_000.0])
def test_the_team_found_is_the_smallest_that_keeps_the_promise(model: Model, calls: float) -> None:
    demand = Demand(calls, 1800, 240, 0.85 if model != "b" else 0.99, 15, patience_s=120)
    n = int(required_agents(model, [demand], max_occupancy=0.9)[0])

    def keeps(agents: int) -> bool:
        level = float(service_levels(model, agents, demand)[()])
        busy = float(occupancies(model, agents, demand)[()])
        stable = model != "c" or agents > demand.traffic
        return level >= demand.target and busy <= 0.9 and stable

    assert keeps(n)
    assert not keeps(n - 1)


def test_a_whole_day_of_intervals_is_staffed_in_one_call() -> None:
    calls = np.concatenate([np.linspace(0, 12_000, 48), np.linspace(12_000, 50, 48)])
    demands = [Demand(float(c), 900, 300, 0.8, 20, patience_s=150) for c in calls]
    plan = required_agents("a", demands, min_agents=1)
    one_by_one = [int(required_agents("a", [d], min_agents=1)[0]) for d in demands[::7]]
    assert plan[::7].tolist() == one_by_one
    assert plan.max() > 1000 and plan[0] == 1


def test_patience_lowers_the_requirement_and_an_abandon_cap_raises_it() -> None:
    base = Demand(1200, 1800, 300, 0.8, 20, patience_s=90)
    erlang_c = int(required_agents("c", [base])[0])
    erlang_a = int(required_agents("a", [base])[0])
    capped = int(required_agents("a", [base], max_abandon=0.005)[0])
    assert erlang_a < erlang_c
    assert capped > erlang_a
    assert metrics("a", capped, base).abandon_rate <= 0.005
    assert metrics("a", capped - 1, base).abandon_rate > 0.005


def test_erlang_b_reports_blocking_and_no_queue() -> None:
    found = metrics("b", 10, Demand(5 * 1800 / 240, 1800, 240, 0.9))
    # B(10 lines, 5 Erlangs) = 0.018385 in the usual Erlang B tables.
    assert found.blocking == pytest.approx(0.018385, abs=1e-6)
    assert found.service_level == pytest.approx(1 - found.blocking)
    assert found.wait_probability == 0.0 and found.abandon_rate is None


def test_shrinkage_rounds_up_without_float_noise() -> None:
    assert with_shrinkage(7, 0.3) == 10
    assert with_shrinkage(40, 0.3) == 58
    assert with_shrinkage(0, 0.5) == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"calls": -1.0}, "calls"),
        ({"aht_s": 0.0}, "handling"),
        ({"target": 1.0}, "target"),
        ({"threshold_s": -5.0}, "answer time"),
        ({"patience_s": 0.0}, "patience"),
    ],
)
def test_bad_demands_are_refused_with_a_clear_message(
    kwargs: dict[str, float], message: str
) -> None:
    values: dict[str, float] = {"calls": 100.0, "interval_s": 1800.0, "aht_s": 240.0, "target": 0.8}
    values.update(kwargs)
    with pytest.raises(ValueError, match=message):
        Demand(**values)


def test_erlang_a_without_patience_is_refused() -> None:
    with pytest.raises(ValueError, match="patience"):
        staff("a", Demand(100, 1800, 240, 0.8, 20))
    with pytest.raises(ValueError, match="shrinkage"):
        staff("c", Demand(100, 1800, 240, 0.8, 20), shrinkage=1.0)
    assert math.isinf(metrics("c", 3, Demand(100, 1800, 240, 0.8, 20)).asa_s)


def test_an_overloaded_giant_interval_is_still_staffed_to_the_smallest_team() -> None:
    # 12,000 Erlangs with patience: the search used to stop at 11,007 agents because rounding
    # noise in the carried load (≈ n when overloaded) flipped the occupancy test. The exact
    # minimum, by 50-digit decimal arithmetic (benchmarks/planning_baselines.py), is 10,386.
    demand = Demand(12_000 * 900 / 300, 900, 300, 0.8, 20, patience_s=120)
    (agents,) = required_agents("a", [demand])
    below, at = service_levels("a", [agents - 1, agents], demand)
    assert at >= 0.8 > below
    assert agents == 10_386
