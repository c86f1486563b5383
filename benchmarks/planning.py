"""Capacity planning at a province's scale, in one run, on one core.

    .venv/bin/python benchmarks/planning.py [--repeat 3] [--calls 150000]

1. Staffing a day of 96 quarter-hours with Erlang C and Erlang A, at a small load (peak ~30
   agents) and a large one (peak ~3,000 agents): SQM's vectorised log-space search against a
   textbook implementation — the power series Σ A^k/k! in Python floats, and for Erlang A the
   same formulas written directly with powers, factorials and Γ, each with a linear search.
   The textbook overflows once A^k or k! no longer fits a float; the run says where.
2. A province-day of the hotline in the simulator: ≥ 150k calls, two tiers, abandonment,
   staffed per quarter-hour by pooled Erlang A at 80/20.
3. A week's shift plan with CP-SAT (48 half-hours a day, 6 shift types, 45 agents).
pyworkforce and a SimPy model are not installed in the product environment and are not run.
"""

from __future__ import annotations

import os

for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import math  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402

import numpy as np  # noqa: E402

from sqm.planning.core import schedule, staffing  # noqa: E402
from sqm.planning.core.simulation import StaffingPlan, simulate_queue  # noqa: E402

AHT, THRESHOLD, TARGET, PATIENCE, SLOT = 300.0, 20.0, 0.8, 120.0, 900.0


def seconds(run: Callable[[], object], repeat: int) -> tuple[float, object]:
    best, result = math.inf, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return best, result


def day_profile(peak_calls: float) -> np.ndarray:
    """Calls per quarter-hour: quiet nights, a morning and an evening peak."""
    hours = np.arange(96) / 4
    shape = 0.05 + np.exp(-((hours - 10.5) ** 2) / 6) + 0.8 * np.exp(-((hours - 19.5) ** 2) / 5)
    return peak_calls * shape / shape.max()


# -- the textbook ------------------------------------------------------------------------------
def textbook_erlang_c(agents: int, traffic: float) -> float:
    """P(wait) from the power series, as most spreadsheets and blog posts write it."""
    top = traffic**agents / math.factorial(agents) * agents / (agents - traffic)
    bottom = sum(traffic**k / math.factorial(k) for k in range(agents))
    return top / (bottom + top)


def textbook_c_staff(calls: float) -> int:
    traffic = calls / SLOT * AHT
    n = max(int(traffic) + 1, 1)
    while True:
        level = 1 - textbook_erlang_c(n, traffic) * math.exp(-(n - traffic) * THRESHOLD / AHT)
        if level >= TARGET:
            return n
        n += 1


def textbook_a_level(agents: int, rate: float) -> float:
    """Erlang A service level from Mandelbaum & Zeltyn's formulas written directly in floats:
    Erlang B by its power series, K(x, y) by its series, P(a, z) = z^a·e^(−z)/Γ(a+1)·K(a, z)."""
    mu, theta = 1 / AHT, 1 / PATIENCE
    traffic, x, y = rate * AHT, agents * mu / theta, rate / theta
    terms = [traffic**k / math.factorial(k) for k in range(agents + 1)]
    b = terms[-1] / sum(terms)

    def series(a: float, z: float) -> float:
        total, term, j = 1.0, 1.0, 0
        while term > 1e-17 * total:
            j += 1
            term *= z / (a + j)
            total += term
        return total

    def lower(a: float, z: float) -> float:
        return z**a * math.exp(-z) / math.gamma(a + 1) * series(a, z)

    k = series(x, y)
    wait = k * b / (1 + (k - 1) * b)
    shrunk = y * math.exp(-theta * THRESHOLD)
    within = (x / y) * (lower(x + 1, y) - lower(x + 1, shrunk)) / lower(x, y)
    return 1 - wait + wait * within


def textbook_a_staff(calls: float) -> int:
    rate = calls / SLOT
    n = 1
    while rate > 0 and textbook_a_level(n, rate) < TARGET:
        n += 1
    return n


def guarded(run: Callable[[float], int], calls: np.ndarray) -> tuple[list[int], str]:
    out: list[int] = []
    for c in calls:
        try:
            out.append(run(float(c)))
        except (OverflowError, ZeroDivisionError) as error:
            load = float(c) / SLOT * AHT
            return out, f"{type(error).__name__} at {load:.0f} Erlangs"
    return out, ""


