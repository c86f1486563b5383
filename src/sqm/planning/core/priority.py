"""Tiered priority staffing (R4.2): VIP and ordinary callers share one pool of agents; a free
agent takes the longest-waiting VIP first, never interrupting a call (non-preemptive priority).
Each tier has its own promise — VIP 85% in 15 s; ordinary a configurable target — and
ordinary callers must still be answered eventually: a finite, stable queue (infinite patience),
or a cap on the share who give up (finite patience).

Method (both tiers: same handling time, exponential; same patience, exponential or ∞):
1. Pool the demand and staff it with Erlang C/A (Koole, *Call Center Optimization*, 2013,
   ch. 5; Gans, Koole & Mandelbaum 2003, §4.2): that is the start of the search. With equal
   service and patience rates, the *number* of callers in the system does not depend on the
   order of service, so the pooled Erlang C/A gives exactly the share who find all agents
   busy, the queue-length law and the total abandonment of the tiered system.
2. Protect the VIP tier. The textbook shortcut treats VIP as if priority were preemptive: VIP
   sees an M/M/n queue carrying only the VIP load. Without preemption a VIP also waits for
   ordinary calls already in service, and the exact result (infinite patience) is
   P(W_vip > t) = C(n, A_total)·exp(−(nμ − λ_vip)·t): on arrival all n agents are busy with
   probability C(n, A_total) (PASTA), and while they stay busy the VIP queue is an M/M/1
   queue with rates λ_vip and nμ, so the VIP wait given a wait is exponential with rate
   nμ − λ_vip. Means agree with Cobham (1954). The shortcut is kept for comparison
   (:func:`vip_service_level_preemptive`); it is optimistic, and the tests show by how much.
   With finite patience the same formula, with Erlang A's P(W > 0) and the VIP's own
   hang-ups counted as misses, is used as a cautious estimate (queued VIPs who hang up only
   shorten the wait of those behind them).
3. The ordinary tier, exactly: an ordinary caller waits behind everyone queued when it
   arrives (Erlang C/A queue-length law from step 1) and behind every VIP who arrives while
   it waits. The count of callers ahead is a birth–death chain (up λ_vip; down nμ plus the
   hang-ups of those ahead) killed by the caller's own patience; its transient (by
   uniformisation) gives the ordinary service level, and its absorption the ordinary
   abandonment. VIP abandonment then follows from the pooled total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.stats import poisson

from sqm.planning.core import erlang, erlang_a
from sqm.planning.core.erlang import BoolArray, FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Tier:
    calls: float  # per interval
    target: float  # share answered within threshold_s
    threshold_s: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.calls) and self.calls >= 0):
            raise ValueError("calls must be a non-negative number")
        if not 0 < self.target < 1:
            raise ValueError("a tier's target must be between 0 and 1 (exclusive)")
        if not self.threshold_s >= 0:
            raise ValueError("a tier's answer time must be non-negative")


@dataclass(frozen=True, slots=True)
class TieredDemand:
    vip: Tier
    ordinary: Tier
    interval_s: float
    aht_s: float
    patience_s: float = math.inf

    def __post_init__(self) -> None:
        if not (self.interval_s > 0 and self.aht_s > 0 and self.patience_s > 0):
            raise ValueError("interval, handling time and patience must be positive")

    @property
    def vip_rate(self) -> float:
        return self.vip.calls / self.interval_s

    @property
    def ordinary_rate(self) -> float:
        return self.ordinary.calls / self.interval_s

    @property
    def traffic(self) -> float:
        return (self.vip_rate + self.ordinary_rate) * self.aht_s


@dataclass(frozen=True, slots=True)
class TierMeasures:
    agents: int
    wait_probability: float  # both tiers: all agents busy on arrival
    vip_service_level: float
    vip_service_level_preemptive: float  # the optimistic textbook shortcut, for comparison
    ordinary_service_level: float
    ordinary_abandon: float
    vip_abandon: float
    stable: bool  # infinite patience: n > A, everyone is answered eventually


def vip_service_level_preemptive(agents: int, demand: TieredDemand) -> float:
    """The shortcut: VIP as an M/M/n queue with the VIP load only."""
    return float(
        erlang.service_level(agents, demand.vip_rate, demand.aht_s, demand.vip.threshold_s)
    )


def measures(agents: int, demand: TieredDemand) -> TierMeasures:
    """Both tiers' service levels and abandonment for ``agents`` on the phones."""
    if agents < 0:
        raise ValueError("agents must be non-negative")
    mu = 1.0 / demand.aht_s
    patient = math.isinf(demand.patience_s)
    theta = 0.0 if patient else 1.0 / demand.patience_s
    rate = demand.vip_rate + demand.ordinary_rate
    preemptive = vip_service_level_preemptive(agents, demand)
    if rate == 0:
        return TierMeasures(agents, 0.0, 1.0, 1.0, 1.0, 0.0, 0.0, True)
    stable = agents > demand.traffic
    if patient and not stable:
        return TierMeasures(agents, 1.0, 0.0, preemptive, 0.0, 0.0, 0.0, False)
    # Callers further back than the most services an interval of ``reach`` can hold are never
    # answered within either threshold: the tail of the queue law is lumped there.
    reach = max(demand.vip.threshold_s, demand.ordinary.threshold_s) * agents * mu
    longest = int(poisson.ppf(1 - 1e-15, reach)) + 2 if reach > 0 else 2
    queue = _queue_on_arrival(agents, rate, demand.aht_s, demand.patience_s, longest)
    wait = float(queue.sum())
    # VIP: exponential wait given a wait, rate nμ − λ_vip; its own hang-ups count as misses.
    r = agents * mu - demand.vip_rate
    t_vip = demand.vip.threshold_s
    within = r / (r + theta) * -math.expm1(-(r + theta) * t_vip) if r > 0 else 0.0
    vip_level = 1.0 - wait + wait * within
    # Ordinary: the callers-ahead chain.
    answered_by_t, answered_ever = _ordinary_chain(
        queue, agents * mu, demand.vip_rate, theta, demand.ordinary.threshold_s
    )
    ordinary_level = 1.0 - wait + answered_by_t
    ordinary_abandon = wait - answered_ever
    vip_abandon = 0.0
    if not patient and demand.vip_rate > 0:
        total = float(erlang_a.abandon_probability(agents, rate, demand.aht_s, demand.patience_s))
        lost = total * rate - ordinary_abandon * demand.ordinary_rate
        vip_abandon = min(max(lost / demand.vip_rate, 0.0), 1.0)
    return TierMeasures(
        agents,
        wait,
        min(max(vip_level, 0.0), 1.0),
        preemptive,
        min(max(ordinary_level, 0.0), 1.0),
        min(max(ordinary_abandon, 0.0), 1.0),
        vip_abandon,
        stable or not patient,
    )


