"""Service reminders due on one day: bill, pre-suspension, data usage, balance, VAS charge.

Bill reminders go to every customer of a billing cycle on its bill date, through an SMS gateway
with a fixed daily capacity and quiet hours (21:00–08:00): with the whole province on one
cycle the backlog makes many bill reminders late, with staggered cycles they are on time (R6).
Pre-suspension reminders must precede the suspension ("先提醒,后停机", R12); a few do not.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sqm.demo.core import columns as col
from sqm.demo.core.context import Context
from sqm.demo.core.month import (
    REMINDER_PROFILE,
    bill_profile,
    month_end_profile,
    sample_seconds,
)
from sqm.demo.core.scales import REMINDERS_PER_CUSTOMER
from sqm.events.core.schemas import REMINDERS

KINDS = ("bill", "pre_suspension", "data_usage", "balance", "vas_charge")
GATEWAY_DAILY_CAPACITY = 0.9  # bill reminders the gateway sends per day, per customer
SEND_START_S, SEND_END_S = 8 * 3600.0, 21 * 3600.0
DELIVERED_P = {"bill": 0.975, "pre_suspension": 0.985, "data_usage": 0.99, "balance": 0.985,
               "vas_charge": 0.985}  # fmt: skip
NOT_SENT_P = {"bill": 0.001, "pre_suspension": 0.012, "data_usage": 0.004, "balance": 0.003,
              "vas_charge": 0.006}  # fmt: skip
ACCURATE_P = 0.997


def _day_weights(ctx: Context, kind: str) -> NDArray[np.float64]:
    """How the month's reminders of ``kind`` spread over its days (sums to 1)."""
    month = ctx.month
    n = month.ndays
    if kind == "data_usage":  # usage crosses thresholds later in the month
        w = np.linspace(0.4, 1.6, n)
    elif kind == "balance":
        w = 1.0 + month_end_profile(month)
    elif kind == "pre_suspension":  # a fortnight after the bill date, when payment is due
        w = np.full(n, 0.4 / n)
        pop = ctx.population
        for pool, cycle in zip(pop.by_cycle, pop.cycle_days, strict=True):
            share = pool.size / max(pop.eligible.size, 1)
            w += 0.6 * share * np.roll(bill_profile(month, cycle), 14)
    else:
        w = np.ones(n)
    return np.asarray(w / w.sum(), dtype=np.float64)


def generate_reminders(ctx: Context, day: date) -> Iterator[pa.Table]:
    pop = ctx.population
    d = ctx.month.day_index(day)
    seq = 0
    chunk = ctx.scale.chunk_rows
    bill_pools = [
        pool for pool, cycle in zip(pop.by_cycle, pop.cycle_days, strict=True) if cycle == day.day
    ]
    for pool in bill_pools:
        capacity = GATEWAY_DAILY_CAPACITY * pop.eligible.size
        for part, start in enumerate(range(0, pool.size, chunk)):
            rng = ctx.rng("reminders-bill", day, part)
            customers = pool[start : start + chunk]
            due = np.sort(sample_seconds(rng, customers.size, REMINDER_PROFILE))
            # Gateway queue: the k-th message of the day leaves no earlier than k / rate.
            rate = capacity / (SEND_END_S - SEND_START_S)
            k = np.arange(start, start + customers.size, dtype=np.float64)
            slot_day, within = np.divmod(k / rate, SEND_END_S - SEND_START_S)
            earliest = slot_day * 86_400.0 + SEND_START_S + within
            sent = np.maximum(due + np.exp(rng.normal(np.log(30), 0.8, customers.size)), earliest)
            yield _table(ctx, day, rng, "bill", customers, due, sent, seq)
            seq += customers.size
    for kind, per_customer in REMINDERS_PER_CUSTOMER.items():
        rng = ctx.rng(f"reminders-{kind}", day)
        expected = pop.eligible.size * per_customer * _day_weights(ctx, kind)[d]
        total = int(rng.poisson(expected))
        for part, start in enumerate(range(0, total, chunk)):
            rng = ctx.rng(f"reminders-{kind}", day, part + 1)
            m = min(chunk, total - start)
            customers = pop.pick(rng, pop.eligible, m)
            due = sample_seconds(rng, m, REMINDER_PROFILE)
            sent = due + np.exp(rng.normal(np.log(20), 0.9, m))
            yield _table(ctx, day, rng, kind, customers, due, sent, seq)
            seq += m


def _table(
    ctx: Context,
    day: date,
    rng: np.random.Generator,
    kind: str,
    customers: NDArray[np.int32],
    due: NDArray[np.float64],
    sent: NDArray[np.float64],
    seq: int,
) -> pa.Table:
    pop = ctx.population
    n = int(customers.size)
    not_sent = rng.random(n) < NOT_SENT_P[kind]
    delivered = ~not_sent & (rng.random(n) < DELIVERED_P[kind])
    delivery_s = np.exp(rng.normal(np.log(4), 1.5, n))
    suspended_at = np.full(n, np.nan)
    if kind == "pre_suspension":
        # 55% do not pay in time and are suspended 1–3 days later; a few reminders go out
        # only after the suspension (late) — both measurable against the promise.
        suspended = rng.random(n) < 0.55
        suspended_at = np.where(suspended, due + rng.uniform(86_400, 3 * 86_400, n), np.nan)
        late = suspended & ~not_sent & (rng.random(n) < 0.006)
        sent = np.where(late, suspended_at + rng.uniform(600, 7200, n), sent)
    base = ctx.day_base_ms(day)
    ids = col.fixed_ids("RM", ctx.day_key(day) * 1_000_000_000 + seq + np.arange(n), 19)
    return pa.Table.from_arrays(
        [
            ids,
            col.customer_ids(customers),
            col.labels(pop.branch[customers], pop.branch_codes),
            col.constant(kind, n),
            col.timestamps(col.seconds_to_ms(base, due)),
            col.timestamps(col.seconds_to_ms(base, sent), null=not_sent),
            col.timestamps(col.seconds_to_ms(base, sent + delivery_s), null=~delivered),
            col.bools(rng.random(n) < ACCURATE_P, null=not_sent),
            col.timestamps(col.seconds_to_ms(base, suspended_at), null=np.isnan(suspended_at)),
        ],
        schema=REMINDERS.schema,
    )
