"""Satisfaction short-boards (满意度短板): factors that matter much and score low.

The driver analysis is sqm.voc's (`voc.core.analysis.drivers`: relative weights against the
0–100 performance); this detector only turns its "concentrate here" quadrant into signals,
with the month's complaints on the factor as the evidence to read.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pandas as pd

from sqm.tracing.core.signals import Place, Signal, SignalKind
from sqm.voc.core.analysis import drivers


def satisfaction_shortboards(
    study: pd.DataFrame,
    start: datetime,
    end: datetime,
    complaints_by_category: dict[str, int] | None = None,
) -> Iterator[Signal]:
    """``study``: the wide study table of `voc.core.study.read_study` for the month."""
    if study.empty:
        return
    result = drivers(study)
    factors = result.get("factors", [])
    if not factors:
        return
    mean_performance = sum(f["performance"] for f in factors) / len(factors)
    counts = complaints_by_category or {}
    for f in factors:
        if f["quadrant"] != "concentrate_here":
            continue
        yield Signal(
            kind=SignalKind.SATISFACTION_SHORTBOARD,
            place=Place(category=f["factor"]),
            start=start,
            end=end,
            observed=float(f["performance"]),
            expected=float(mean_performance),
            expected_low=float(min(x["performance"] for x in factors)),
            expected_high=float(max(x["performance"] for x in factors)),
            # importance × room to improve, on the 0–100 scale: ranks like voc's priority.
            score=float(f["priority"]) / 10.0,
            p_value=None,
            evidence_count=int(counts.get(f["factor"], 0)),
            evidence_source="complaints",
            detail={
                "importance": f["importance"],
                "performance": f["performance"],
                "rank": f["rank"],
                "respondents": result.get("respondents"),
            },
        )
