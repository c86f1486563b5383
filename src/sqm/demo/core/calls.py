"""Hotline calls of one day: arrivals → IVR → tiered priority queue (the DES) → survey.

Waits and abandonment are consequences of the day's load and staffing, computed by
:func:`sqm.planning.core.simulation.simulate_queue`. Callers who abandon redial a few minutes
later; unresolved callers call again within 48 hours (so first-contact resolution is
measurable). Same-day follow-ups join the day's queue in a second simulation pass; later ones
are carried to the following days.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sqm.demo.core import columns as col
from sqm.demo.core import hotline
from sqm.demo.core.context import Context
from sqm.demo.core.incidents import affected_customers
from sqm.demo.core.ivr import TOPICS, IvrLoop, route_calls
from sqm.demo.core.month import DAY_S, hotline_profile, sample_seconds, sample_window
from sqm.events.core.schemas import CALLS
from sqm.planning.core.simulation import StaffingPlan, simulate_queue

OUTAGE_CALL_P = 0.12  # affected customers who call during a network outage
DEFECT_CALL_P = 0.25  # customers hit by a product defect who call about it
REDIAL_P = 0.45
REPEAT_P = 0.8  # unresolved callers who call again within 48 h
SURVEY_OFFER_P = 0.98
SURVEY_RESPONSE_P = 0.35
TEST_CALL_SHARE = 0.002  # internal test calls, flagged ``excluded``
NO_CUSTOMER = -1
ORIGINS = ("base", "bill", "outage", "defect", "repeat", "redial", "test")


@dataclass(slots=True)
class CallCarry:
    """Repeat calls waiting for a later day: customer, topic and time of day per day."""

    pending: dict[date, list[tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.float64]]]] = (
        field(default_factory=lambda: defaultdict(list))
    )


@dataclass(frozen=True, slots=True)
class CallsDay:
    table: pa.Table
    # Hang-up survey answers, for the surveys source.
    survey_call_ids: pa.Array
    survey_customer: NDArray[np.int32]
    survey_at_ms: NDArray[np.int64]
    survey_score: NDArray[np.int64]
    survey_topic: NDArray[np.int64]


@dataclass(slots=True)
class _Calls:
    customer: NDArray[np.int32]
    topic: NDArray[np.int64]
    time_s: NDArray[np.float64]
    origin: NDArray[np.int64]

    @classmethod
    def join(cls, parts: list[_Calls]) -> _Calls:
        return cls(
            np.concatenate([p.customer for p in parts]).astype(np.int32),
            np.concatenate([p.topic for p in parts]).astype(np.int64),
            np.concatenate([p.time_s for p in parts]),
            np.concatenate([p.origin for p in parts]).astype(np.int64),
        )


def _part(
    customer: NDArray[np.int32], topic: NDArray[np.int64], time_s: NDArray[np.float64], origin: str
) -> _Calls:
    return _Calls(customer, topic, time_s, np.full(customer.size, ORIGINS.index(origin)))


def _arrivals(ctx: Context, day: date, rng: np.random.Generator, carry: CallCarry) -> _Calls:
    pop = ctx.population
    profile = hotline_profile(day)
    demand = hotline.expected_demand(ctx, day)
    parts: list[_Calls] = []
    customer = pop.pick_by_tier(rng, rng.poisson(demand.base_by_tier))
    topic = rng.choice(len(TOPICS), customer.size, p=hotline.BASE_TOPICS)
    parts.append(_part(customer, topic, sample_seconds(rng, customer.size, profile), "base"))
    for pool, expected in zip(pop.by_cycle, demand.bill_by_cycle, strict=True):
        customer = pop.pick(rng, pool, int(rng.poisson(expected)))
        topic = rng.choice(len(TOPICS), customer.size, p=hotline.BILL_TOPICS)
        parts.append(_part(customer, topic, sample_seconds(rng, customer.size, profile), "bill"))
    for incident in ctx.plan.on("network_outage", day):
        pool = affected_customers(
            pop.by_branch[ctx.branch_index(incident.branch or "")], incident.share, 1
        )
        low, high, share = incident.day_share(day, hotline_profile, extend_s=7200)
        n = int(rng.poisson(pool.size * OUTAGE_CALL_P * share))
        customer = pop.pick(rng, pool, n)
        topic = np.where(
            rng.random(n) < 0.5, TOPICS.index("coverage"), TOPICS.index("mobile_internet")
        )
        parts.append(_part(customer, topic, sample_window(rng, n, profile, low, high), "outage"))
        ctx.ledger.add(incident, "calls", n)
    for incident in ctx.plan.on("product_defect", day):
        pool = affected_customers(pop.eligible, incident.share, 2)
        low, high, share = incident.day_share(day, hotline_profile)
        n = int(rng.poisson(pool.size * DEFECT_CALL_P * share))
        topic = np.full(n, TOPICS.index(incident.category[0]))
        times = sample_window(rng, n, profile, low, high)
        parts.append(_part(pop.pick(rng, pool, n), topic, times, "defect"))
        ctx.ledger.add(incident, "calls", n)
    for customer, topic, times in carry.pending.pop(day, []):
        parts.append(_part(customer, topic, times, "repeat"))
    tests = int(rng.poisson(TEST_CALL_SHARE * sum(p.customer.size for p in parts)))
    parts.append(
        _part(
            np.full(tests, NO_CUSTOMER, np.int32),
            np.full(tests, TOPICS.index("hotline")),
            sample_seconds(rng, tests, profile),
            "test",
        )
    )
    return _Calls.join(parts)


@dataclass(slots=True)
class _Routed:
    calls: _Calls
    tier: NDArray[np.int64]
    path_code: NDArray[np.int64]
    path_labels: list[str]
    ivr_s: NDArray[np.float64]
    self_served: NDArray[np.bool_]
    wanted: NDArray[np.bool_]
    queued: NDArray[np.bool_]
    sms: NDArray[np.bool_]
    looped: NDArray[np.bool_]
    talk_s: NDArray[np.float64]
    patience_s: NDArray[np.float64]
    resolved: NDArray[np.bool_]
    repeat_delay_s: NDArray[np.float64]  # an unresolved caller calls again after this
    redial_delay_s: NDArray[np.float64]  # a caller who gave up redials after this
    follows: NDArray[np.float64]  # would call again if unresolved / abandoned


def _route(
    ctx: Context,
    rng: np.random.Generator,
    calls: _Calls,
    loop: IvrLoop | None,
    redial: bool = False,
) -> _Routed:
    pop = ctx.population
    has = calls.customer >= 0
    tier = np.where(has, pop.tier[np.maximum(calls.customer, 0)], 4).astype(np.int64)
    outcome = route_calls(rng, calls.topic, tier, calls.time_s, loop)
    talk = hotline.talk_seconds(rng, calls.topic, tier)
    patience = hotline.patience_seconds(rng, tier) * np.where(outcome.looped, 0.4, 1.0)
    if redial:
        patience *= 0.8
    resolved = rng.random(tier.size) < hotline.RESOLVE_BY_TOPIC[calls.topic]
    hours = rng.uniform(1.0, 47.0, tier.size)
    repeat_delay = hours * 3600.0
    # Nobody calls back in the small hours: push those into the morning (within 48 h).
    at_hour = ((calls.time_s + repeat_delay) / 3600.0) % 24
    repeat_delay = np.where(at_hour < 7, repeat_delay + (8 - at_hour) * 3600.0, repeat_delay)
    redial_delay = 240.0 * np.exp(rng.normal(0.0, 0.8, tier.size))
    follows = rng.random(tier.size)
    return _Routed(
        calls,
        tier,
        outcome.path_code,
        outcome.path_labels,
        outcome.ivr_s,
        outcome.self_served,
        outcome.wanted_agent,
        outcome.queued,
        outcome.sms_answer,
        outcome.looped,
        talk,
        patience,
        resolved,
        np.minimum(repeat_delay, 47.9 * 3600),
        redial_delay,
        follows,
    )


def _simulate(routed: _Routed, plan: StaffingPlan) -> tuple[NDArray[np.float64], ...]:
    q = routed.queued
    start = routed.calls.time_s + routed.ivr_s
    outcome = simulate_queue(
        start[q], routed.tier[q], routed.talk_s[q] + hotline.WRAP_S, routed.patience_s[q], plan
    )
    n = q.size
    answered = np.full(n, np.nan)
    abandoned = np.full(n, np.nan)
    agent = np.full(n, -1, np.int64)
    answered[q] = outcome.answered_s
    abandoned[q] = outcome.abandoned_s
    agent[q] = outcome.agent
    return answered, abandoned, agent.astype(np.float64)


def _merge(a: _Routed, b: _Routed) -> _Routed:
    offset = len(a.path_labels)
    merged = [
        np.concatenate([x, y])
        for x, y in (
            (a.tier, b.tier),
            (a.path_code, b.path_code + offset),
            (a.ivr_s, b.ivr_s),
            (a.self_served, b.self_served),
            (a.wanted, b.wanted),
            (a.queued, b.queued),
            (a.sms, b.sms),
            (a.looped, b.looped),
            (a.talk_s, b.talk_s),
            (a.patience_s, b.patience_s),
            (a.resolved, b.resolved),
            (a.repeat_delay_s, b.repeat_delay_s),
            (a.redial_delay_s, b.redial_delay_s),
            (a.follows, b.follows),
        )
    ]
    return _Routed(
        _Calls.join([a.calls, b.calls]),
        merged[0],
        merged[1],
        a.path_labels + b.path_labels,
        *merged[2:],
    )


def generate_calls(ctx: Context, day: date, carry: CallCarry) -> CallsDay:
    rng = ctx.rng("calls", day)
    loop = next(
        (IvrLoop(i.node or "", *i.window_s(day)) for i in ctx.plan.on("ivr_loop", day)), None
    )
    plan = hotline.staffing_plan(ctx, day)
    routed = _route(ctx, rng, _arrivals(ctx, day, rng, carry), loop)
    answered, abandoned, _ = _simulate(routed, plan)
    # Same-day follow-ups of the first pass: redials after abandoning (or being trapped in the
    # IVR) and repeats of unresolved calls; they join the day's queue in a second pass.
    gave_up = ~np.isnan(abandoned) | (routed.wanted & ~routed.queued)
    unresolved = ~np.isnan(answered) & ~routed.resolved
    follow = (gave_up & (routed.follows < REDIAL_P)) | (unresolved & (routed.follows < REPEAT_P))
    follow &= routed.calls.customer >= 0
    end = np.where(
        np.isnan(answered),
        np.where(np.isnan(abandoned), routed.calls.time_s + routed.ivr_s, abandoned),
        answered + routed.talk_s,
    )
    again = end + np.where(gave_up, routed.redial_delay_s, routed.repeat_delay_s)
    same_day = follow & (again < DAY_S)
    extra = _Calls(
        routed.calls.customer[same_day],
        routed.calls.topic[same_day],
        again[same_day],
        np.where(gave_up[same_day], 5, 4),
    )
    rng2 = ctx.rng("calls-followups", day)
    routed = _merge(routed, _route(ctx, rng2, extra, loop, redial=True))
    answered, abandoned, agent = _simulate(routed, plan)
    # Repeats of unresolved calls that fall on later days (within 48 h and this month).
    unresolved = ~np.isnan(answered) & ~routed.resolved & (routed.follows < REPEAT_P)
    unresolved &= routed.calls.customer >= 0
    later_at = answered + routed.talk_s + routed.repeat_delay_s
    later = unresolved & (later_at >= DAY_S)
    for offset in (1, 2):
        pick = later & (later_at >= offset * DAY_S) & (later_at < (offset + 1) * DAY_S)
        target = day + timedelta(days=offset)
        if pick.any() and ctx.month.contains(target):
            carry.pending[target].append(
                (
                    routed.calls.customer[pick],
                    routed.calls.topic[pick],
                    later_at[pick] - offset * DAY_S,
                )
            )
    return _assemble(ctx, day, rng2, routed, answered, abandoned, agent)


def _assemble(
    ctx: Context,
    day: date,
    rng: np.random.Generator,
    routed: _Routed,
    answered: NDArray[np.float64],
    abandoned: NDArray[np.float64],
    agent: NDArray[np.float64],
) -> CallsDay:
    calls = routed.calls
    order = np.argsort(calls.time_s, kind="stable")
    n = int(order.size)
    base = ctx.day_base_ms(day)
    pop = ctx.population
    customer = calls.customer[order]
    has = customer >= 0
    safe = np.maximum(customer, 0)
    time_s = calls.time_s[order]
    ivr_s = routed.ivr_s[order]
    queued = routed.queued[order]
    ans = answered[order]
    aba = abandoned[order]
    talk = routed.talk_s[order]
    is_answered = ~np.isnan(ans)
    ended_s = np.where(is_answered, ans + talk, np.where(np.isnan(aba), time_s + ivr_s, aba))
    wait = np.where(is_answered, ans - (time_s + ivr_s), 0.0)
    offered = is_answered & (rng.random(n) < SURVEY_OFFER_P)
    responded = offered & (rng.random(n) < SURVEY_RESPONSE_P)
    latent = (
        4.25
        - 0.005 * wait
        - 1.1 * ~routed.resolved[order]
        - 0.4 * routed.looped[order]
        + rng.normal(0.0, 0.85, n)
    )
    score = np.clip(np.rint(latent), 1, 5).astype(np.int64)
    call_ids = col.fixed_ids("CL", ctx.day_key(day) * 10_000_000 + np.arange(n), 15)
    branch = np.where(has, pop.branch[safe], ctx.branch_index("NJ"))
    agent_i = agent[order].astype(np.int64)
    topic = calls.topic[order]
    table = pa.Table.from_arrays(
        [
            call_ids,
            col.customer_ids(safe, null=~has),
            col.labels(routed.tier[order], pop.tier_codes),
            col.labels(branch, pop.branch_codes),
            col.timestamps(col.seconds_to_ms(base, time_s)),
            col.labels(routed.path_code[order], routed.path_labels),
            col.floats(np.round(ivr_s, 1)),
            col.bools(routed.self_served[order]),
            col.bools(routed.wanted[order]),
            col.timestamps(col.seconds_to_ms(base, time_s + ivr_s), null=~queued),
            col.timestamps(col.seconds_to_ms(base, ans), null=~is_answered),
            col.timestamps(col.seconds_to_ms(base, aba), null=np.isnan(aba)),
            col.timestamps(col.seconds_to_ms(base, ended_s)),
            col.fixed_ids("AG", agent_i + 1, 5, null=agent_i < 0),
            col.labels(topic, TOPICS),
            col.bools(routed.sms[order]),
            col.bools(offered),
            col.ints(score, pa.int8(), null=~responded),
            col.bools(calls.origin[order] == ORIGINS.index("test")),
        ],
        schema=CALLS.schema,
    )
    _record(ctx, day, routed, order, aba, table)
    at_ms = col.seconds_to_ms(base, ended_s + rng.uniform(5, 40, n))
    return CallsDay(
        table,
        call_ids.filter(pa.array(responded)),
        customer[responded],
        at_ms[responded],
        score[responded],
        topic[responded],
    )


def _record(
    ctx: Context,
    day: date,
    routed: _Routed,
    order: NDArray[np.int64],
    abandoned: NDArray[np.float64],
    table: pa.Table,
) -> None:
    for incident in ctx.plan.on("ivr_loop", day):
        looped = routed.looped[order]
        trapped = looped & routed.wanted[order] & ~routed.queued[order]
        ids = table.column("call_id").filter(pa.array(looped)).to_pylist()
        ctx.ledger.add(incident, "calls_looped", int(looped.sum()), ids)
        ctx.ledger.add(incident, "calls_trapped_in_ivr", int(trapped.sum()))
        ctx.ledger.add(
            incident, "calls_looped_abandoned", int((looped & ~np.isnan(abandoned)).sum())
        )
