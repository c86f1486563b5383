"""One staffing interface over the three queue models, for the planner, the CLI and the web.

- ``"b"`` Erlang B (M/M/n/n): no queue, a call that finds every agent busy is lost. The
  "service level" is the share not blocked, 1 − B; the threshold plays no part.
- ``"c"`` Erlang C (M/M/n): infinite patience. Needs n > A, or the queue grows without bound.
- ``"a"`` Erlang A (M/M/n+M): exponential patience; always stable, abandonment reported.

Raw agents are the smallest head-count on the phones that meets the service-level target and
keeps occupancy ≤ the maximum (and, optionally, abandonment ≤ a bound). Scheduled agents add
shrinkage (breaks, training, absence): ⌈raw / (1 − shrinkage)⌉.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

from sqm.planning.core import erlang, erlang_a
from sqm.planning.core.erlang import BoolArray, FloatArray, IntArray

Model = Literal["b", "c", "a"]
MODELS: tuple[Model, ...] = ("b", "c", "a")


@dataclass(frozen=True, slots=True)
class Demand:
    """One interval's offered calls and the promise to keep."""

    calls: float
    interval_s: float
    aht_s: float
    target: float  # share of calls answered within threshold_s (model b: share not blocked)
    threshold_s: float = 20.0
    patience_s: float = math.inf  # model a only

    def __post_init__(self) -> None:
        if not (math.isfinite(self.calls) and self.calls >= 0):
            raise ValueError("calls must be a non-negative number")
        if not self.interval_s > 0:
            raise ValueError("the interval must be positive")
        if not (math.isfinite(self.aht_s) and self.aht_s > 0):
            raise ValueError("the average handling time must be positive")
        if not 0 < self.target < 1:
            raise ValueError("the service-level target must be between 0 and 1 (exclusive)")
        if not (math.isfinite(self.threshold_s) and self.threshold_s >= 0):
            raise ValueError("the target answer time must be non-negative")
        if not self.patience_s > 0:
            raise ValueError("patience must be positive")

    @property
    def arrival_rate(self) -> float:
        return self.calls / self.interval_s

    @property
    def traffic(self) -> float:
        return self.arrival_rate * self.aht_s


@dataclass(frozen=True, slots=True)
class Metrics:
    model: Model
    agents: int
    traffic: float
    service_level: float
    occupancy: float
    wait_probability: float
    asa_s: float  # mean wait of answered calls (∞ when model c is unstable)
    abandon_rate: float | None  # model a
    blocking: float | None  # model b


def service_levels(model: Model, agents: ArrayLike, demand: Demand) -> FloatArray:
    """Service level for each head-count in ``agents`` (vectorised)."""
    n = np.asarray(agents, dtype=np.float64)
    if model == "b":
        return np.asarray(1.0 - erlang.erlang_b(n, demand.traffic), np.float64)
    if model == "c" or math.isinf(demand.patience_s):
        return erlang.service_level(n, demand.arrival_rate, demand.aht_s, demand.threshold_s)
    return erlang_a.service_level(
        n, demand.arrival_rate, demand.aht_s, demand.threshold_s, demand.patience_s
    )


def occupancies(model: Model, agents: ArrayLike, demand: Demand) -> FloatArray:
    """Share of on-phone agent time spent on calls, for each head-count (vectorised)."""
    n = np.asarray(agents, dtype=np.float64)
    safe = np.where(n > 0, n, 1.0)
    if model == "b":
        carried = demand.traffic * (1.0 - erlang.erlang_b(n, demand.traffic))
    elif model == "c" or math.isinf(demand.patience_s):
        carried = np.minimum(demand.traffic, n)
    else:
        carried = demand.traffic * (
            1.0
            - erlang_a.abandon_probability(n, demand.arrival_rate, demand.aht_s, demand.patience_s)
        )
    return np.asarray(np.where(n > 0, carried / safe, 0.0), dtype=np.float64)


def metrics(model: Model, agents: int, demand: Demand) -> Metrics:
    """Every measure the CLI and the pages show, for one head-count."""
    if agents < 0:
        raise ValueError("agents must be non-negative")
    _check_model(model, demand)
    level = float(service_levels(model, agents, demand)[()])
    busy = float(occupancies(model, agents, demand)[()])
    if model == "b":
        blocking = float(erlang.erlang_b(agents, demand.traffic))
        return Metrics(model, agents, demand.traffic, level, busy, 0.0, 0.0, None, blocking)
    if model == "c":
        wait = float(erlang.erlang_c(agents, demand.traffic))
        asa = float(erlang.average_speed_of_answer(agents, demand.arrival_rate, demand.aht_s))
        return Metrics(model, agents, demand.traffic, level, busy, wait, asa, None, None)
    found = erlang_a.metrics(
        agents, demand.arrival_rate, demand.aht_s, demand.threshold_s, demand.patience_s
    )
    return Metrics(
        model,
        agents,
        demand.traffic,
        found.service_level,
        found.occupancy,
        found.wait_probability,
        found.asa_s,
        found.abandon_probability,
        None,
    )


