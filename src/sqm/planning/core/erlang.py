"""Erlang B and C, computed in log space so they stay exact for thousands of agents.

Conventions: ``traffic`` is the offered load in Erlangs (arrival rate × average handling time),
``agents`` the number of servers, times in seconds. Every formula takes scalars or NumPy arrays
(broadcast together) and returns the same shape, so a day of 96 intervals, or all candidate
head-counts of a staffing search, is one call.

Numerics. Erlang B is the Poisson ratio ``B(n, A) = pmf(n; A) / cdf(n; A)``; the cdf is the
regularised upper incomplete gamma ``Q(n + 1, A)`` (``scipy.special.gammaincc``), so
``log B = n·log A − A − log n! − log Q(n + 1, A)``: no factorial, no power, no loop. Where ``Q``
underflows (a load far above the agents, ``A ≫ n``), a log-sum-exp over the Poisson terms takes
over. Erlang C follows from B without cancellation: ``C = B / ((1 − ρ) + ρ·B)``, ρ = A / n.

The staffing search returns the smallest number of agents that meets a service-level target
"``target`` of calls answered within ``threshold_s`` seconds" (e.g. the VIP hotline's 85/15,
Unicom conference 2010), and :func:`smallest_agents` is the vectorised search every model shares.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy.special import gammaincc, gammaln

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

_TINY = 1e-280  # below this a regularised incomplete gamma is treated as underflowed


def log_erlang_b(agents: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """log of the Erlang B blocking probability (M/M/n/n), elementwise."""
    n, a = _check(agents, traffic)
    with np.errstate(divide="ignore", invalid="ignore"):
        q = gammaincc(n + 1.0, a)
        out = np.asarray(n * np.log(a) - a - gammaln(n + 1.0) - np.log(q), dtype=np.float64)
    out[a == 0] = np.where(n[a == 0] == 0, 0.0, -np.inf)
    for index in np.flatnonzero((q < _TINY) & (a > 0)):
        out.flat[index] = _log_erlang_b_by_terms(int(n.flat[index]), float(a.flat[index]))
    return np.minimum(out, 0.0)  # rounding must not make a probability exceed 1


def erlang_b(agents: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """Erlang B: probability that a call finds all ``agents`` busy and is lost."""
    return np.exp(log_erlang_b(agents, traffic))


def log_erlang_c(agents: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """log of the Erlang C probability that a call waits (0 when ``agents ≤ traffic``:
    the queue is unstable and every call waits)."""
    n, a = _check(agents, traffic)
    log_b = log_erlang_b(n, a)
    stable = n > a
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(stable, a / np.where(n > 0, n, 1.0), 1.0)
        out = log_b - np.log((1.0 - rho) + rho * np.exp(log_b))
    out = np.where(stable, out, 0.0)
    out[(a == 0) & (n > 0)] = -np.inf
    return np.asarray(out, dtype=np.float64)


def erlang_c(agents: ArrayLike, traffic: ArrayLike) -> FloatArray:
    """Erlang C: probability that a call has to wait (M/M/n, infinite patience)."""
    return np.exp(log_erlang_c(agents, traffic))


def service_level(
    agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike, threshold_s: ArrayLike
) -> FloatArray:
    """Erlang C share of calls answered within ``threshold_s``: 1 − C·exp(−(n − A)·T / AHT).
    0 when the queue is unstable; 1 when there are no calls and at least one agent."""
    rate, aht, threshold = _floats(arrival_rate, aht_s, threshold_s)
    n = np.asarray(agents, dtype=np.float64)
    traffic = rate * aht
    log_wait = log_erlang_c(n, traffic) - (n - traffic) * threshold / np.where(aht > 0, aht, 1.0)
    out = np.where(n > traffic, -np.expm1(np.minimum(log_wait, 0.0)), 0.0)
    return np.asarray(np.where(traffic == 0, (n > 0).astype(np.float64), out), dtype=np.float64)


def average_speed_of_answer(
    agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike
) -> FloatArray:
    """Erlang C mean wait over all calls: C·AHT / (n − A); infinite when unstable."""
    rate, aht = _floats(arrival_rate, aht_s)
    n = np.asarray(agents, dtype=np.float64)
    traffic = rate * aht
    with np.errstate(divide="ignore", invalid="ignore"):
        asa = np.exp(log_erlang_c(n, traffic)) * aht / (n - traffic)
    out = np.where(n > traffic, asa, np.inf)
    return np.asarray(np.where(traffic == 0, 0.0, out), dtype=np.float64)


def smallest_agents(
    ok: Callable[[IntArray, IntArray], BoolArray], lower: ArrayLike, guess: ArrayLike
) -> IntArray:
    """For each element i, the smallest ``n ≥ lower[i]`` with ``ok(n, i)``, assuming ``ok`` is
    monotone in ``n`` (false … false, true … true).

    ``ok(n, idx)`` answers for the elements ``idx`` at head-counts ``n`` (arrays of one
    length), so each round of the doubling-then-bisection search is one vectorised evaluation
    over the intervals still open: 96 intervals cost about as much as one. ``guess`` is where
    the upward search starts (e.g. the square-root staffing rule); it need only be nearby."""
    low = np.maximum(np.asarray(lower, dtype=np.int64).reshape(-1), 0)
    answer = low.copy()
    idx = np.flatnonzero(~np.asarray(ok(low, np.arange(low.size)), dtype=bool))
    if idx.size == 0:
        return answer
    # Invariant for the open elements: `fail` fails the target, `good` meets it.
    fail = low[idx]
    good = np.maximum(np.broadcast_to(np.asarray(guess, np.int64), low.shape)[idx], fail + 1)
    passed = np.asarray(ok(good, idx), dtype=bool)
    while not passed.all():
        fail = np.where(passed, fail, good)
        good = np.where(passed, good, good + 2 * np.maximum(good - fail, 1))
        passed = np.asarray(ok(good, idx), dtype=bool)
    while (gap := good - fail).max() > 1:
        mid = fail + gap // 2
        passed = np.asarray(ok(mid, idx), dtype=bool)
        good = np.where(passed, mid, good)
        fail = np.where(passed, fail, mid)
    answer[idx] = good
    return answer


def agents_for_service_level(
    arrival_rate: float,
    aht_s: float,
    target: float,
    threshold_s: float,
    *,
    max_occupancy: float = 1.0,
    min_agents: int = 0,
) -> int:
    """The smallest number of agents that answers ``target`` of calls within ``threshold_s``
    and keeps occupancy (A / n) ≤ ``max_occupancy``."""
    plan = staff_intervals(
        [arrival_rate],
        aht_s,
        target,
        threshold_s,
        min_agents=min_agents,
        max_occupancy=max_occupancy,
    )
    return int(plan[0])


def staff_intervals(
    arrival_rates: Sequence[float] | NDArray[np.float64],
    aht_s: float,
    target: float,
    threshold_s: float,
    *,
    min_agents: int = 0,
    max_agents: int | None = None,
    max_occupancy: float = 1.0,
) -> IntArray:
    """Erlang C agents per interval for a forecast of arrival rates (calls per second).

    ``max_occupancy`` < 1 keeps headroom: a large centre staffed to the bare Erlang C figure
    runs at ~97% occupancy, and any forecast error or absence tips it into overload."""
    if not 0 < target < 1:
        raise ValueError("target must be between 0 and 1")
    if not 0 < max_occupancy <= 1:
        raise ValueError("max_occupancy must be in (0, 1]")
    rates = np.asarray(arrival_rates, dtype=np.float64).reshape(-1)
    if (rates < 0).any() or aht_s <= 0 or threshold_s < 0:
        raise ValueError("rates, handling time and threshold must be non-negative")
    traffic = rates * aht_s

    def ok(n: IntArray, idx: IntArray) -> BoolArray:
        meets = service_level(n, rates[idx], aht_s, threshold_s) >= target
        return np.asarray(meets & (traffic[idx] <= max_occupancy * n), dtype=bool)

    guess = np.ceil(traffic / max_occupancy + 2 * np.sqrt(traffic) + 1).astype(np.int64)
    out = smallest_agents(ok, np.full(rates.size, min_agents), guess)
    out[traffic == 0] = min_agents
    if max_agents is not None:
        np.minimum(out, max_agents, out=out)
    return out


def _log_erlang_b_by_terms(agents: int, traffic: float) -> float:
    """log B by log-sum-exp over the Poisson terms A^k / k!, k = 0..n: O(n), always finite."""
    k = np.arange(agents + 1, dtype=np.float64)
    log_terms = k * math.log(traffic) - gammaln(k + 1.0)
    peak = float(log_terms.max())
    return float(log_terms[-1] - peak - math.log(float(np.exp(log_terms - peak).sum())))


def _check(agents: ArrayLike, traffic: ArrayLike) -> tuple[FloatArray, FloatArray]:
    n, a = np.broadcast_arrays(
        np.asarray(agents, dtype=np.float64), np.asarray(traffic, dtype=np.float64)
    )
    if (n < 0).any() or (a < 0).any() or np.isnan(a).any():
        raise ValueError("agents and traffic must be non-negative")
    if (n != np.floor(n)).any():
        raise ValueError("agents must be whole numbers")
    return np.array(n, dtype=np.float64), np.array(a, dtype=np.float64)


def _floats(*values: ArrayLike) -> tuple[FloatArray, ...]:
    return tuple(np.asarray(v, dtype=np.float64) for v in values)
