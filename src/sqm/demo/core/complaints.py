"""Complaint work-order snapshots of one day (by creation time).

Rates: ~19 complaints per 10,000 customers a month (VIPs a little more), the category mix of a
2009–2010 operator (mobile internet, bills and value-added services lead). Lifecycle: first
reply mostly within the promised 48 h (some branches slower), resolution, customer
confirmation before closure, satisfaction. Escalation ≈ 0.64% and appeal ≈ 0.25% of complaints
(Unicom conference 2010: 24,438 and 9,415 of 3,816,000), likelier when late or unresolved.
Billing errors are refunded double (mostly); value-added-service disputes are refunded first.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sqm.demo.core import columns as col
from sqm.demo.core import complaint_text as text
from sqm.demo.core.context import Context
from sqm.demo.core.incidents import affected_customers
from sqm.demo.core.month import (
    COMPLAINT_PROFILE,
    DAY_S,
    bill_profile,
    sample_seconds,
    sample_window,
    weekday_factors,
    window_weights,
)
from sqm.demo.core.scales import COMPLAINTS_PER_CUSTOMER
from sqm.events.core.schemas import COMPLAINTS
from sqm.org.core.factors import FACTORS

BILL_SHARE = 0.2  # share of bill complaints driven by the bill date
OUTAGE_COMPLAINT_P = 0.03  # R2.4: 4% of unhappy customers complain
DEFECT_COMPLAINT_P = 0.04
REPEAT_P = 0.35
INCIDENT_MIN_COMPLAINTS = 20  # so that small scales still show each incident
ESCALATE_P, APPEAL_P = 0.005, 0.002
CHANNELS = ("hotline", "hall", "web", "app", "sms", "manager")
CHANNEL_MIX = np.array([0.68, 0.12, 0.05, 0.06, 0.03, 0.06])
LEVELS = ("ordinary", "escalated", "appeal")
SEVERITIES = ("low", "medium", "high", "critical")
DEADLINE_H = {"coverage": 72.0, "voice_quality": 72.0, "mobile_internet": 72.0, "bills": 48.0,
              "new_services": 48.0}  # fmt: skip
DEFAULT_DEADLINE_H = 120.0
APPEAL_DEADLINE_H = 15 * 24.0
ORIGIN_OUTAGE, ORIGIN_DEFECT, ORIGIN_CHRONIC = 1, 2, 3
# The chronic problem a planted fix ends: complaints per branch customer per month.
CHRONIC_P, CHRONIC_MIN_PER_DAY = 0.0015, 2.0


@dataclass(slots=True)
class ComplaintCarry:
    """Repeat complaints due on later days: (customer, sub-category, time, id of the first)."""

    pending: dict[
        date, list[tuple[NDArray[np.int32], NDArray[np.int64], NDArray[np.float64], pa.Array]]
    ] = field(default_factory=lambda: defaultdict(list))


def generate_complaints(ctx: Context, day: date, carry: ComplaintCarry) -> pa.Table:
    rng = ctx.rng("complaints", day)
    pop = ctx.population
    month = ctx.month
    d = month.day_index(day)
    weekday = 0.5 + 0.5 * weekday_factors(month)[d]
    tiers = np.array([t.size for t in pop.by_tier], dtype=np.float64)
    expected = tiers * np.asarray(COMPLAINTS_PER_CUSTOMER) / month.ndays * weekday
    customer = pop.pick_by_tier(rng, rng.poisson(expected))
    category = rng.choice(len(text.CATEGORIES), customer.size, p=text.mix())
    sub = text.pick_subcategory(rng, category)
    parts = [(customer, sub, sample_seconds(rng, customer.size, COMPLAINT_PROFILE), 0)]
    bills = text.CATEGORIES.index("bills")
    monthly_bills = float((tiers * np.asarray(COMPLAINTS_PER_CUSTOMER)).sum()) * text.mix()[bills]
    for pool, cycle in zip(pop.by_cycle, pop.cycle_days, strict=True):
        share = pool.size / max(pop.eligible.size, 1)
        n = int(rng.poisson(monthly_bills * BILL_SHARE * share * bill_profile(month, cycle)[d]))
        c = pop.pick(rng, pool, n)
        parts.append(
            (
                c,
                text.pick_subcategory(rng, np.full(n, bills)),
                sample_seconds(rng, n, COMPLAINT_PROFILE),
                0,
            )
        )
    extra_labels: list[str] = []
    for incident in ctx.plan.on("network_outage", day, extend_s=12 * 3600):
        pool = affected_customers(
            pop.by_branch[ctx.branch_index(incident.branch or "")], incident.share, 1
        )
        low, high, share = incident.day_share(day, lambda _: COMPLAINT_PROFILE, 12 * 3600)
        n = int(rng.poisson(max(INCIDENT_MIN_COMPLAINTS, pool.size * OUTAGE_COMPLAINT_P) * share))
        cat = rng.choice(
            [text.CATEGORIES.index(x) for x in ("coverage", "mobile_internet", "voice_quality")],
            n,
            p=[0.45, 0.45, 0.1],
        )
        parts.append(
            (
                pop.pick(rng, pool, n),
                text.pick_subcategory(rng, cat),
                sample_window(rng, n, COMPLAINT_PROFILE, low, high),
                ORIGIN_OUTAGE,
            )
        )
    for incident in ctx.plan.on("product_defect", day):
        pool = affected_customers(pop.eligible, incident.share, 2)
        low, high, share = incident.day_share(day, lambda _: COMPLAINT_PROFILE)
        n = int(rng.poisson(max(INCIDENT_MIN_COMPLAINTS, pool.size * DEFECT_COMPLAINT_P) * share))
        label = incident.subcategory or "新业务故障"
        code = len(text.SUB_LABELS) + len(extra_labels)
        extra_labels.append(label)
        parts.append(
            (
                pop.pick(rng, pool, n),
                np.full(n, code),
                sample_window(rng, n, COMPLAINT_PROFILE, low, high),
                ORIGIN_DEFECT,
            )
        )
    for incident in ctx.plan.of_kind("fix_effect"):
        if day > incident.start.date():
            continue
        pool = pop.by_branch[ctx.branch_index(incident.branch or "")]
        # Until the fix, in the whole day or the part of the start day before it.
        before_s = (incident.start - datetime(day.year, day.month, day.day)).total_seconds()
        high = min(DAY_S, before_s)
        rate = max(CHRONIC_MIN_PER_DAY, pool.size * CHRONIC_P / month.ndays)
        share = float(window_weights(COMPLAINT_PROFILE, 0.0, high).sum())
        n = int(rng.poisson(rate * share))
        sub_code = text.sub_index(incident.subcategory or "")
        parts.append(
            (
                pop.pick(rng, pool, n),
                np.full(n, sub_code),
                sample_window(rng, n, COMPLAINT_PROFILE, 0.0, high),
                ORIGIN_CHRONIC,
            )
        )
    origin = np.concatenate([np.full(p[0].size, p[3]) for p in parts])
    customer = np.concatenate([p[0] for p in parts]).astype(np.int32)
    sub = np.concatenate([p[1] for p in parts]).astype(np.int64)
    time_s = np.concatenate([p[2] for p in parts])
    repeat_of = pa.nulls(customer.size, pa.string())
    pending = carry.pending.pop(day, [])
    if pending:
        customer = np.concatenate([customer, *[p[0] for p in pending]]).astype(np.int32)
        sub = np.concatenate([sub, *[p[1] for p in pending]])
        time_s = np.concatenate([time_s, *[p[2] for p in pending]])
        origin = np.concatenate([origin, np.zeros(sum(p[0].size for p in pending), np.int64)])
        repeat_of = pa.concat_arrays([repeat_of, *[p[3] for p in pending]])
    defect_category = {
        len(text.SUB_LABELS) + k: text.CATEGORIES.index(i.category[0])
        for k, i in enumerate(ctx.plan.on("product_defect", day))
    }
    category = np.where(
        sub < len(text.SUB_LABELS), text.SUB_CATEGORY[np.minimum(sub, len(text.SUB_LABELS) - 1)], 0
    )
    for code, defect_cat in defect_category.items():
        category[sub == code] = defect_cat
    return _lifecycle(
        ctx, day, rng, carry, customer, category, sub, time_s, origin, repeat_of, extra_labels
    )


def _lifecycle(
    ctx: Context,
    day: date,
    rng: np.random.Generator,
    carry: ComplaintCarry,
    customer: NDArray[np.int32],
    category: NDArray[np.int64],
    sub: NDArray[np.int64],
    time_s: NDArray[np.float64],
    origin: NDArray[np.int64],
    repeat_of: pa.Array,
    extra_labels: list[str],
) -> pa.Table:
    pop = ctx.population
    order = np.argsort(time_s, kind="stable")
    customer, category, sub, time_s, origin = (
        customer[order],
        category[order],
        sub[order],
        time_s[order],
        origin[order],
    )
    repeat_of = repeat_of.take(pa.array(order))
    n = int(customer.size)
    branch = pop.branch[customer].astype(np.int64)
    tier = pop.tier[customer].astype(np.int64)
    offsets = ctx.rng("branch-slowness").normal(0.0, 1.0, len(pop.branch_codes))
    late_p = np.clip(0.02 + 0.02 * offsets[branch], 0.0, 0.12)
    late = rng.random(n) < late_p
    reply_h = np.where(late, rng.uniform(48.5, 120.0, n), np.exp(rng.normal(np.log(5.0), 1.0, n)))
    reply_h = np.where(late, reply_h, np.minimum(reply_h, 47.5))
    resolved = rng.random(n) < np.where(origin == ORIGIN_OUTAGE, 0.97, 0.93)
    resolve_h = np.maximum(reply_h, np.exp(rng.normal(np.log(30.0), 0.9, n)))
    confirmed = resolved & (rng.random(n) < 0.88)
    close_h = resolve_h + np.exp(rng.normal(np.log(6.0), 0.8, n))
    trouble = 1.0 + 3.0 * ~resolved + 2.0 * late
    u = rng.random(n)
    level = np.where(
        u < APPEAL_P * trouble, 2, np.where(u < (APPEAL_P + ESCALATE_P) * trouble, 1, 0)
    )
    severity = rng.choice(4, n, p=[0.4, 0.45, 0.13, 0.02])
    severity = np.where((level > 0) | (origin == ORIGIN_OUTAGE), np.maximum(severity, 2), severity)
    code = [f.code for f in FACTORS]
    deadline_h = np.array([DEADLINE_H.get(c, DEFAULT_DEADLINE_H) for c in code])[category]
    deadline_h = np.where(level == 2, APPEAL_DEADLINE_H, deadline_h)
    satisfaction = np.clip(
        np.rint(4.2 - 0.8 * late - 0.015 * resolve_h / 24 * 10 + rng.normal(0, 0.8, n)), 1, 5
    )
    channel = rng.choice(len(CHANNELS), n, p=CHANNEL_MIX)
    channel = np.where(
        (channel == CHANNELS.index("manager")) & ~pop.has_manager[customer], 0, channel
    )
    billing_error = sub == text.sub_index(text.BILLING_ERROR)
    vas_dispute = sub == text.sub_index(text.VAS_DISPUTE)
    for k, label in enumerate(extra_labels):
        is_defect = sub == len(text.SUB_LABELS) + k
        (billing_error if "账单" in label else vas_dispute)[is_defect] = True
    overcharge = np.where(
        billing_error,
        np.round(np.exp(rng.normal(np.log(25), 1.0, n)), 2),
        np.where(vas_dispute, 5.0 * rng.integers(1, 5, n) * rng.integers(1, 4, n), np.nan),
    )
    u = rng.random(n)
    refund = np.where(
        billing_error,
        np.where(u < 0.93, 2 * overcharge, np.where(u < 0.98, overcharge, 0.0)),
        np.where(vas_dispute, np.where(u < 0.96, overcharge, 0.0), np.nan),
    )
    base = ctx.day_base_ms(day)
    created = col.seconds_to_ms(base, time_s)
    hour = 3_600_000
    ids = col.fixed_ids("CP", ctx.day_key(day) * 10_000_000 + np.arange(n), 15)
    departments = [f.department for f in FACTORS]
    branch_names = col.labels(branch, [b.name_zh for b in ctx.province.branches])
    table = pa.Table.from_arrays(
        [
            ids,
            col.customer_ids(customer),
            col.labels(branch, pop.branch_codes),
            col.labels(tier, pop.tier_codes),
            col.labels(channel, CHANNELS),
            col.labels(category, text.CATEGORIES),
            col.labels(sub, list(text.SUB_LABELS) + extra_labels),
            col.labels(level, LEVELS),
            col.labels(severity, SEVERITIES),
            col.labels(category, departments),
            col.timestamps(created),
            col.timestamps(created + (reply_h * hour).astype(np.int64)),
            col.timestamps(created + (deadline_h * hour).astype(np.int64)),
            col.timestamps(created + (resolve_h * hour).astype(np.int64), null=~resolved),
            col.timestamps(created + (close_h * hour).astype(np.int64), null=~confirmed),
            repeat_of,
            col.bools(resolved),
            col.bools(confirmed),
            col.ints(satisfaction, pa.int8(), null=~confirmed),
            col.floats(overcharge, null=np.isnan(overcharge)),
            col.floats(refund, null=np.isnan(refund)),
            text.descriptions(rng, branch_names, sub, extra_labels),
        ],
        schema=COMPLAINTS.schema,
    )
    _record(ctx, day, origin, table)
    _carry_repeats(ctx, day, rng, carry, customer, sub, resolved, confirmed, satisfaction, ids)
    return table


def _carry_repeats(
    ctx: Context,
    day: date,
    rng: np.random.Generator,
    carry: ComplaintCarry,
    customer: NDArray[np.int32],
    sub: NDArray[np.int64],
    resolved: NDArray[np.bool_],
    confirmed: NDArray[np.bool_],
    satisfaction: NDArray[np.float64],
    ids: pa.Array,
) -> None:
    n = customer.size
    unhappy = ~resolved | ~confirmed | (satisfaction <= 2)
    again = unhappy & (rng.random(n) < REPEAT_P) & (sub < len(text.SUB_LABELS))
    delay_days = rng.integers(1, 11, n)
    for k in range(1, 11):
        pick = again & (delay_days == k)
        target = day + timedelta(days=k)
        if pick.any() and ctx.month.contains(target):
            later = rng.uniform(8 * 3600, DAY_S - 3 * 3600, int(pick.sum()))
            carry.pending[target].append(
                (customer[pick], sub[pick], later, ids.filter(pa.array(pick)))
            )


def _record(ctx: Context, day: date, origin: NDArray[np.int64], table: pa.Table) -> None:
    for kind, value in (
        ("network_outage", ORIGIN_OUTAGE),
        ("product_defect", ORIGIN_DEFECT),
        ("fix_effect", ORIGIN_CHRONIC),
    ):
        active = ctx.plan.of_kind(kind) if value == ORIGIN_CHRONIC else ()
        for incident in active or ctx.plan.on(kind, day, extend_s=12 * 3600 if value == 1 else 0):
            mask = origin == value
            ids = table.column("complaint_id").filter(pa.array(mask)).to_pylist()
            what = "complaints_before_fix" if value == ORIGIN_CHRONIC else "complaints"
            ctx.ledger.add(incident, what, int(mask.sum()), ids)
