"""Payments and top-ups of one day, by channel.

Volume rises after each bill date (post-paid customers pay) and in the last days of the month
(pre-paid top-ups); success rates differ by channel and dip on the peak days. Customers who
were suspended are reconnected after a successful payment, mostly within 30 minutes (充值复机
及时率), a little slower in some branches.
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
    BILL_BUMP,
    RECHARGE_PROFILE,
    bill_profile,
    month_end_profile,
    sample_seconds,
    weekday_factors,
)
from sqm.demo.core.scales import RECHARGES_PER_CUSTOMER
from sqm.events.core.schemas import RECHARGES

CHANNELS = ("app", "web", "hall", "hotline", "sms", "manager", "infoline")
CHANNEL_MIX = np.array([0.38, 0.12, 0.20, 0.10, 0.12, 0.03, 0.05])
SUCCESS = np.array([0.988, 0.982, 0.997, 0.965, 0.970, 0.995, 0.975])
AMOUNTS = np.array([20.0, 30.0, 50.0, 100.0, 200.0, 300.0, 500.0])
AMOUNT_MIX = np.array([[0.0, 0.0, 0.1, 0.3, 0.3, 0.2, 0.1],  # VIP
                       [0.1, 0.2, 0.35, 0.25, 0.07, 0.02, 0.01]])  # fmt: skip
STATUS_SUSPENDED = 1


def day_weights(ctx: Context) -> NDArray[np.float64]:
    month = ctx.month
    pop = ctx.population
    w = weekday_factors(month) * (1.0 + 1.5 * month_end_profile(month))
    for pool, cycle in zip(pop.by_cycle, pop.cycle_days, strict=True):
        share = pool.size / max(pop.eligible.size, 1)
        w = w + 0.5 * len(BILL_BUMP) * share * bill_profile(month, cycle)
    return np.asarray(w / w.sum(), dtype=np.float64)


def generate_recharges(ctx: Context, day: date) -> Iterator[pa.Table]:
    pop = ctx.population
    weights = day_weights(ctx)
    d = ctx.month.day_index(day)
    peak = weights[d] / weights.mean()
    rng = ctx.rng("recharges", day)
    total = int(rng.poisson(pop.eligible.size * RECHARGES_PER_CUSTOMER * weights[d]))
    slowness = np.clip(
        ctx.rng("branch-reconnect").normal(1.0, 0.35, len(pop.branch_codes)), 0.5, 2.2
    )
    chunk = ctx.scale.chunk_rows
    for part, start in enumerate(range(0, max(total, 1), chunk)):
        rng = ctx.rng("recharges", day, part + 1)
        n = min(chunk, total - start)
        customer = pop.pick(rng, pop.eligible, n)
        channel = rng.choice(len(CHANNELS), n, p=CHANNEL_MIX)
        vip = pop.tier[customer] <= 2
        channel = np.where(
            (channel == CHANNELS.index("manager")) & ~pop.has_manager[customer],
            CHANNELS.index("app"),
            channel,
        )
        success_p = SUCCESS[channel] - 0.012 * max(0.0, peak - 1.2)
        success = rng.random(n) < success_p
        cum = np.cumsum(AMOUNT_MIX, axis=1)
        amount = AMOUNTS[
            np.minimum((rng.random(n)[:, None] > cum[np.where(vip, 0, 1)]).sum(1), len(AMOUNTS) - 1)
        ]
        was_suspended = (pop.status[customer] == STATUS_SUSPENDED) | (rng.random(n) < 0.02)
        branch = pop.branch[customer]
        delay = 240.0 * slowness[branch] * np.exp(rng.normal(0.0, 1.2, n))
        reconnected = was_suspended & success
        time_s = sample_seconds(rng, n, RECHARGE_PROFILE)
        base = ctx.day_base_ms(day)
        ids = col.fixed_ids("RC", ctx.day_key(day) * 1_000_000_000 + start + np.arange(n), 19)
        yield pa.Table.from_arrays(
            [
                ids,
                col.customer_ids(customer),
                col.labels(branch, pop.branch_codes),
                col.labels(channel, CHANNELS),
                col.timestamps(col.seconds_to_ms(base, time_s)),
                col.floats(amount),
                col.bools(success),
                col.bools(was_suspended),
                col.timestamps(col.seconds_to_ms(base, time_s + delay), null=~reconnected),
            ],
            schema=RECHARGES.schema,
        )