@dataclass(frozen=True, slots=True)
class TieredStaffing:
    pooled_agents: int  # Erlang C/A for the pooled demand at the ordinary target (FCFS)
    agents: int  # on the phones, both tiers' promises kept
    binding: str  # which promise set the figure: "vip", "ordinary", "abandon", "occupancy"
    measures: TierMeasures


def staff_tiers(
    demand: TieredDemand,
    *,
    max_ordinary_abandon: float | None = 0.05,
    max_occupancy: float = 1.0,
) -> TieredStaffing:
    """The smallest team that keeps the VIP and ordinary promises and the "everyone answered
    eventually" guarantee (stability, or ordinary abandonment ≤ ``max_ordinary_abandon`` when
    patience is finite)."""
    if not 0 < max_occupancy <= 1:
        raise ValueError("max occupancy must be in (0, 1]")
    rate = demand.vip_rate + demand.ordinary_rate
    patient = math.isinf(demand.patience_s)
    if patient:
        pooled = erlang.agents_for_service_level(
            rate, demand.aht_s, demand.ordinary.target, demand.ordinary.threshold_s
        )
    else:
        pooled = _pooled_erlang_a(demand)

    def failing(m: TierMeasures) -> list[str]:
        reasons = []
        if m.vip_service_level < demand.vip.target:
            reasons.append("vip")
        if m.ordinary_service_level < demand.ordinary.target or not m.stable:
            reasons.append("ordinary")
        capped = not patient and max_ordinary_abandon is not None
        if capped and m.ordinary_abandon > (max_ordinary_abandon or 0.0):
            reasons.append("abandon")
        carried = demand.traffic * (1 - _pooled_abandon(m, demand))
        if carried > max_occupancy * m.agents * (1 + 1e-9) + 1e-12:  # relative: float noise
            reasons.append("occupancy")
        return reasons

    def ok(n: IntArray, _idx: IntArray) -> BoolArray:
        return np.array([not failing(measures(int(k), demand)) for k in n], dtype=bool)

    agents = int(erlang.smallest_agents(ok, [0], [max(pooled, 1)])[0])
    found = measures(agents, demand)
    before = failing(measures(agents - 1, demand)) if agents > 0 else []
    return TieredStaffing(pooled, agents, before[0] if before else "none", found)


def _pooled_abandon(m: TierMeasures, demand: TieredDemand) -> float:
    rate = demand.vip_rate + demand.ordinary_rate
    if rate == 0:
        return 0.0
    return (m.vip_abandon * demand.vip_rate + m.ordinary_abandon * demand.ordinary_rate) / rate


