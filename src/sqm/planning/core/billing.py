"""Staggered billing (分期出账, R6.1, issue 5 part 7): spread customers over N bill cycles so
the crowd that follows a bill does not reach halls and the hotline all on the same days.

The VP speech 2010: with one bill date, ~700M customers come to halls and call the hotline
at month end; splitting the bill date into about four cycles flattens that peak, and group customers
choose their own cycle. The planner takes

- segments: a customer count, a kind (whose response curve applies) and, for group
  customers, the fixed cycle they chose;
- a response curve per kind: hall visits and calls per customer k days after the bill date;
- N cycles, each with a bill day of the month,

and chooses, for every movable segment, how many ``granularity``-ths of it go to each cycle
so that the peak daily load (weighted visits + calls) over the month is as low as possible.
The month is taken as circular (a late cycle's crowd spills into the next month's first
days), which is the steady state month after month.

Solver: OR-Tools CP-SAT on integer shares, minimising the maximum daily load, with the
greedy plan as its hint; the greedy (largest unit first, onto the cycle that keeps the peak
lowest) is the fallback when CP-SAT is unavailable or finds nothing in its time limit, and the
better of the two is kept. Loads are scaled to integers for CP-SAT; with integral inputs the
scaling is exact, so small instances are solved to the true optimum.

The report gives the peak before (everyone on one bill day: the status quo) and after, both
daily load curves, and the staff the flattening saves: counters at the halls and agents on the
hotline on the peak day, sized by Erlang C (:func:`erlang.agents_for_service_level`).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from sqm.planning.core import erlang
from sqm.planning.core.erlang import FloatArray, IntArray


@dataclass(frozen=True, slots=True)
class Segment:
    name: str
    customers: int
    kind: str  # key of its response curve
    fixed_cycle: int | None = None  # group customers: the cycle (index) they chose

    def __post_init__(self) -> None:
        if self.customers < 0:
            raise ValueError("a segment cannot have negative customers")
        if self.fixed_cycle is not None and self.fixed_cycle < 0:
            raise ValueError("cycles are numbered from 0")


@dataclass(frozen=True, slots=True)
class Response:
    """Per customer: hall visits and calls on day k = 0, 1, … after the bill date."""

    visits: FloatArray
    calls: FloatArray

    @classmethod
    def of(cls, visits: ArrayLike, calls: ArrayLike) -> Response:
        v = np.asarray(visits, dtype=np.float64).reshape(-1)
        c = np.asarray(calls, dtype=np.float64).reshape(-1)
        length = max(v.size, c.size)
        v, c = np.pad(v, (0, length - v.size)), np.pad(c, (0, length - c.size))
        if (v < 0).any() or (c < 0).any() or not (np.isfinite(v).all() and np.isfinite(c).all()):
            raise ValueError("response curves must be finite and non-negative")
        return cls(v, c)


@dataclass(frozen=True, slots=True)
class Staffing:
    """How a day's contacts become staff on the peak hour (stated, overridable)."""

    halls: int = 1  # visits are spread evenly over this many halls
    hall_service_s: float = 480.0
    hall_target: float = 0.9  # share served within hall_threshold_s
    hall_threshold_s: float = 600.0  # the 10-minute promise
    hall_peak_hour_share: float = 0.15  # share of a day's visits in its busiest hour
    call_aht_s: float = 300.0
    call_target: float = 0.8
    call_threshold_s: float = 20.0
    call_peak_hour_share: float = 0.1

    def counters(self, daily_visits: float) -> int:
        """Counters over all halls for the busiest hour of a day with these visits."""
        rate = daily_visits * self.hall_peak_hour_share / self.halls / 3600.0
        per_hall = erlang.agents_for_service_level(
            rate, self.hall_service_s, self.hall_target, self.hall_threshold_s
        )
        return per_hall * self.halls

    def agents(self, daily_calls: float) -> int:
        """Hotline agents on the phones for the busiest hour of a day with these calls."""
        rate = daily_calls * self.call_peak_hour_share / 3600.0
        return erlang.agents_for_service_level(
            rate, self.call_aht_s, self.call_target, self.call_threshold_s
        )


@dataclass(frozen=True, slots=True)
class Loads:
    """Daily curves over the month (index 0 is day 1)."""

    visits: FloatArray
    calls: FloatArray
    load: FloatArray  # the weighted sum that is minimised

    @property
    def peak(self) -> float:
        return float(self.load.max())


