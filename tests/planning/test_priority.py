"""Tiered priority staffing: VIP first without preemption, checked against the simulator,
and the smallest team that keeps both tiers' promises and answers everyone eventually."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sqm.planning.core import erlang
from sqm.planning.core.priority import Tier, TieredDemand, measures, staff_tiers
from sqm.planning.core.simulation import (
    QueueOutcome,
    StaffingPlan,
    draw_exponential_calls,
    simulate_queue,
)

AHT = 240.0


def _demand(patience: float = math.inf, vip: float = 60, ordinary: float = 300) -> TieredDemand:
    return TieredDemand(Tier(vip, 0.85, 15), Tier(ordinary, 0.8, 60), 1800, AHT, patience)


def _simulate(
    demand: TieredDemand, agents: int, calls: int, seed: int
) -> tuple[QueueOutcome, np.ndarray, np.ndarray]:
    rate = demand.vip_rate + demand.ordinary_rate
    shares = np.array([demand.vip_rate, demand.ordinary_rate]) / rate
    rng = np.random.default_rng(seed)
    drawn = draw_exponential_calls(
        rng,
        rate,
        calls / rate,
        AHT,
        classes=2,
        class_shares=shares,
        mean_patience_s=demand.patience_s,
    )
    out = simulate_queue(*drawn, StaffingPlan.constant(agents))
    warm = drawn[0] > 20 * AHT  # drop the empty-start transient
    return out, warm & (drawn[1] == 0), warm & (drawn[1] == 1)


def test_both_tiers_agree_with_the_simulator_and_the_preemptive_shortcut_flatters_vips() -> None:
    """M/M/56 at load 48 (ρ = 0.86), 1 in 6 callers VIP, 300k simulated calls. VIP 15 s and
    ordinary 60 s service levels within 0.01 of the analysis (sampling error ~0.004). The
    shortcut "VIP alone on an M/M/n" claims 100% VIP service; the non-preemptive truth (and
    the simulator) is 99.1%, because VIPs also wait for ordinary calls already in service."""
    demand = _demand()
    agents = 56
    found = measures(agents, demand)
    out, vip, ordinary = _simulate(demand, agents, 300_000, seed=4)
    assert out.service_level(15, vip) == pytest.approx(found.vip_service_level, abs=0.01)
    assert out.service_level(60, ordinary) == pytest.approx(found.ordinary_service_level, abs=0.01)
    assert found.vip_service_level_preemptive > out.service_level(15, vip) + 0.005
    # Cobham (1954): mean ordinary wait C / (nμ(1 − σ_vip)(1 − σ)) = 6.55 s. A mean wait is
    # noisy near saturation (six seeds: 6.2–7.4 s), hence the 20% band.
    c = float(erlang.erlang_c(agents, demand.traffic))
    sigma_vip, sigma = demand.vip_rate * AHT / agents, demand.traffic / agents
    cobham = c * AHT / (agents * (1 - sigma_vip) * (1 - sigma))
    assert float(out.wait_s[ordinary].mean()) == pytest.approx(cobham, rel=0.2)


def test_with_impatient_callers_the_tiers_agree_with_the_simulator() -> None:
    """Same centre at 46 agents (load 48: overloaded for Erlang C), patience 180 s. Ordinary
    service level and both tiers' abandonment within 0.01 of the analysis; the VIP figure is
    a cautious estimate:
    never above the simulated one by more than sampling error, and within 0.02 of it."""
    demand = _demand(patience=180.0)
    agents = 46
    found = measures(agents, demand)
    out, vip, ordinary = _simulate(demand, agents, 300_000, seed=8)
    assert out.service_level(60, ordinary) == pytest.approx(found.ordinary_service_level, abs=0.01)
    assert out.abandon_rate(ordinary) == pytest.approx(found.ordinary_abandon, abs=0.01)
    assert out.abandon_rate(vip) == pytest.approx(found.vip_abandon, abs=0.01)
    simulated_vip = out.service_level(15, vip)
    assert simulated_vip - 0.02 <= found.vip_service_level <= simulated_vip + 0.005


@pytest.mark.parametrize("patience", [math.inf, 150.0])
@pytest.mark.parametrize(("vip", "ordinary"), [(60, 300), (400, 100), (5, 2000), (900, 9000)])
def test_the_team_is_the_smallest_that_keeps_every_promise(
    patience: float, vip: float, ordinary: float
) -> None:
    demand = _demand(patience, vip, ordinary)
    staffed = staff_tiers(demand, max_ordinary_abandon=0.03)

    def keeps(agents: int) -> bool:
        m = measures(agents, demand)
        return (
            m.vip_service_level >= 0.85
            and m.ordinary_service_level >= 0.8
            and m.stable
            and (math.isinf(patience) or m.ordinary_abandon <= 0.03)
        )

    assert keeps(staffed.agents)
    assert not keeps(staffed.agents - 1)
    assert staffed.binding in {"vip", "ordinary", "abandon"}
    if math.isinf(patience):  # everyone is answered eventually: a stable queue
        assert staffed.agents > demand.traffic
        assert staffed.agents >= staffed.pooled_agents


def test_a_vip_heavy_mix_is_bound_by_the_vip_promise() -> None:
    demand = TieredDemand(Tier(500, 0.95, 5), Tier(50, 0.5, 300), 1800, AHT)
    assert staff_tiers(demand).binding == "vip"


def test_no_agents_or_no_calls_are_handled() -> None:
    assert measures(0, _demand()).stable is False
    idle = measures(3, _demand(vip=0, ordinary=0))
    assert idle.vip_service_level == idle.ordinary_service_level == 1.0
    assert staff_tiers(_demand(vip=0, ordinary=0)).agents == 0


def test_bad_tiers_are_refused() -> None:
    with pytest.raises(ValueError, match="target"):
        Tier(10, 1.5, 15)
    with pytest.raises(ValueError, match="positive"):
        TieredDemand(Tier(10, 0.85, 15), Tier(10, 0.8, 60), 1800, 0.0)
