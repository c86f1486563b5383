"""Competitor figures and the lead / par / lag verdict (R3.4).

A competitor value exists for an indicator when the same measurement can be taken on answers
about a competitor: every indicator that reads only answers about us (the ``ours`` filter) has a
*twin* per competitor, identical but for that filter. The twins run in the same scan as ours,
so the two figures always share one definition.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from sqm.indicators.core.semantic_sources import COMPETITOR_OPERATORS
from sqm.indicators.core.spec import (
    Catalog,
    DifferenceIndicator,
    Indicator,
    MeanIndicator,
    PercentileIndicator,
    Values,
)

OURS = "ours"
US = "us"
COMPETITORS: tuple[str, ...] = tuple(code for code, _, _ in COMPETITOR_OPERATORS)
TWIN_SEPARATOR = "@"

# Within this distance of the leader we call it par: about 1% of each scale's range, below
# which a difference is within the noise of a provincial survey month.
PAR_BANDS: dict[str, float] = {
    "score_5": 0.05,
    "score_10": 0.1,
    "score_100": 1.0,
    "percent": 1.0,
}

Verdict = Literal["lead", "par", "lag"]


def twin_id(indicator_id: str, operator: str) -> str:
    return f"{indicator_id}{TWIN_SEPARATOR}{operator}"


def split_twin_id(result_id: str) -> tuple[str, str]:
    """``'satisfaction_hotline@competitor_a'`` → (``'satisfaction_hotline'``, ``'competitor_a'``);
    an ordinary id is ours."""
    indicator, separator, operator = result_id.partition(TWIN_SEPARATOR)
    return (indicator, operator) if separator else (indicator, US)


def has_competitor_twin(indicator: Indicator) -> bool:
    if isinstance(indicator, DifferenceIndicator):
        return False  # already a comparison with the competitors
    if not isinstance(indicator, MeanIndicator | PercentileIndicator):
        return False
    return OURS in indicator.values.filters


def competitor_twins(catalog: Catalog) -> Catalog:
    """The catalog plus one twin per competitor of each indicator measured on answers about us.

    Twins are built from validated indicators by swapping one filter for another the semantic
    model declares, so they need no re-validation (their ids carry ``@``, outside snake_case on
    purpose: they can never collide with a catalog id).
    """
    twins: list[Indicator] = []
    for indicator in catalog.indicators:
        if not has_competitor_twin(indicator):
            continue
        assert isinstance(indicator, MeanIndicator | PercentileIndicator)
        for operator in COMPETITORS:
            filters = tuple(operator if f == OURS else f for f in indicator.values.filters)
            values = Values.model_construct(column=indicator.values.column, filters=filters)
            twins.append(
                indicator.model_copy(
                    update={"id": twin_id(indicator.id, operator), "values": values, "targets": ()}
                )
            )
    return Catalog.model_construct(indicators=(*catalog.indicators, *twins))


@dataclass(frozen=True, slots=True)
class Comparison:
    indicator: str
    ours: float
    leader: str  # the best competitor's operator code
    leader_value: float
    gap: float  # ours − leader, signed so that positive is better for us
    verdict: Verdict


def compare(
    indicator: Indicator, ours: float | None, competitors: Mapping[str, float | None]
) -> Comparison | None:
    """Our value against the best competitor's; None when either side has no value or the
    indicator has no better direction."""
    known = {k: v for k, v in competitors.items() if v is not None}
    if ours is None or not known or indicator.direction == "neutral":
        return None
    sign = 1.0 if indicator.direction == "higher" else -1.0
    leader = max(sorted(known), key=lambda k: sign * known[k])
    gap = sign * (ours - known[leader])
    band = PAR_BANDS.get(indicator.unit, 0.0)
    verdict: Verdict = "par" if abs(gap) <= band else ("lead" if gap > 0 else "lag")
    return Comparison(indicator.id, ours, leader, known[leader], gap, verdict)


def compare_all(catalog: Catalog, values: Iterable[tuple[str, float | None]]) -> list[Comparison]:
    """From (result id, value) pairs of one cut — ours and the twins' — every comparison."""
    ours: dict[str, float | None] = {}
    theirs: dict[str, dict[str, float | None]] = {}
    for result_id, value in values:
        indicator_id, operator = split_twin_id(result_id)
        if operator == US:
            ours[indicator_id] = value
        else:
            theirs.setdefault(indicator_id, {})[operator] = value
    found = []
    for indicator in catalog.indicators:
        if indicator.id in theirs:
            comparison = compare(indicator, ours.get(indicator.id), theirs[indicator.id])
            if comparison is not None:
                found.append(comparison)
    return found