# -- runs --------------------------------------------------------------------------------------
def staffing_runs(repeat: int) -> None:
    print("1. staffing 96 quarter-hours (80% in 20 s, AHT 300 s, patience 120 s for Erlang A)")
    for label, peak in (("small", 80.0), ("large", 9000.0)):
        calls = day_profile(peak)
        c_demands = [staffing.Demand(float(c), SLOT, AHT, TARGET, THRESHOLD) for c in calls]
        a_demands = [
            staffing.Demand(float(c), SLOT, AHT, TARGET, THRESHOLD, PATIENCE) for c in calls
        ]
        t_c, sqm_c = seconds(lambda d=c_demands: staffing.required_agents("c", d), repeat)
        t_a, sqm_a = seconds(lambda d=a_demands: staffing.required_agents("a", d), repeat)
        t_tc, (book_c, c_fail) = seconds(lambda c=calls: guarded(textbook_c_staff, c), 1)
        t_ta, (book_a, a_fail) = seconds(lambda c=calls: guarded(textbook_a_staff, c), 1)
        peak_c, peak_a = int(np.max(sqm_c)), int(np.max(sqm_a))  # type: ignore[call-overload]
        print(f"   {label}: peak {peak_c} agents (C), {peak_a} (A)")
        for name, fast, slow, book, sqm, fail in (
            ("Erlang C", t_c, t_tc, book_c, sqm_c, c_fail),
            ("Erlang A", t_a, t_ta, book_a, sqm_a, a_fail),
        ):
            same = book == list(np.asarray(sqm)[: len(book)])
            verdict = f"textbook failed: {fail}" if fail else f"SQM {slow / fast:,.1f}× as fast"
            print(
                f"     {name}: SQM {fast * 1e3:7.2f} ms, textbook {slow * 1e3:9.1f} ms "
                f"({len(book)}/96 intervals, same answers: {same}) → {verdict}"
            )
    for name, run in (("Erlang C", textbook_c_staff), ("Erlang A", textbook_a_staff)):
        load = first_failure(run)
        print(f"   the textbook {name} first fails at {load} Erlangs; SQM is finite at 20,000+")


def first_failure(run: Callable[[float], int]) -> int:
    """The smallest whole load (Erlangs) at which the textbook staffing raises."""
    for load in range(1, 1000):
        try:
            run(load * SLOT / AHT)
        except (OverflowError, ZeroDivisionError):
            return load
    return -1


def simulation_run(repeat: int, calls: int) -> None:
    print(f"2. province-day simulation: ≥ {calls:,} calls, 2 tiers, abandonment, 96 intervals")
    rng = np.random.default_rng(7)
    profile = day_profile(1.0)
    per_slot = profile / profile.sum() * calls
    counts = rng.poisson(per_slot)
    arrivals = np.concatenate(
        [rng.uniform(i * SLOT, (i + 1) * SLOT, k) for i, k in enumerate(counts)]
    )
    n = arrivals.size
    tiers = (rng.random(n) > 0.15).astype(np.int64)  # 15% VIP, served first
    service = rng.exponential(AHT, n)
    patience = rng.exponential(PATIENCE, n)
    demands = [staffing.Demand(float(c), SLOT, AHT, TARGET, THRESHOLD, PATIENCE) for c in per_slot]
    staff = staffing.required_agents("a", demands, min_agents=1)  # pooled Erlang A plan
    promised = sum(
        float(staffing.service_levels("a", k, d)[()]) * d.calls
        for k, d in zip(staff.tolist(), demands, strict=True)
    ) / sum(d.calls for d in demands)
    t, out = seconds(
        lambda: simulate_queue(arrivals, tiers, service, patience, StaffingPlan(staff, SLOT)),
        repeat,
    )
    result = out  # type: ignore[assignment]
    vip = tiers == 0
    print(
        f"   {n:,} calls, peak {staff.max()} agents: {t:.2f} s "
        f"({n / t / 1e3:,.0f}k calls/s); VIP SL(20 s) {result.service_level(20, vip):.3f}, "  # type: ignore[attr-defined]
        f"ordinary {result.service_level(20, ~vip):.3f}, "  # type: ignore[attr-defined]
        f"abandoned {result.abandon_rate():.3f}"  # type: ignore[attr-defined]
    )
    overall = result.service_level(20)  # type: ignore[attr-defined]
    print(
        f"   pooled Erlang A promised SL {promised:.3f}; simulated with VIP priority {overall:.3f}:"
        " priority spreads waits, so tiers need staff_tiers, not a pooled figure"
    )


def schedule_run(limit: float) -> None:
    print("3. a week's shift plan with CP-SAT (30-minute intervals, 6 shift types, 45 agents)")
    hours = np.arange(48) / 2
    shape = 0.1 + np.exp(-((hours - 10.5) ** 2) / 8) + 0.7 * np.exp(-((hours - 19.5) ** 2) / 6)
    need = np.rint(np.outer([1.0, 1.0, 0.95, 0.95, 0.9, 0.7, 0.6], 22 * shape)).astype(np.int64)
    shifts = (
        schedule.ShiftType("early", 6 * 60, 8 * 60, 100),
        schedule.ShiftType("day", 8 * 60, 9 * 60, 110),
        schedule.ShiftType("mid", 11 * 60, 8 * 60, 100),
        schedule.ShiftType("late", 14 * 60, 8 * 60, 110),
        schedule.ShiftType("evening", 16 * 60, 8 * 60, 120),
        schedule.ShiftType("night", 22 * 60, 8 * 60, 160),
    )
    problem = schedule.ScheduleProblem(need, 30, shifts, 45, under_penalty=500)
    found = schedule.solve(problem, time_limit_s=limit)
    short = sum(u.short for u in found.uncovered)
    print(
        f"   {found.status} in {found.wall_time_s:.2f} s (limit {limit:.0f} s): "
        f"{len(found.assignments)} shifts, cost {found.shift_cost}, gap {found.gap:.2%}, "
        f"{short} agent-half-hours uncovered"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--calls", type=int, default=150_000)
    parser.add_argument("--schedule-limit", type=float, default=20.0)
    args = parser.parse_args()
    staffing_runs(args.repeat)
    simulation_run(args.repeat, args.calls)
    schedule_run(args.schedule_limit)


if __name__ == "__main__":
    main()
