"""Hotline demand and the staffing plan that meets it (or does not, at the peaks).

Demand per day = base calls by tier (weekday and month-end factors) + bill-driven calls from
the customers whose bill was just issued + incident surges + repeat calls carried over.
The workforce planner staffs each half-hour with Erlang C to 80/20 from a forecast that knows
the weekly rhythm but catches only part of the bill-day surge, with a fixed roster ceiling and
some absence — so the billing peak is under-staffed, as it is in real centres (VP speech 2010).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

import numpy as np
from numpy.typing import NDArray

from sqm.demo.core import ivr
from sqm.demo.core.context import Context
from sqm.demo.core.month import (
    SLOT_S,
    SLOTS,
    bill_profile,
    hotline_profile,
    month_end_profile,
    weekday_factors,
)
from sqm.demo.core.scales import CALLS_PER_CUSTOMER
from sqm.planning.core.erlang import staff_intervals
from sqm.planning.core.simulation import StaffingPlan

BILL_SHARE = 0.15  # share of a month's calls driven by the bill
TOPIC_MIX = {
    "bills": 0.16, "business_handling": 0.15, "tariff_plans": 0.11, "mobile_internet": 0.08,
    "new_services": 0.07, "promotions": 0.06, "recharge": 0.06, "coverage": 0.04,
    "consultation": 0.05, "price_level": 0.03, "voice_quality": 0.02, "handsets": 0.02,
    "e_channels": 0.03, "reminders": 0.02, "info_security": 0.02, "hotline": 0.01,
    "business_hall": 0.01, "service_staff": 0.01, "publicity": 0.01,
}  # fmt: skip
BILL_TOPIC_MIX = {
    "bills": 0.6, "price_level": 0.12, "tariff_plans": 0.1, "new_services": 0.12,
    "reminders": 0.06,
}  # fmt: skip
# Median talk time (s) by topic; lognormal with sigma TALK_SIGMA.
TALK_MEDIAN = {
    "bills": 150.0, "business_handling": 240.0, "tariff_plans": 220.0, "mobile_internet": 260.0,
    "new_services": 200.0, "promotions": 170.0, "recharge": 120.0, "coverage": 250.0,
    "consultation": 180.0, "price_level": 190.0, "voice_quality": 240.0, "handsets": 230.0,
    "e_channels": 200.0, "reminders": 150.0, "info_security": 260.0, "hotline": 200.0,
    "business_hall": 200.0, "service_staff": 220.0, "publicity": 150.0,
}  # fmt: skip
TALK_SIGMA = 0.55
WRAP_S = 20.0
VIP_TALK = 1.15
# Probability an answered call resolves the issue (first-contact resolution before repeats).
RESOLVE = {"coverage": 0.8, "mobile_internet": 0.82, "voice_quality": 0.85, "bills": 0.9,
           "new_services": 0.86, "info_security": 0.84}  # fmt: skip
DEFAULT_RESOLVE = 0.91
# Patience (s): lognormal median by tier rank, sigma 0.9. VIPs are a little more patient.
PATIENCE_MEDIAN = np.array([240.0, 220.0, 190.0, 160.0, 140.0])
PATIENCE_SIGMA = 0.8
TARGET_SL, TARGET_S = 0.8, 20.0
FORECAST_BILL_CATCH = 0.4  # the planner sees 40% of the bill-day surge
MAX_OCCUPANCY = 0.93  # planners keep headroom on top of Erlang C
ROSTER_MARGIN = 1.1  # agents on the roster / need at an ordinary day's busiest half-hour
REPEAT_ALLOWANCE = 1.08  # repeat calls and redials in the historical volumes
ABSENCE = (0.0, 0.06)

TOPIC_INDEX = {t: i for i, t in enumerate(ivr.TOPICS)}


def _mix(weights: dict[str, float]) -> NDArray[np.float64]:
    p = np.zeros(len(ivr.TOPICS))
    for topic, w in weights.items():
        p[TOPIC_INDEX[topic]] = w
    return np.asarray(p / p.sum(), dtype=np.float64)


BASE_TOPICS = _mix(TOPIC_MIX)
BILL_TOPICS = _mix(BILL_TOPIC_MIX)
TALK_MEDIAN_BY_TOPIC = np.array([TALK_MEDIAN[t] for t in ivr.TOPICS])
RESOLVE_BY_TOPIC = np.array([RESOLVE.get(t, DEFAULT_RESOLVE) for t in ivr.TOPICS])


@dataclass(frozen=True, slots=True)
class DailyDemand:
    base_by_tier: NDArray[np.float64]  # expected base calls per tier
    bill_by_cycle: NDArray[np.float64]  # expected bill-driven calls per billing cycle


def expected_demand(ctx: Context, day: date) -> DailyDemand:
    pop = ctx.population
    month = ctx.month
    d = month.day_index(day)
    weekday = weekday_factors(month)[d]
    month_end = 1.0 + 0.3 * month_end_profile(month)[d]
    rates = np.asarray(CALLS_PER_CUSTOMER)
    tiers = np.array([t.size for t in pop.by_tier], dtype=np.float64)
    base = tiers * rates * (1 - BILL_SHARE) / month.ndays * weekday * month_end
    mean_rate = float((tiers * rates).sum() / max(tiers.sum(), 1.0))
    bill = np.array(
        [
            c.size * mean_rate * BILL_SHARE * bill_profile(month, cycle)[d]
            for c, cycle in zip(pop.by_cycle, pop.cycle_days, strict=True)
        ]
    )
    return DailyDemand(base, bill)


@cache
def _reference_calls() -> tuple[float, float]:
    """Share of calls reaching the agent queue, and mean agent occupancy per answered call,
    for the month's topic and tier mix: what the planner knows from history."""
    rng = np.random.default_rng(7)
    n = 50_000
    topic = rng.choice(
        len(ivr.TOPICS), n, p=(1 - BILL_SHARE) * BASE_TOPICS + BILL_SHARE * BILL_TOPICS
    )
    calls_by_tier = np.array([0.01, 0.04, 0.10, 0.10, 0.75]) * np.asarray(CALLS_PER_CUSTOMER)
    tier = rng.choice(5, n, p=calls_by_tier / calls_by_tier.sum())
    outcome = ivr.route_calls(rng, topic, tier, np.zeros(n))
    talk = talk_seconds(rng, topic, tier)
    q = outcome.queued
    return float(q.mean()), float(talk[q].mean()) + WRAP_S


