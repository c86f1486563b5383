"""The customer base: who the customers are (stable for a seed) and their state this month.

Attributes that do not change month to month (branch, tier, segment, join date, phone) come
from the seed alone, so consecutive months describe the same people; status, churn and the
customer manager's contact are drawn per month. Everything is held as small NumPy codes
(~10 bytes a customer, ~0.5 GB at province scale) plus index arrays used to pick customers for
events; Arrow tables are built chunk by chunk when the snapshot is written.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sqm.demo.core import columns as col
from sqm.demo.core.month import Month, cycle_days, day_ms
from sqm.demo.core.scales import rng_for
from sqm.events.core.schemas import CUSTOMERS
from sqm.org.core.province import Province

SEGMENTS = ("individual", "family", "youth", "senior", "business", "group")
STATUSES = ("active", "suspended", "closed")
# Segment mix by tier (diamond, gold, silver, group, ordinary).
_SEGMENT_MIX = np.array(
    [
        [0.55, 0.05, 0.0, 0.0, 0.40, 0.0],
        [0.60, 0.10, 0.02, 0.03, 0.25, 0.0],
        [0.60, 0.15, 0.05, 0.08, 0.12, 0.0],
        [0.0, 0.0, 0.0, 0.0, 0.15, 0.85],
        [0.50, 0.20, 0.15, 0.15, 0.0, 0.0],
    ]
)
# Richer cities have more VIPs (multiplier on the VIP tiers' shares).
_VIP_MULTIPLIER = {"NJ": 1.3, "SZ": 1.35, "WX": 1.3, "CZ": 1.1, "ZJ": 1.0, "NT": 1.0,
                   "YZ": 0.95, "TZ": 0.9, "XZ": 0.8, "YC": 0.8, "HA": 0.75, "LYG": 0.75,
                   "SQ": 0.7}  # fmt: skip
_HAS_MANAGER = np.array([1.0, 1.0, 0.97, 0.6, 0.0])
_CONTACT_TIER = np.array([0.08, 0.03, -0.03, -0.02, 0.0])
_CHURN_QUARTER = np.array([0.06, 0.07, 0.085, 0.05, 0.11])
_SUSPENDED = np.array([0.004, 0.005, 0.008, 0.01, 0.035])
_MEAN_TENURE_DAYS = np.array([3200.0, 2900.0, 2400.0, 2000.0, 1400.0])
_CHUNK = 1 << 20


@dataclass(slots=True)
class Population:
    """Customers of one month, as codes indexed by customer number (0..n−1)."""

    month: Month
    branch: NDArray[np.int8]
    tier: NDArray[np.int8]
    segment: NDArray[np.int8]
    cycle: NDArray[np.int8]  # index into ``cycle_days``
    joined_day: NDArray[np.int32]  # days before the end of the month (negative: joined later)
    has_manager: NDArray[np.bool_]
    contacted: NDArray[np.int8]  # -1 no manager, 0/1 contacted this month
    churned: NDArray[np.bool_]
    status: NDArray[np.int8]
    cycle_days: tuple[int, ...]
    branch_codes: tuple[str, ...]
    tier_codes: tuple[str, ...]
    by_tier: list[NDArray[np.int32]] = field(default_factory=list)
    by_branch: list[NDArray[np.int32]] = field(default_factory=list)
    by_cycle: list[NDArray[np.int32]] = field(default_factory=list)
    eligible: NDArray[np.int32] = field(default_factory=lambda: np.empty(0, np.int32))

    @property
    def size(self) -> int:
        return int(self.branch.size)

    def index(self) -> None:
        """Index arrays of customers still in service (not closed), by tier, branch, cycle."""
        live = self.status != STATUSES.index("closed")
        self.eligible = np.flatnonzero(live).astype(np.int32)
        for codes, count, target in (
            (self.tier, len(self.tier_codes), self.by_tier),
            (self.branch, len(self.branch_codes), self.by_branch),
            (self.cycle, len(self.cycle_days), self.by_cycle),
        ):
            target.clear()
            live_codes = codes[self.eligible]
            order = np.argsort(live_codes, kind="stable")
            bounds = np.searchsorted(live_codes[order], np.arange(count + 1))
            for k in range(count):
                target.append(self.eligible[order[bounds[k] : bounds[k + 1]]])

    def pick(self, rng: np.random.Generator, pool: NDArray[np.int32], n: int) -> NDArray[np.int32]:
        if pool.size == 0 or n == 0:
            return np.empty(0, np.int32)
        return pool[rng.integers(0, pool.size, n)]

    def pick_by_tier(
        self, rng: np.random.Generator, counts: NDArray[np.int64]
    ) -> NDArray[np.int32]:
        parts = [self.pick(rng, self.by_tier[t], int(c)) for t, c in enumerate(counts)]
        return np.concatenate(parts) if parts else np.empty(0, np.int32)


def build_population(
    province: Province, customers: int, month: Month, seed: int, billing_cycles: int = 1
) -> Population:
    branches = province.branches
    tiers = sorted(province.tiers, key=lambda t: t.rank)
    share = np.array([t.customer_share for t in tiers])
    vip = np.array([t.is_vip for t in tiers])
    weights = np.array([b.customer_weight for b in branches])
    tier_tables = []
    for b in branches:
        p = share * np.where(vip, _VIP_MULTIPLIER.get(b.code, 1.0), 1.0)
        ordinary = len(tiers) - 1
        p[ordinary] = 0.0
        p[ordinary] = max(0.0, 1.0 - p.sum())
        tier_tables.append(np.cumsum(p / p.sum()))
    n = customers
    branch = np.empty(n, np.int8)
    tier = np.empty(n, np.int8)
    segment = np.empty(n, np.int8)
    joined = np.empty(n, np.int32)
    has_manager = np.empty(n, bool)
    segment_cum = np.cumsum(_SEGMENT_MIX, axis=1)
    for start in range(0, n, _CHUNK):
        stop = min(n, start + _CHUNK)
        rng = rng_for(seed, "population", start // _CHUNK)
        m = stop - start
        home = np.minimum(np.searchsorted(np.cumsum(weights), rng.random(m)), len(branches) - 1)
        u = rng.random(m)
        t = np.empty(m, np.int8)
        for k in range(len(branches)):
            mask = home == k
            t[mask] = np.minimum(np.searchsorted(tier_tables[k], u[mask]), len(tiers) - 1)
        branch[start:stop] = home
        tier[start:stop] = t
        us = rng.random(m)
        segment[start:stop] = (us[:, None] > segment_cum[t]).sum(axis=1)
        tenure = rng.gamma(1.6, _MEAN_TENURE_DAYS[t] / 1.6)
        joined[start:stop] = np.minimum(tenure, 6000).astype(np.int32)
        has_manager[start:stop] = rng.random(m) < _HAS_MANAGER[t]
    # ~1.5% joined during this month (negative offsets up to the month's length).
    rng = rng_for(seed, "population-month", month.number)
    newcomers = rng.random(n) < 0.015
    joined[newcomers] = rng.integers(0, month.ndays - 1, int(newcomers.sum()))

    days = cycle_days(billing_cycles)
    cycle = np.zeros(n, np.int8)
    if len(days) > 1:
        # Individuals are assigned evenly; group customers choose, favouring early cycles.
        cycle = (np.arange(n) * 7919 % len(days)).astype(np.int8)
        group = tier == [t.code for t in tiers].index("group")
        preference = np.linspace(2.0, 1.0, len(days))
        cycle[group] = rng.choice(len(days), int(group.sum()), p=preference / preference.sum())

    branch_offset = rng_for(seed, "branch-quality").normal(0.0, 0.05, len(branches))
    contact_p = np.clip(0.80 + branch_offset[branch] + _CONTACT_TIER[tier], 0.55, 0.97)
    contacted = np.where(has_manager, (rng.random(n) < contact_p).astype(np.int8), -1)
    churn_p = _CHURN_QUARTER[tier] * np.clip(1.0 - 2.0 * branch_offset[branch], 0.6, 1.4)
    churned = rng.random(n) < churn_p
    status = np.where(rng.random(n) < _SUSPENDED[tier], 1, 0).astype(np.int8)
    status[churned] = 2
    population = Population(
        month=month,
        branch=branch,
        tier=tier,
        segment=segment.astype(np.int8),
        cycle=cycle,
        joined_day=joined,
        has_manager=has_manager,
        contacted=contacted.astype(np.int8),
        churned=churned,
        status=status,
        cycle_days=days,
        branch_codes=tuple(b.code for b in branches),
        tier_codes=tuple(t.code for t in tiers),
    )
    population.index()
    return population


def snapshot_tables(population: Population, chunk_rows: int) -> Iterator[pa.Table]:
    """The month's customer snapshot (taken at the end of the last day), chunk by chunk."""
    month = population.month
    snapshot_ms = day_ms(month.last) + 86_399_000
    cycle_day = np.asarray(population.cycle_days, dtype=np.int8)
    n = population.size
    for start in range(0, max(n, 1), chunk_rows):
        stop = min(n, start + chunk_rows)
        index = np.arange(start, stop, dtype=np.int64)
        m = stop - start
        # Join time: a stable time of day per customer, days before the snapshot.
        second = (index * 2654435761 % 86_400).astype(np.int64)
        joined_day = population.joined_day[start:stop].astype(np.int64)
        joined_ms = snapshot_ms - 86_399_000 - joined_day * 86_400_000 + second * 1000
        joined_ms = np.minimum(joined_ms, snapshot_ms)
        contacted = population.contacted[start:stop]
        yield pa.Table.from_arrays(
            [
                col.customer_ids(index),
                col.timestamps(np.full(m, snapshot_ms)),
                col.labels(population.branch[start:stop], population.branch_codes),
                col.labels(population.tier[start:stop], population.tier_codes),
                col.labels(population.segment[start:stop], SEGMENTS),
                col.ints(cycle_day[population.cycle[start:stop]], pa.int8()),
                col.labels(population.status[start:stop], STATUSES),
                col.timestamps(joined_ms),
                col.phone_numbers(index),
                col.bools(population.has_manager[start:stop]),
                col.bools(contacted == 1, null=contacted < 0),
                col.bools(population.churned[start:stop]),
            ],
            schema=CUSTOMERS.schema,
        )
