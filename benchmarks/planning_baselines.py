"""The outside baselines of ``benchmarks/planning.py``: pyworkforce, a SimPy model of the
province-day, and an exact (50-digit decimal) Erlang C/A that does not use SQM's code.

pyworkforce and SimPy live in the ``bench`` extra only. pyworkforce ≤ 0.5.1 (the last release
for Python 3.11) has Erlang C only; its Erlang A (``ErlangA``, from 0.5.2) needs Python ≥ 3.12.
Run as a script, this module times pyworkforce in whatever interpreter runs it, reading the day
as JSON on stdin and writing the result as JSON on stdout, so ``planning.py`` can measure
pyworkforce's Erlang A in a Python 3.12 environment (``--pyworkforce-python``)::

    uv venv --python 3.12 /tmp/pyworkforce-env
    uv pip install --python /tmp/pyworkforce-env/bin/python 'pyworkforce>=0.5.4'
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
from decimal import Decimal, localcontext
from typing import Any

SECONDS_PER_MINUTE = 60.0


# -- pyworkforce -------------------------------------------------------------------------------
def pyworkforce_version() -> str | None:
    try:
        import pyworkforce
    except ImportError:
        return None
    return str(getattr(pyworkforce, "__version__", "?"))


def pyworkforce_models() -> set[str]:
    try:
        from pyworkforce import queuing
    except ImportError:
        return set()
    return {m for m, name in (("c", "ErlangC"), ("a", "ErlangA")) if hasattr(queuing, name)}


def pyworkforce_day(job: dict[str, Any]) -> dict[str, Any]:
    """Staff each interval with pyworkforce (``required_positions``) and evaluate its service
    level at the given head-counts (``service_level``), one interval at a time, best of
    ``job["repeat"]`` runs. pyworkforce works in minutes and in transactions per interval."""
    from pyworkforce import queuing

    model, minute = job["model"], SECONDS_PER_MINUTE
    common = {
        "aht": job["aht_s"] / minute,
        "asa": job["threshold_s"] / minute,
        "interval": job["interval_s"] / minute,
    }
    if model == "a":
        common["patience"] = job["patience_s"] / minute
    build = queuing.ErlangA if model == "a" else queuing.ErlangC
    staff: list[int] = []
    levels: list[float] = []
    failure = ""
    staff_s = levels_s = math.inf
    for _ in range(job.get("repeat", 1)):  # best of `repeat`, as for SQM
        staff.clear()
        started = time.perf_counter()
        for calls in job["calls"]:
            try:
                found = build(transactions=calls, **common).required_positions(job["target"])
            except Exception as error:  # report the first failure, as for the textbook
                load = calls / job["interval_s"] * job["aht_s"]
                failure = f"{type(error).__name__} at {load:.0f} Erlangs"
                break
            staff.append(int(found["raw_positions"]))
        staff_s = min(staff_s, time.perf_counter() - started)
        levels.clear()
        started = time.perf_counter()
        for calls, agents in zip(job["calls"], job["agents"], strict=True):
            levels.append(float(build(transactions=calls, **common).service_level(int(agents))))
        levels_s = min(levels_s, time.perf_counter() - started)
    return {
        "version": pyworkforce_version(),
        "python": sys.version.split()[0],
        "staff": staff,
        "staff_s": staff_s,
        "failure": failure,
        "levels": levels,
        "levels_s": levels_s,
    }


def pyworkforce_elsewhere(python: str, job: dict[str, Any]) -> dict[str, Any]:
    """:func:`pyworkforce_day` in another interpreter (timed inside it)."""
    done = subprocess.run(
        [python, __file__],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


# -- an exact Erlang C / A, independent of SQM -------------------------------------------------
def _kummer(x: Decimal, y: Decimal, eps: Decimal) -> Decimal:
    """K(x, y) = Σ_{j≥0} y^j / ((x+1)…(x+j)), summed term by term."""
    total = term = Decimal(1)
    j = 0
    while True:
        j += 1
        term = term * y / (x + j)
        total += term
        if j > y - x and term < eps * total:
            return total


def exact_level(
    model: str, agents: int, rate: float, aht: float, threshold: float, patience: float
) -> Decimal:
    """Service level (share of offered calls answered within ``threshold``) in 50-digit
    decimal arithmetic: Erlang B by its recursion, Erlang C from B, Erlang A by Mandelbaum &
    Zeltyn's closed form with K summed as a series (no logs, no special functions)."""
    with localcontext() as ctx:
        ctx.prec = 50
        lam, h, t = Decimal(rate), Decimal(aht), Decimal(threshold)
        load = lam * h
        if agents == 0:
            return Decimal(0)
        b = Decimal(1)
        for k in range(1, agents + 1):
            b = load * b / (k + load * b)
        n = Decimal(agents)
        if model == "c":
            if n <= load:
                return Decimal(0)
            wait = n * b / (n - load * (1 - b))
            return 1 - wait * (-(n - load) * t / h).exp()
        p = Decimal(patience)
        theta, x, y = 1 / p, n * p / h, lam * p
        shrunk = y * (-theta * t).exp()
        eps = Decimal(10) ** -45
        k0, k1, k2 = _kummer(x, y, eps), _kummer(x + 1, y, eps), _kummer(x + 1, shrunk, eps)
        wait = k0 * b / (1 + (k0 - 1) * b)
        within = x / ((x + 1) * k0) * (k1 - (-theta * t * (x + 1) + y - shrunk).exp() * k2)
        return 1 - wait + wait * within