def required_agents(
    model: Model,
    demands: list[Demand],
    *,
    max_occupancy: float = 1.0,
    max_abandon: float | None = None,
    min_agents: int = 0,
) -> IntArray:
    """For each demand, the smallest head-count that meets its target, keeps occupancy ≤
    ``max_occupancy`` and (model a) abandonment ≤ ``max_abandon``. One vectorised search over
    all demands: the per-interval parameters are gathered into arrays."""
    if not 0 < max_occupancy <= 1:
        raise ValueError("max occupancy must be in (0, 1]")
    if max_abandon is not None and not 0 < max_abandon < 1:
        raise ValueError("max abandonment must be between 0 and 1")
    for demand in demands:
        _check_model(model, demand)
    rate = np.array([d.arrival_rate for d in demands], dtype=np.float64)
    aht = np.array([d.aht_s for d in demands], dtype=np.float64)
    target = np.array([d.target for d in demands], dtype=np.float64)
    threshold = np.array([d.threshold_s for d in demands], dtype=np.float64)
    patience = np.array([d.patience_s for d in demands], dtype=np.float64)
    traffic = rate * aht

    def ok(n: IntArray, idx: IntArray) -> BoolArray:
        a, r, h, t, p = traffic[idx], rate[idx], aht[idx], threshold[idx], patience[idx]
        if model == "b":
            blocking = erlang.erlang_b(n, a)
            level = 1.0 - blocking
            carried = a * level
            abandon = np.zeros(n.size)
        elif model == "c":
            level = erlang.service_level(n, r, h, t)
            carried = np.where(n > a, a, np.inf)  # unstable: fails the occupancy test
            abandon = np.zeros(n.size)
        else:
            level = erlang_a.service_level(n, r, h, t, p)
            abandon = erlang_a.abandon_probability(n, r, h, p)
            carried = a * (1.0 - abandon)
        # Relative slack: overloaded, carried ≈ n, and its rounding noise (~1e-11 of it at
        # 12,000 Erlangs) must not flip the test, or the search stops at a wrong head-count.
        good = (level >= target[idx]) & (carried <= max_occupancy * n * (1 + 1e-9) + 1e-12)
        if max_abandon is not None:
            good &= abandon <= max_abandon
        return np.asarray(good | ((a == 0) & (n >= min_agents)), dtype=bool)

    guess = np.ceil(traffic / max_occupancy + 2 * np.sqrt(traffic) + 1).astype(np.int64)
    return erlang.smallest_agents(ok, np.full(len(demands), min_agents), guess)


@dataclass(frozen=True, slots=True)
class Staffing:
    raw_agents: int  # on the phones
    agents: int  # to schedule, after shrinkage
    metrics: Metrics


def staff(
    model: Model,
    demand: Demand,
    *,
    shrinkage: float = 0.0,
    max_occupancy: float = 1.0,
    max_abandon: float | None = None,
) -> Staffing:
    """The smallest head-count for one interval, with its measures and the scheduled figure."""
    if not 0 <= shrinkage < 1:
        raise ValueError("shrinkage must be in [0, 1)")
    raw = int(
        required_agents(model, [demand], max_occupancy=max_occupancy, max_abandon=max_abandon)[0]
    )
    return Staffing(raw, with_shrinkage(raw, shrinkage), metrics(model, raw, demand))


def with_shrinkage(raw_agents: int, shrinkage: float) -> int:
    """Agents to schedule so that ``raw_agents`` are on the phones: ⌈raw / (1 − s)⌉, with a
    1e-9 tolerance so float noise cannot add an agent (7 / 0.7 = 10.000000000000002 → 10)."""
    return math.ceil(raw_agents / (1.0 - shrinkage) - 1e-9)


def _check_model(model: Model, demand: Demand) -> None:
    if model not in MODELS:
        raise ValueError(f"model must be one of {', '.join(MODELS)}")
    if model == "a" and math.isinf(demand.patience_s):
        raise ValueError("Erlang A needs a finite patience (model c is infinite patience)")
