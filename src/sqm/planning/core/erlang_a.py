"""Erlang A (Palm's M/M/n+M queue): Erlang C plus callers who hang up after an exponential
patience, so the queue is stable at any load and abandonment is a first-class output.

Model: Poisson arrivals λ, exponential handling time (mean AHT, μ = 1/AHT), ``n`` agents, FCFS,
exponential patience with mean ``patience_s`` (θ = 1/patience). With x = nμ/θ, y = λ/θ and
A = λ/μ the load, the steady state (Mandelbaum & Zeltyn, "The Palm/Erlang-A queue, with
applications to call centers", 2005/2007, §3–4; Garnett, Mandelbaum & Reiman 2002) is::

    K(x, y)     = Σ_{j≥0} y^j / ((x+1)(x+2)…(x+j))  = x·e^y·y^(−x)·γ(x, y)   (γ: lower gamma)
    P(W > 0)    = K·B / (1 + (K − 1)·B)              B = Erlang B(n, A)
    P(Ab | W>0) = 1 − 1/ρ + 1/(ρ·K)                  ρ = λ/(nμ) = y/x
    E[W]        = P(Ab)·patience                      (all callers, abandoners included)

Service level here means the share of *all offered* calls answered within ``t`` (abandoners
are misses), as the simulator counts it. For a caller who waits, the number of callers ahead
falls as a pure-death process with rates (x + i)θ; solving its forward equations gives
P(answered in (0, t] | W > 0) = (1/ρ)·[P(x+1, y) − P(x+1, y·e^{−θt})] / P(x, y), with P the
regularised lower incomplete gamma. Everything is evaluated as logs of ``K``: ``log K`` comes
from ``scipy.special.gammainc`` where that is representable, and from its convergent series
(ratio ≤ ρ < 1) where it underflows (long patience, many agents), so nothing overflows or
underflows for thousands of agents or patience → ∞. Patience = ∞ is Erlang C exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.integrate import quad
from scipy.special import gammainc, gammaln

from sqm.planning.core import erlang
from sqm.planning.core.erlang import FloatArray

_TINY = 1e-280
_SERIES_CHUNK = 256


def log_kummer(x: ArrayLike, y: ArrayLike) -> FloatArray:
    """log K(x, y) = log Σ_{j≥0} y^j / ∏_{i=1..j}(x + i)  (= log ₁F₁(1; x+1; y)), x, y ≥ 0."""
    xs, ys = np.broadcast_arrays(np.asarray(x, np.float64), np.asarray(y, np.float64))
    out = np.zeros(xs.shape, dtype=np.float64)
    pos = ys > 0
    xp, yp = xs[pos], ys[pos]
    with np.errstate(divide="ignore", invalid="ignore"):
        p = gammainc(xp, yp)
        value = gammaln(xp + 1.0) + yp - xp * np.log(yp) + np.log(p)
    value = np.where(xp == 0, yp, value)  # K(0, y) = e^y
    small = (p < _TINY) & (xp > 0)
    if small.any():
        value[small] = _log_kummer_series(xp[small], yp[small])
    out[pos] = value
    return out


def _log_kummer_series(x: FloatArray, y: FloatArray) -> FloatArray:
    """The series itself, summed in log space chunk by chunk; used where y < x (gamma
    underflow), so consecutive terms shrink by y/(x+i) < 1."""
    total = np.zeros(x.size)  # log of the partial sum; the j = 0 term is 1
    last = np.zeros(x.size)  # log of the latest term
    offset = 0
    open_ = np.ones(x.size, dtype=bool)
    log_y = np.log(y)
    while open_.any():
        i = offset + np.arange(1, _SERIES_CHUNK + 1, dtype=np.float64)
        steps = log_y[open_, None] - np.log(x[open_, None] + i[None, :])
        terms = last[open_, None] + np.cumsum(steps, axis=1)
        peak = np.maximum(terms.max(axis=1), total[open_])
        chunk = np.log(np.exp(terms - peak[:, None]).sum(axis=1) + np.exp(total[open_] - peak))
        total[open_] = peak + chunk
        last[open_] = terms[:, -1]
        offset += _SERIES_CHUNK
        still = last[open_] > total[open_] - 40.0  # next chunk could still matter
        open_[np.flatnonzero(open_)[~still]] = False
    return total


@dataclass(frozen=True, slots=True)
class ErlangAParts:
    """The pieces every Erlang A measure is built from, elementwise."""

    wait_probability: FloatArray  # P(all agents busy on arrival)
    no_wait: FloatArray  # 1 − P(wait), computed without cancellation
    served_given_wait: FloatArray  # P(answered | had to wait)
    x: FloatArray
    y: FloatArray
    log_k1: FloatArray  # log K(x + 1, y)
    theta: FloatArray


def erlang_a_parts(
    agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
) -> ErlangAParts:
    n, rate, aht, patience = np.broadcast_arrays(
        *(np.asarray(v, np.float64) for v in (agents, arrival_rate, aht_s, patience_s))
    )
    if (patience <= 0).any() or np.isinf(patience).any():
        raise ValueError("patience must be positive and finite (use Erlang C for ∞)")
    theta = 1.0 / patience
    x = n * patience / aht
    y = rate * patience
    log_b = erlang.log_erlang_b(n, rate * aht)
    log_k = log_kummer(x, y)
    log_k1 = log_kummer(x + 1.0, y)
    with np.errstate(divide="ignore"):
        log_free = np.log1p(-np.exp(log_b))  # log(1 − B)
        denominator = np.logaddexp(log_free, log_k + log_b)
        wait = np.exp(log_k + log_b - denominator)
        no_wait = np.exp(log_free - denominator)
        # P(answered | waited) = x/(x+1)·K(x+1, y)/K(x, y)  (= 1/ρ − 1/(ρK)); 0 with no agents.
        served = np.where(x > 0, np.exp(np.log(x / (x + 1.0)) + log_k1 - log_k), 0.0)
    wait = np.where(y == 0, 0.0, wait)
    no_wait = np.where(y == 0, 1.0, no_wait)
    return ErlangAParts(wait, no_wait, np.clip(served, 0.0, 1.0), x, y, log_k1, theta)


def _served_after(parts: ErlangAParts, t: FloatArray) -> FloatArray:
    """P(answered after waiting more than t | answered after waiting), elementwise."""
    theta_t = parts.theta * t
    shrunk = parts.y * np.exp(-theta_t)
    log_ratio = (
        -(parts.x + 1.0) * theta_t
        - parts.y * np.expm1(-theta_t)
        + log_kummer(parts.x + 1.0, shrunk)
        - parts.log_k1
    )
    return np.asarray(np.exp(np.minimum(log_ratio, 0.0)), dtype=np.float64)


def service_level(
    agents: ArrayLike,
    arrival_rate: ArrayLike,
    aht_s: ArrayLike,
    threshold_s: ArrayLike,
    patience_s: ArrayLike,
) -> FloatArray:
    """Share of offered calls answered within ``threshold_s`` (abandoners count as misses)."""
    parts = erlang_a_parts(agents, arrival_rate, aht_s, patience_s)
    t = np.broadcast_to(np.asarray(threshold_s, np.float64), parts.x.shape)
    within = parts.served_given_wait * (1.0 - _served_after(parts, t))
    return np.asarray(parts.no_wait + parts.wait_probability * within, dtype=np.float64)


def abandon_probability(
    agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
) -> FloatArray:
    """Share of offered calls that hang up before an agent answers."""
    parts = erlang_a_parts(agents, arrival_rate, aht_s, patience_s)
    return np.asarray(parts.wait_probability * (1.0 - parts.served_given_wait), np.float64)


def wait_probability(
    agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
) -> FloatArray:
    """P(W > 0): the share of calls that find every agent busy."""
    return erlang_a_parts(agents, arrival_rate, aht_s, patience_s).wait_probability


def occupancy(
    agents: ArrayLike, arrival_rate: ArrayLike, aht_s: ArrayLike, patience_s: ArrayLike
) -> FloatArray:
    """Share of agent time spent on calls: carried load A·(1 − P(Ab)) / n."""
    n = np.asarray(agents, np.float64)
    carried = np.asarray(arrival_rate, np.float64) * np.asarray(aht_s, np.float64)
    carried = carried * (1.0 - abandon_probability(agents, arrival_rate, aht_s, patience_s))
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(n > 0, carried / n, 0.0), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class ErlangAMetrics:
    service_level: float
    wait_probability: float
    abandon_probability: float
    mean_wait_s: float  # over all offered calls, abandoners' time to hang up included
    asa_s: float  # average speed of answer: mean wait of the calls that are answered
    occupancy: float


def metrics(
    agents: int,
    arrival_rate: float,
    aht_s: float,
    threshold_s: float,
    patience_s: float,
) -> ErlangAMetrics:
    """All Erlang A measures for one head-count. The ASA of answered calls has no closed
    form; it is ∫₀^∞ P(answered after waiting > s) ds, integrated numerically."""
    parts = erlang_a_parts(agents, arrival_rate, aht_s, patience_s)
    wait = float(parts.wait_probability)
    served = float(parts.served_given_wait)
    abandon = wait * (1.0 - served)
    answered = 1.0 - abandon

    def tail(s: float) -> float:
        return float(_served_after(parts, np.asarray(s, np.float64)))

    if wait * served > 0:
        area, _ = quad(tail, 0.0, math.inf, limit=200)
    else:
        area = 0.0
    level = service_level(agents, arrival_rate, aht_s, threshold_s, patience_s)
    return ErlangAMetrics(
        service_level=float(level),
        wait_probability=wait,
        abandon_probability=abandon,
        mean_wait_s=abandon * patience_s,
        asa_s=wait * served * area / answered if answered > 0 else math.inf,
        occupancy=float(occupancy(agents, arrival_rate, aht_s, patience_s)),
    )