def exact_check(model: str, agents: int, rate: float, spec: dict[str, float]) -> bool:
    """Does ``agents`` meet the target while ``agents − 1`` does not?"""
    args = (rate, spec["aht_s"], spec["threshold_s"], spec["patience_s"])
    target = Decimal(spec["target"])
    if exact_level(model, agents, *args) < target:
        return False
    return agents == 0 or exact_level(model, agents - 1, *args) < target


def exact_minimum(model: str, rate: float, spec: dict[str, float], high: int) -> int:
    """The exact smallest head-count meeting the target, by bisection below ``high``."""
    args = (rate, spec["aht_s"], spec["threshold_s"], spec["patience_s"])
    target = Decimal(spec["target"])
    low = 0  # fails (no agents)
    while exact_level(model, high, *args) < target:
        low, high = high, 2 * high
    while high - low > 1:
        mid = (low + high) // 2
        if exact_level(model, mid, *args) >= target:
            high = mid
        else:
            low = mid
    return high


# -- a SimPy model of the province-day ---------------------------------------------------------
def simpy_day(
    arrival: Any, tier: Any, service: Any, patience: Any, agents: Any, interval_s: float
) -> tuple[Any, Any]:
    """The hotline day in SimPy: a caller process per call puts itself in a PriorityStore
    (tier, then arrival order) and reneges when its patience runs out; an agent process per
    seat takes the best waiting call, serves it and takes the next; a shift process changes
    the head-count each interval. Agents above the new head-count leave at once when idle and
    after the call in hand when busy; after the plan's last interval its last level holds.
    Returns per-call answer and abandonment times (NaN where they do not apply), in the
    caller's order."""
    import numpy as np
    import simpy

    order = np.argsort(arrival, kind="stable")
    arr = np.asarray(arrival)[order].tolist()
    pri = np.asarray(tier)[order].tolist()
    svc = np.asarray(service)[order].tolist()
    pat = np.asarray(patience)[order].tolist()
    plan = [int(a) for a in agents]
    n = len(arr)
    nan = math.nan
    answered, abandoned = [nan] * n, [nan] * n
    env = simpy.Environment()
    queue = simpy.PriorityStore(env)
    seats = max(plan)
    on_duty = [plan[0]]
    waiting_get: list[Any] = [None] * seats
    wake: list[Any] = [None] * seats
    agents_p: list[Any] = []

    def caller(i: int) -> Any:
        yield queue.put(simpy.PriorityItem((pri[i], i), i))
        yield env.timeout(pat[i])
        if answered[i] != answered[i]:  # still NaN: not answered, hangs up
            abandoned[i] = env.now

    def source() -> Any:
        for i in range(n):
            yield env.timeout(arr[i] - env.now)
            env.process(caller(i))

    def agent(a: int) -> Any:
        while True:
            if a >= on_duty[0]:
                wake[a] = env.event()
                yield wake[a]
                wake[a] = None
                continue
            get = waiting_get[a] = queue.get()
            try:
                item = yield get
            except simpy.Interrupt:  # sent off duty while idle
                if not get.triggered:
                    get.cancel()
                    waiting_get[a] = None
                    continue
                item = get.value
            waiting_get[a] = None
            call = item.item
            if abandoned[call] == abandoned[call]:  # hung up while queued
                continue
            answered[call] = env.now
            yield env.timeout(svc[call])

    def shifts() -> Any:
        for wanted in plan[1:]:
            yield env.timeout(interval_s)
            before, on_duty[0] = on_duty[0], wanted
            for a in range(wanted, before):
                if waiting_get[a] is not None:
                    agents_p[a].interrupt()
            for a in range(before, wanted):
                if wake[a] is not None and not wake[a].triggered:
                    wake[a].succeed()

    agents_p.extend(env.process(agent(a)) for a in range(seats))
    env.process(shifts())
    env.process(source())
    env.run()
    out_answered = np.empty(n)
    out_abandoned = np.empty(n)
    out_answered[order] = answered
    out_abandoned[order] = abandoned
    return out_answered, out_abandoned


def simpy_version() -> str | None:
    try:
        import simpy
    except ImportError:
        return None
    return str(getattr(simpy, "__version__", "?"))


if __name__ == "__main__":
    json.dump(pyworkforce_day(json.load(sys.stdin)), sys.stdout)
