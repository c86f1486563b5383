"""E-channel requests (web, app, SMS hall) and availability probes every 5 minutes.

Latency is lognormal by channel and operation; a planted app outage fails both the probes and
the customers' requests in its window, so availability, success rate and response time (R3.2)
all show it.
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
    APP_PROFILE,
    BILL_BUMP,
    SMS_PROFILE,
    WEB_PROFILE,
    bill_profile,
    month_end_profile,
    sample_seconds,
    weekday_factors,
)
from sqm.demo.core.scales import ECHANNEL_PER_CUSTOMER
from sqm.events.core.schemas import ECHANNEL

CHANNELS = ("app", "web", "sms")
CHANNEL_MIX = np.array([0.65, 0.25, 0.10])
PROFILES = (APP_PROFILE, WEB_PROFILE, SMS_PROFILE)
OPERATIONS = ("query_balance", "query_bill", "query_usage", "recharge", "change_plan",
              "subscribe", "unsubscribe", "login", "probe")  # fmt: skip
OPERATION_MIX = np.array([0.25, 0.2, 0.2, 0.1, 0.05, 0.05, 0.05, 0.1])
OPERATION_SLOWNESS = np.array([1.0, 1.3, 1.1, 1.6, 2.2, 1.8, 1.5, 0.8, 1.0])
LATENCY_MEDIAN_MS = np.array([350.0, 650.0, 2500.0])
PROBE_MEDIAN_MS = np.array([200.0, 400.0, 1500.0])
SUCCESS = np.array([0.992, 0.985, 0.97])
TIMEOUT_MS = 30_000
PROBE_EVERY_S = 300


def generate_echannel(ctx: Context, day: date) -> Iterator[pa.Table]:
    pop = ctx.population
    month = ctx.month
    d = month.day_index(day)
    w = weekday_factors(month) * (1.0 + 0.5 * month_end_profile(month))
    for pool, cycle in zip(pop.by_cycle, pop.cycle_days, strict=True):
        share = pool.size / max(pop.eligible.size, 1)
        w = w + 0.3 * len(BILL_BUMP) * share * bill_profile(month, cycle)
    rng = ctx.rng("echannel", day)
    total = int(rng.poisson(pop.eligible.size * ECHANNEL_PER_CUSTOMER * w[d] / w.sum()))
    outages = ctx.plan.on("echannel_outage", day)
    chunk = ctx.scale.chunk_rows
    base = ctx.day_base_ms(day)
    for part, start in enumerate(range(0, total, chunk)):
        rng = ctx.rng("echannel", day, part + 1)
        n = min(chunk, total - start)
        channel = rng.choice(3, n, p=CHANNEL_MIX)
        time_s = np.empty(n)
        for c in range(3):
            mask = channel == c
            time_s[mask] = sample_seconds(rng, int(mask.sum()), PROFILES[c])
        operation = rng.choice(len(OPERATION_MIX), n, p=OPERATION_MIX)
        customer = pop.pick(rng, pop.eligible, n)
        latency = LATENCY_MEDIAN_MS[channel] * OPERATION_SLOWNESS[operation]
        latency = latency * np.exp(rng.normal(0.0, 0.6, n))
        success = rng.random(n) < SUCCESS[channel]
        down = _down(ctx, day, channel, time_s)
        success &= ~(down & (rng.random(n) < 0.92))
        timeout = ~success & (rng.random(n) < np.where(down, 0.7, 0.3))
        latency = np.where(timeout, TIMEOUT_MS, latency)
        ids = col.fixed_ids("EC", ctx.day_key(day) * 1_000_000_000 + start + np.arange(n), 19)
        for incident in outages:
            ctx.ledger.add(incident, "requests_failed_in_window", int((down & ~success).sum()))
        yield _table(
            ids,
            channel,
            operation,
            base,
            time_s,
            pop.branch_codes,
            pop.branch[customer],
            col.customer_ids(customer),
            success,
            latency,
        )
    # Probes: every 5 minutes per channel.
    rng = ctx.rng("echannel-probes", day)
    slots = np.arange(0, 86_400, PROBE_EVERY_S, dtype=np.float64)
    channel = np.repeat(np.arange(3), slots.size)
    time_s = np.tile(slots, 3) + rng.uniform(0, 5, channel.size)
    latency = PROBE_MEDIAN_MS[channel] * np.exp(rng.normal(0.0, 0.4, channel.size))
    success = rng.random(channel.size) > 0.002
    down = _down(ctx, day, channel, time_s)
    success &= ~down
    latency = np.where(down, TIMEOUT_MS, latency)
    for incident in outages:
        ctx.ledger.add(incident, "probes_failed", int(down.sum()))
    ids = col.fixed_ids("EP", ctx.day_key(day) * 100_000 + np.arange(channel.size), 13)
    n = int(channel.size)
    yield _table(
        ids,
        channel,
        np.full(n, OPERATIONS.index("probe")),
        base,
        time_s,
        pop.branch_codes,
        None,
        pa.nulls(n, pa.string()),
        success,
        latency,
    )


def _down(
    ctx: Context, day: date, channel: NDArray[np.int64], time_s: NDArray[np.float64]
) -> NDArray[np.bool_]:
    """Requests and probes that hit a planted channel outage."""
    down = np.zeros(channel.size, bool)
    for incident in ctx.plan.on("echannel_outage", day):
        low, high = incident.window_s(day)
        hit = channel == CHANNELS.index(incident.channel or "app")
        down |= hit & (time_s >= low) & (time_s < high)
    return down


def _table(
    ids: pa.Array,
    channel: NDArray[np.int64],
    operation: NDArray[np.int64],
    base: int,
    time_s: NDArray[np.float64],
    branch_codes: tuple[str, ...],
    branch: NDArray[np.int8] | None,
    customer: pa.Array,
    success: NDArray[np.bool_],
    latency: NDArray[np.float64],
) -> pa.Table:
    n = int(channel.size)
    return pa.Table.from_arrays(
        [
            ids,
            col.labels(channel, CHANNELS),
            col.labels(operation, OPERATIONS),
            col.timestamps(col.seconds_to_ms(base, time_s)),
            pa.nulls(n, pa.string()) if branch is None else col.labels(branch, branch_codes),
            customer,
            col.bools(success),
            col.ints(np.clip(np.rint(latency), 1, 600_000).astype(np.int64), pa.int32()),
        ],
        schema=ECHANNEL.schema,
    )