def _pooled_erlang_a(demand: TieredDemand) -> int:
    from sqm.planning.core.staffing import Demand, required_agents

    pooled = Demand(
        demand.vip.calls + demand.ordinary.calls,
        demand.interval_s,
        demand.aht_s,
        demand.ordinary.target,
        demand.ordinary.threshold_s,
        demand.patience_s,
    )
    return int(required_agents("a", [pooled])[0])


def _queue_on_arrival(
    agents: int, rate: float, aht_s: float, patience_s: float, longest: int
) -> FloatArray:
    """P(an arriving caller finds all agents busy and j callers queued), j = 0, 1, …; the
    entries sum to Erlang C/A's P(W > 0). With infinite patience the geometric tail beyond
    ``longest`` is lumped into the last entry (nobody there is answered in time, nobody
    hangs up); with finite patience the law is cut only where the rest is below 1e-13."""
    traffic = rate * aht_s
    if math.isinf(patience_s):
        wait = float(erlang.erlang_c(agents, traffic))
        sigma = traffic / agents
        size = math.ceil(math.log(1e-13) / math.log(sigma)) + 1 if sigma > 0 else 1
        size = max(min(size, longest), 1)
        law = wait * (1 - sigma) * sigma ** np.arange(size, dtype=np.float64)
        law[-1] += wait * sigma**size  # P(j ≥ size)
        return law
    wait = float(erlang_a.wait_probability(agents, rate, aht_s, patience_s))
    x = agents * patience_s / aht_s
    y = rate * patience_s
    size = 64
    while True:  # terms t_j = y^j / ∏(x + i), normalised by their sum K(x, y)
        log_t = np.concatenate([[0.0], np.cumsum(np.log(y) - np.log(x + np.arange(1, size)))])
        share = np.exp(log_t - float(erlang_a.log_kummer(x, y)))
        if share[-1] < 1e-15 and share[-1] <= share[-2]:
            cut = int(np.flatnonzero(np.cumsum(share) < 1 - 1e-13).size) + 1
            law = wait * share[: max(cut, 1)]
            law[-1] += wait - law.sum()
            return law
        size *= 2


def _ordinary_chain(
    queue: FloatArray, service: float, vip_rate: float, theta: float, threshold_s: float
) -> tuple[float, float]:
    """For an ordinary caller who must wait: P(answered within ``threshold_s``) and
    P(answered at all), both times the probability of waiting. State m ≥ 1 is the caller's
    place (m − 1 callers ahead); down at nμ + (m − 1)θ, up at λ_vip, killed at θ."""
    if queue.size == 0 or queue.sum() == 0:
        return 0.0, 0.0
    ups = int(poisson.ppf(1 - 1e-14, vip_rate * threshold_s)) + 1 if vip_rate > 0 else 0
    size = queue.size + ups + 1
    m = np.arange(1, size + 1, dtype=np.float64)
    down = service + (m - 1) * theta
    up = np.full(size, vip_rate)
    up[-1] = 0.0  # truncation: mass that would climb past the top stays there
    total = down + up + theta
    uniform = float(total.max())
    start = np.zeros(size)
    start[: queue.size] = queue
    answered_by_t = 0.0
    if threshold_s > 0:
        lam_t = uniform * threshold_s
        steps = int(poisson.ppf(1 - 1e-13, lam_t)) + 1
        weights = poisson.sf(np.arange(steps), lam_t)  # P(at least k + 1 events by t)
        v = start.copy()
        p_down, p_up, p_stay = down / uniform, up / uniform, 1 - total / uniform
        for k in range(steps):
            answered_by_t += float(v[0] * p_down[0]) * float(weights[k])
            nxt = v * p_stay
            nxt[:-1] += v[1:] * p_down[1:]
            nxt[1:] += v[:-1] * p_up[:-1]
            v = nxt
    answered_ever = _absorption(start, down, up, theta) if theta > 0 else float(queue.sum())
    return answered_by_t, answered_ever


def _absorption(start: FloatArray, down: FloatArray, up: FloatArray, theta: float) -> float:
    """Σ_m start[m]·h(m), h(m) = P(answered before hanging up from place m): a tridiagonal
    system h(m)·(down + up + θ) = down·h(m − 1) + up·h(m + 1), with h(0) = 1."""
    from scipy.linalg import solve_banded

    size = start.size
    diagonal = down + up + theta
    banded = np.zeros((3, size))
    banded[0, 1:] = -up[:-1]
    banded[1, :] = diagonal
    banded[2, :-1] = -down[1:]
    rhs = np.zeros(size)
    rhs[0] = down[0]
    h = solve_banded((1, 1), banded, rhs)
    return float(np.dot(start, h))


__all__ = [
    "Tier",
    "TierMeasures",
    "TieredDemand",
    "TieredStaffing",
    "measures",
    "staff_tiers",
    "vip_service_level_preemptive",
]
