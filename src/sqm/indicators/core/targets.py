"""Which target applies to a figure, and whether the figure met it.

A target limited to tiers (VIP service level 85/15) applies only to figures cut by tier and
only on the rows of those tiers; a target for all tiers applies everywhere else.
"""

from __future__ import annotations

import pyarrow as pa

from sqm.indicators.core.spec import Indicator, Target

MET = "met"
MISSED = "missed"


def target_for(indicator: Indicator, tier: str | None, cut_by_tier: bool) -> Target | None:
    if cut_by_tier and tier is not None:
        for target in indicator.targets:
            if tier in target.tiers:
                return target
    for target in indicator.targets:
        if not target.tiers:
            return target
    return None


def status_of(value: float | None, target: Target | None) -> str | None:
    """'met' or 'missed'; None when there is no target or no value to judge."""
    if target is None or value is None:
        return None
    met = value >= target.value if target.bound == "at_least" else value <= target.value
    return MET if met else MISSED


def attach_targets(
    indicator: Indicator, values: pa.Array, tiers: pa.Array | None
) -> tuple[pa.Array, pa.Array]:
    """Per row: the target value and the status, as Arrow arrays."""
    count = len(values)
    if not indicator.targets:
        return pa.nulls(count, pa.float64()), pa.nulls(count, pa.string())
    tier_values: list[str | None] = tiers.to_pylist() if tiers is not None else [None] * count
    targets = [target_for(indicator, tier, tiers is not None) for tier in tier_values]
    statuses = [status_of(v, t) for v, t in zip(values.to_pylist(), targets, strict=True)]
    return (
        pa.array([t.value if t else None for t in targets], pa.float64()),
        pa.array(statuses, pa.string()),
    )