@dataclass(frozen=True, slots=True)
class BillingPlan:
    bill_days: tuple[int, ...]
    segments: tuple[Segment, ...]
    units: IntArray  # segments × cycles, in 1/granularity of each segment
    customers: IntArray  # segments × cycles (largest-remainder rounding of the units)
    before: Loads
    after: Loads
    solver: str  # "cp-sat optimal", "cp-sat feasible" or "greedy"
    counters_before: int
    counters_after: int
    agents_before: int
    agents_after: int
    notes: list[str] = field(default_factory=list)

    @property
    def peak_before(self) -> float:
        return self.before.peak

    @property
    def peak_after(self) -> float:
        return self.after.peak

    @property
    def counters_saved(self) -> int:
        return self.counters_before - self.counters_after

    @property
    def agents_saved(self) -> int:
        return self.agents_before - self.agents_after


def even_bill_days(cycles: int, days_in_month: int = 30) -> tuple[int, ...]:
    """Bill days spread evenly from day 1: 4 cycles in 30 days → 1, 8, 16, 23."""
    if not 1 <= cycles <= days_in_month:
        raise ValueError("need between 1 and days_in_month cycles")
    return tuple(1 + i * days_in_month // cycles for i in range(cycles))


def plan_cycles(
    segments: Sequence[Segment],
    responses: Mapping[str, Response],
    *,
    cycles: int = 4,
    bill_days: Sequence[int] | None = None,
    status_quo_day: int | None = None,
    days_in_month: int = 30,
    granularity: int = 20,
    weights: tuple[float, float] = (1.0, 1.0),
    staffing: Staffing | None = None,
    time_limit_s: float = 2.0,
    workers: int = 1,
    use_cp_sat: bool = True,
) -> BillingPlan:
    """Assign segments to cycles to minimise the peak daily load; see the module docstring.

    ``weights`` = (per visit, per call) in the load; pass handling times to minimise the
    peak of staff workload instead of contacts. ``status_quo_day`` (default: the first bill
    day) is the single bill day everyone has today."""
    days = even_bill_days(cycles, days_in_month) if bill_days is None else tuple(bill_days)
    if len(days) != cycles or any(not 1 <= d <= days_in_month for d in days):
        raise ValueError("need one bill day (1..days_in_month) per cycle")
    if granularity < 1:
        raise ValueError("granularity must be at least 1")
    for s in segments:
        if s.kind not in responses:
            raise ValueError(f"no response curve for segment kind {s.kind!r}")
        if s.fixed_cycle is not None and s.fixed_cycle >= cycles:
            raise ValueError(
                f"segment {s.name!r} chose cycle {s.fixed_cycle}, not in 0..{cycles - 1}"
            )
    segs = tuple(segments)
    visits, calls = _unit_curves(segs, responses, days_in_month)  # segments × days, per customer
    w_visit, w_call = weights
    per_customer = w_visit * visits + w_call * calls
    counts = np.array([s.customers for s in segs], dtype=np.float64)
    # unit[s, c, t]: load on day t of one granularity-th of segment s billed in cycle c.
    unit = np.stack([np.roll(per_customer, d - 1, axis=1) for d in days], axis=1)
    unit *= (counts / granularity)[:, None, None]

    quo_day = days[0] if status_quo_day is None else status_quo_day
    before = _loads(counts, visits, calls, [quo_day], np.ones((len(segs), 1)), weights)
    greedy = _greedy(unit, segs, granularity)
    best, solver = greedy, "greedy"
    notes: list[str] = []
    if use_cp_sat and segs:
        found = _cp_sat(unit, segs, granularity, time_limit_s, workers, greedy)
        if found is None:
            notes.append("CP-SAT found no plan in its time limit; the greedy plan is used")
        else:
            plan, status = found
            if _peak(unit, plan) <= _peak(unit, greedy) + 1e-9:
                best, solver = plan, status
    share = best / granularity
    after = _loads(counts, visits, calls, list(days), share, weights)
    rules = staffing or Staffing()
    return BillingPlan(
        days,
        segs,
        best,
        _split_customers(np.array([s.customers for s in segs], dtype=np.int64), best),
        before,
        after,
        solver,
        rules.counters(float(before.visits.max(initial=0.0))),
        rules.counters(float(after.visits.max(initial=0.0))),
        rules.agents(float(before.calls.max(initial=0.0))),
        rules.agents(float(after.calls.max(initial=0.0))),
        notes,
    )


def _unit_curves(
    segs: Sequence[Segment], responses: Mapping[str, Response], month: int
) -> tuple[FloatArray, FloatArray]:
    """Per-customer visits and calls by day of a circular month for a bill on day 1 (index
    0); curves longer than the month fold over, as they would in the steady state."""
    visits = np.zeros((len(segs), month))
    calls = np.zeros((len(segs), month))
    for i, s in enumerate(segs):
        r = responses[s.kind]
        np.add.at(visits[i], np.arange(r.visits.size) % month, r.visits)
        np.add.at(calls[i], np.arange(r.calls.size) % month, r.calls)
    return visits, calls


def _loads(
    counts: FloatArray,
    visits: FloatArray,
    calls: FloatArray,
    days: Sequence[int],
    share: FloatArray,
    weights: tuple[float, float],
) -> Loads:
    v = np.zeros(visits.shape[1])
    c = np.zeros(visits.shape[1])
    for k, day in enumerate(days):
        people = counts * share[:, k]
        v += people @ np.roll(visits, day - 1, axis=1)
        c += people @ np.roll(calls, day - 1, axis=1)
    return Loads(v, c, weights[0] * v + weights[1] * c)


def _peak(unit: FloatArray, plan: IntArray) -> float:
    return float(np.einsum("sc,sct->t", plan.astype(np.float64), unit).max(initial=0.0))


def _greedy(unit: FloatArray, segs: Sequence[Segment], granularity: int) -> IntArray:
    """Fixed segments first, then each movable unit, largest first, onto the cycle that
    keeps the running peak lowest (ties: the lower total, then the earlier cycle)."""
    plan = np.zeros(unit.shape[:2], dtype=np.int64)
    for i, s in enumerate(segs):
        if s.fixed_cycle is not None:
            plan[i, s.fixed_cycle] = granularity
    load = np.einsum("sc,sct->t", plan.astype(np.float64), unit)
    movable = [i for i, s in enumerate(segs) if s.fixed_cycle is None]
    order = sorted(movable, key=lambda i: -float(unit[i].max(initial=0.0)))
    for i in itertools.chain.from_iterable(itertools.repeat(order, granularity)):
        trial = load[None, :] + unit[i]
        cycle = min(range(unit.shape[1]), key=lambda c: (trial[c].max(), trial[c].sum(), c))
        plan[i, cycle] += 1
        load = trial[cycle]
    return plan


def _cp_sat(
    unit: FloatArray,
    segs: Sequence[Segment],
    granularity: int,
    time_limit_s: float,
    workers: int,
    hint: IntArray,
) -> tuple[IntArray, str] | None:
    try:
        from ortools.sat.python import cp_model
    except ImportError:  # the greedy plan stands
        return None
    scale = _integer_scale(unit, granularity)
    coef = np.rint(unit * scale).astype(np.int64)
    model = cp_model.CpModel()
    cycles, days = unit.shape[1], unit.shape[2]
    x = [
        [model.new_int_var(0, granularity, f"x{s}_{c}") for c in range(cycles)]
        for s in range(len(segs))
    ]
    for s, seg in enumerate(segs):
        model.add(sum(x[s]) == granularity)
        if seg.fixed_cycle is not None:
            model.add(x[s][seg.fixed_cycle] == granularity)
        for c in range(cycles):
            model.add_hint(x[s][c], int(hint[s, c]))
    bound = int(coef.max(axis=1).sum() * granularity) + 1
    peak = model.new_int_var(0, bound, "peak")
    for t in range(days):
        terms = [
            int(coef[s, c, t]) * x[s][c]
            for s in range(len(segs))
            for c in range(cycles)
            if coef[s, c, t]
        ]
        if terms:
            model.add(sum(terms) <= peak)
    model.minimize(peak)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = max(1, workers)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan = np.array([[solver.value(v) for v in row] for row in x], dtype=np.int64)
    return plan, "cp-sat optimal" if status == cp_model.OPTIMAL else "cp-sat feasible"


def _integer_scale(unit: FloatArray, granularity: int) -> float:
    """The factor that turns loads into CP-SAT integers: a power of ten ≥ 1 when the peak
    allows (exact for integral loads), else whatever keeps the worst sum near 1e12."""
    worst = float(unit.max(axis=(1, 2)).sum()) * granularity
    if worst <= 0:
        return 1.0
    room = 1e12 / worst
    return float(10 ** math.floor(math.log10(room))) if room >= 1 else room


def _split_customers(customers: IntArray, units: IntArray) -> IntArray:
    """Whole customers per cycle from the unit shares, by largest remainder, so each
    segment's total is exact."""
    granularity = units.sum(axis=1, keepdims=True)
    exact = customers[:, None] * units / np.maximum(granularity, 1)
    out = np.floor(exact).astype(np.int64)
    for s in range(out.shape[0]):
        short = int(customers[s] - out[s].sum())
        if short:
            order = np.argsort(-(exact[s] - out[s]), kind="stable")[:short]
            out[s, order] += 1
    return np.asarray(out, dtype=np.int64)