def queued_share() -> float:
    return _reference_calls()[0]


def mean_handling_s() -> float:
    return _reference_calls()[1]


def _required(ctx: Context, day: date, bill_catch: float) -> NDArray[np.int64]:
    demand = expected_demand(ctx, day)
    daily = (demand.base_by_tier.sum() + bill_catch * demand.bill_by_cycle.sum()) * (
        REPEAT_ALLOWANCE * queued_share()
    )
    rates = daily * hotline_profile(day) / SLOT_S
    return staff_intervals(
        rates, mean_handling_s(), TARGET_SL, TARGET_S, min_agents=1, max_occupancy=MAX_OCCUPANCY
    )


def roster_size(ctx: Context) -> int:
    """Agents on the roster: ``ROSTER_MARGIN`` × what an ordinary mid-month Tuesday needs at
    its busiest half-hour. No more can be on duty at once, whatever the forecast says."""
    reference = next(
        (d for d in ctx.month.days if d.day >= 10 and d.weekday() == 1), ctx.month.days[9]
    )
    return max(2, int(np.ceil(int(_required(ctx, reference, 0.0).max()) * ROSTER_MARGIN)))


def staffing_plan(ctx: Context, day: date) -> StaffingPlan:
    """Agents per half-hour for ``day``: Erlang C on the forecast, minus absence, capped."""
    required = _required(ctx, day, FORECAST_BILL_CATCH)
    ceiling = roster_size(ctx)
    rng = ctx.rng("hotline-staff", day)
    absent = rng.uniform(*ABSENCE, SLOTS)
    agents = np.maximum(1, np.floor(required * (1 - absent) + rng.random(SLOTS)))
    agents = np.minimum(agents, ceiling).astype(np.int64)
    return StaffingPlan(agents, SLOT_S)


def talk_seconds(
    rng: np.random.Generator, topic: NDArray[np.int64], tier_rank: NDArray[np.int64]
) -> NDArray[np.float64]:
    median = TALK_MEDIAN_BY_TOPIC[topic] * np.where(tier_rank <= 2, VIP_TALK, 1.0)
    talk = median * np.exp(rng.normal(0.0, TALK_SIGMA, topic.size))
    return np.asarray(np.clip(talk, 15.0, 3600.0), dtype=np.float64)


def patience_seconds(rng: np.random.Generator, tier_rank: NDArray[np.int64]) -> NDArray[np.float64]:
    median = PATIENCE_MEDIAN[tier_rank]
    return np.asarray(median * np.exp(rng.normal(0.0, PATIENCE_SIGMA, tier_rank.size)))
