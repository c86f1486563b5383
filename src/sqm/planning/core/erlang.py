"""Erlang C queueing formulas, computed in log space so they stay exact for thousands of agents.

Conventions: ``traffic`` is the offered load in Erlangs (arrival rate × average handling time),
``agents`` the number of servers, times in seconds. The staffing search returns the smallest
number of agents that meets a service-level target "``target`` of calls answered within
``threshold_s`` seconds" (e.g. the VIP hotline's 85/15, seed 002).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray


def log_erlang_b(agents: int, traffic: float) -> float:
    """log of the Erlang B blocking probability, via log-sum-exp over the Poisson terms."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must be non-negative")
    if traffic == 0:
        return 0.0 if agents == 0 else -math.inf
    k = np.arange(agents + 1, dtype=np.float64)
    log_terms = k * math.log(traffic) - _log_factorials(agents)
    return float(log_terms[-1] - _logsumexp(log_terms))


def log_erlang_c(agents: int, traffic: float) -> float:
    """log of the Erlang C probability that an arriving call has to wait (0 when overloaded)."""
    if agents < 0 or traffic < 0:
        raise ValueError("agents and traffic must be non-negative")
    if traffic == 0:
        return -math.inf if agents > 0 else 0.0
    if agents <= traffic:
        return 0.0  # unstable: every call waits
    k = np.arange(agents, dtype=np.float64)
    log_a = math.log(traffic)
    log_terms = k * log_a - _log_factorials(agents - 1)
    log_last = agents * log_a - math.lgamma(agents + 1) + math.log(agents / (agents - traffic))
    return float(log_last - _logsumexp(np.append(log_terms, log_last)))


def erlang_c(agents: int, traffic: float) -> float:
    """Probability that a call waits (M/M/c, infinite patience)."""
    return math.exp(log_erlang_c(agents, traffic))


def service_level(agents: int, arrival_rate: float, aht_s: float, threshold_s: float) -> float:
    """Share of calls answered within ``threshold_s``: 1 − C(c, A)·exp(−(c − A)·T / AHT)."""
    traffic = arrival_rate * aht_s
    if traffic == 0:
        return 1.0 if agents > 0 else 0.0
    if agents <= traffic:
        return 0.0
    log_wait = log_erlang_c(agents, traffic) - (agents - traffic) * threshold_s / aht_s
    return 1.0 - math.exp(log_wait)


def average_speed_of_answer(agents: int, arrival_rate: float, aht_s: float) -> float:
    """Mean wait over all calls: C(c, A)·AHT / (c − A); infinite when overloaded."""
    traffic = arrival_rate * aht_s
    if traffic == 0:
        return 0.0
    if agents <= traffic:
        return math.inf
    return math.exp(log_erlang_c(agents, traffic)) * aht_s / (agents - traffic)


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
    (and keeps occupancy ≤ ``max_occupancy``). Service level rises with agents, so a doubling
    search followed by bisection finds it in O(log c) Erlang evaluations."""
    if not 0 < target < 1:
        raise ValueError("target must be between 0 and 1")
    traffic = arrival_rate * aht_s
    if traffic <= 0:
        return min_agents
    lower = max(min_agents, 1, math.floor(traffic / max_occupancy) + 1)

    def ok(c: int) -> bool:
        return (
            c > traffic / max_occupancy
            and service_level(c, arrival_rate, aht_s, threshold_s) >= target
        )

    if ok(lower):
        return lower
    low, step = lower, max(1, math.ceil(math.sqrt(traffic)))
    high = low + step
    while not ok(high):
        low, step = high, step * 2
        high = low + step
    while high - low > 1:  # low fails, high meets the target
        mid = (low + high) // 2
        if ok(mid):
            high = mid
        else:
            low = mid
    return high


def staff_intervals(
    arrival_rates: Sequence[float] | NDArray[np.float64],
    aht_s: float,
    target: float,
    threshold_s: float,
    *,
    min_agents: int = 0,
    max_agents: int | None = None,
    max_occupancy: float = 1.0,
) -> NDArray[np.int64]:
    """Agents per interval for a forecast of arrival rates (calls per second) per interval.

    ``max_occupancy`` < 1 keeps headroom: a large centre staffed to the bare Erlang C figure
    runs at ~97% occupancy, and any forecast error or absence tips it into overload."""
    rates = np.asarray(arrival_rates, dtype=np.float64)
    cache: dict[float, int] = {}
    out = np.empty(rates.size, dtype=np.int64)
    for i, rate in enumerate(rates.tolist()):
        key = round(rate, 9)
        if key not in cache:
            cache[key] = agents_for_service_level(
                rate, aht_s, target, threshold_s, min_agents=min_agents, max_occupancy=max_occupancy
            )
        out[i] = cache[key]
    if max_agents is not None:
        np.minimum(out, max_agents, out=out)
    return out


def _log_factorials(n: int) -> NDArray[np.float64]:
    """log(k!) for k = 0..n."""
    result = np.zeros(n + 1, dtype=np.float64)
    if n > 0:
        result[1:] = np.cumsum(np.log(np.arange(1, n + 1, dtype=np.float64)))
    return result


def _logsumexp(values: NDArray[np.float64]) -> float:
    peak = float(np.max(values))
    if math.isinf(peak):
        return peak
    return peak + math.log(float(np.sum(np.exp(values - peak))))
