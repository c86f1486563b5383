"""Business-hall staffing per hour and opening hours by district type (issue 5, part 6).

Counters (R5.1). The promise is "queue within 10 minutes" (挑战10分钟: VP speech 2010 and
quality system course 2013): each hour must serve ``target`` of visitors within
``threshold_s`` = 600 s. An hour is taken as a stationary M/M/c queue (Poisson arrivals,
exponential service, no abandonment) — the usual hour-by-hour (SIPP) approximation — so the
share served within 10 minutes is Erlang C's ``1 − C·exp(−(c − A)·T / S)``, computed by
:func:`erlang.service_level`.

Mobile fee collectors (流动收费员, the VP speech 2010's 移动收费箱). A hall has a fixed number of
counter positions. When every counter is open and the hour still misses the target, staff
with a portable terminal walk the queue and take fee payments. They are modelled as extra
servers of the same queue (they call the next payment ticket), which holds while collectors
carry no more than the payment share of the work: in a pooled queue each server carries
A / n of the load, so m collectors beside c counters need m / (c + m) ≤ ``payment_share``,
i.e. m ≤ payment_share / (1 − payment_share) · c. The collector count is also capped by the
hall's own limit (terminals, floor space). An hour that cannot meet the target with all
counters and all allowed collectors is staffed to the maximum and flagged.

Opening hours (R5.2). Residential halls are busy after work and at weekends, business-district
halls in office hours (VP speech 2010): the window follows the observed demand. The district type
sets the policy (how much demand must be covered, how long a hall may stay open); the hours
come from the data. Call once per day type (working day, weekend).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike

from sqm.planning.core import erlang
from sqm.planning.core.erlang import FloatArray

TEN_MINUTES_S = 600.0


@dataclass(frozen=True, slots=True)
class HallLimits:
    """What a hall can put on the floor, and the share of its work that collectors can take."""

    counters: int
    collectors: int = 0
    payment_share: float = 0.4  # share of visits that are fee payments (collectors' work)
    min_counters: int = 1  # an open hall keeps at least one counter staffed

    def __post_init__(self) -> None:
        if self.counters < 1 or self.collectors < 0 or not 0 <= self.min_counters <= self.counters:
            raise ValueError("need ≥ 1 counter, ≥ 0 collectors and 0 ≤ min_counters ≤ counters")
        if not 0 <= self.payment_share < 1:
            raise ValueError("payment_share must be in [0, 1)")

    @property
    def usable_collectors(self) -> int:
        """Collectors that can be busy on payments beside all counters (module docstring)."""
        by_work = self.payment_share / (1.0 - self.payment_share) * self.counters
        return min(self.collectors, math.floor(by_work + 1e-9))


@dataclass(frozen=True, slots=True)
class HourPlan:
    hour: int
    visits: float  # expected arrivals in the hour
    counters: int
    collectors: int
    within_threshold: float  # expected share served within the threshold (Erlang C)
    mean_wait_s: float  # over all visitors; ∞ when the hour is overloaded
    meets_target: bool


def staff_hall(
    visits_per_hour: ArrayLike,
    service_s: float,
    limits: HallLimits,
    *,
    target: float = 0.9,
    threshold_s: float = TEN_MINUTES_S,
    first_hour: int = 0,
) -> list[HourPlan]:
    """The smallest team per hour that serves ``target`` of visitors within ``threshold_s``:
    counters first, then mobile collectors once every counter is open. ``visits_per_hour[i]``
    is the demand of hour ``first_hour + i``; ``service_s`` the mean time at a counter."""
    visits = np.asarray(visits_per_hour, dtype=np.float64).reshape(-1)
    if (visits < 0).any() or not np.isfinite(visits).all():
        raise ValueError("visits must be finite and non-negative")
    if not (math.isfinite(service_s) and service_s > 0):
        raise ValueError("service time must be positive")
    rates = visits / 3600.0
    # Servers needed in a pooled queue; who fills the seats is decided below.
    needed = erlang.staff_intervals(
        rates, service_s, target, threshold_s, min_agents=limits.min_counters
    )
    counters = np.minimum(needed, limits.counters)
    collectors = np.minimum(needed - counters, limits.usable_collectors)
    servers = counters + collectors
    share = erlang.service_level(servers, rates, service_s, threshold_s)
    wait = erlang.average_speed_of_answer(servers, rates, service_s)
    return [
        HourPlan(
            first_hour + i,
            float(visits[i]),
            int(counters[i]),
            int(collectors[i]),
            float(share[i]),
            float(wait[i]),
            bool(servers[i] >= needed[i]),
        )
        for i in range(visits.size)
    ]


class District(StrEnum):
    RESIDENTIAL = "residential"
    BUSINESS = "business"
    MIXED = "mixed"
    CAMPUS = "campus"
    RURAL = "rural"


@dataclass(frozen=True, slots=True)
class HoursPolicy:
    """An hour with at least ``threshold_share`` of the day's demand must be inside the
    window; the window must cover ``min_coverage`` of demand and last ``min_hours`` to
    ``max_hours`` hours."""

    threshold_share: float
    min_coverage: float
    min_hours: int
    max_hours: int

    def __post_init__(self) -> None:
        if not (0 <= self.threshold_share < 1 and 0 < self.min_coverage <= 1):
            raise ValueError("shares must lie in [0, 1)")
        if not 1 <= self.min_hours <= self.max_hours <= 24:
            raise ValueError("need 1 ≤ min_hours ≤ max_hours ≤ 24")


# Defaults, overridable per hall. Urban halls promise near-full coverage (a closed door is a
# complaint); residential and mixed halls may need long days to reach both the morning and
# the after-work peak; rural halls see thin demand and staff who travel, so a shorter day
# covering 90% is the better trade.
POLICIES: dict[District, HoursPolicy] = {
    District.RESIDENTIAL: HoursPolicy(0.02, 0.95, 9, 13),
    District.BUSINESS: HoursPolicy(0.02, 0.95, 8, 11),
    District.MIXED: HoursPolicy(0.02, 0.95, 9, 13),
    District.CAMPUS: HoursPolicy(0.02, 0.92, 8, 12),
    District.RURAL: HoursPolicy(0.03, 0.90, 6, 10),
}


@dataclass(frozen=True, slots=True)
class OpeningHours:
    district: District
    open_hour: int
    close_hour: int  # exclusive: open 9, close 18 is 09:00–18:00
    covered_share: float  # share of the observed demand inside the window
    meets_policy: bool  # False: no window within max_hours reaches the coverage or hot hours

    @property
    def hours(self) -> int:
        return self.close_hour - self.open_hour


def recommend_hours(
    hourly_demand: ArrayLike, district: District, policy: HoursPolicy | None = None
) -> OpeningHours:
    """The shortest contiguous window (ties: more demand covered) that contains every hour
    above the threshold share, covers the policy's share of demand and lasts between its
    minimum and maximum hours. ``hourly_demand`` is 24 values, or days × 24 (averaged).

    All 300 same-day windows are scored, so the answer is exact rather than greedy. When no
    window meets the policy, the best-covering window of at most ``max_hours`` is returned
    and flagged. Windows do not cross midnight: halls are day-time shops."""
    rule = policy or POLICIES[District(district)]
    demand = np.asarray(hourly_demand, dtype=np.float64)
    demand = demand.mean(axis=0) if demand.ndim == 2 else demand
    if demand.shape != (24,) or (demand < 0).any() or not np.isfinite(demand).all():
        raise ValueError("hourly demand must be 24 non-negative values per day")
    total = float(demand.sum())
    share = demand / total if total > 0 else np.zeros(24)
    hot = np.flatnonzero(share >= rule.threshold_share) if total > 0 else np.zeros(0, np.int64)
    before = np.concatenate([[0.0], np.cumsum(share)])
    best: tuple[int, float, int, int] | None = None  # (hours, −coverage, open, close)
    fallback: tuple[float, int, int, int] | None = None  # (−coverage, hours, open, close)
    for start in range(24):
        for stop in range(start + 1, 25):
            length = stop - start
            if length > rule.max_hours:
                break
            covered = float(before[stop] - before[start])
            fallback = min(fallback or (1.0, 99, 0, 0), (-covered, length, start, stop))
            holds_hot = hot.size == 0 or (start <= hot[0] and hot[-1] < stop)
            fits = length >= rule.min_hours and covered >= rule.min_coverage - 1e-12
            if holds_hot and fits:
                best = min(best or (99, 0.0, 0, 0), (length, -covered, start, stop))
    if best is not None:
        return OpeningHours(District(district), best[2], best[3], -best[1], True)
    assert fallback is not None
    return OpeningHours(District(district), fallback[2], fallback[3], -fallback[0], False)


def share_within(
    servers: ArrayLike, visits_per_hour: ArrayLike, service_s: float, threshold_s: float
) -> FloatArray:
    """Erlang C share of visitors served within ``threshold_s`` for given server counts."""
    rates = np.asarray(visits_per_hour, dtype=np.float64) / 3600.0
    return erlang.service_level(servers, rates, service_s, threshold_s)
