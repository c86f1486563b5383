"""The gap model (SERVQUAL, Parasuraman, Zeithaml & Berry 1985/1988) and the competitor view.

Gap 5, the customer gap, is perception minus expectation per factor, straight from the study.
The four provider gaps behind it (knowledge, standards, delivery, communication) cannot be
surveyed; SQM tracks each through the catalog indicators that evidence it
(models/provider_gaps.yaml). The competitor view sets our 0-100 index beside each rival's per
factor, names the leader and follows the gap against a target such as the Unicom conference
2010's "within 1.8 points of the leader".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from sqm.voc.core.drivers import Matrix, to_percent
from sqm.voc.core.model import MODELS_DIR

OURS = "us"
# Unicom conference 2010: close the satisfaction gap to the leader to 1.8 points
TARGET_GAP_POINTS = 1.8


@dataclass(frozen=True)
class FactorGap:
    factor: str
    expectation: float  # mean on the answer scale
    perception: float
    gap: float  # perception - expectation; negative = expectations not met
    performance: float  # perception on 0-100
    answers: int


def factor_gaps(
    factors: Sequence[str],
    expectation: Matrix,
    perception: Matrix,
    scale: tuple[float, float] = (1.0, 10.0),
) -> list[FactorGap]:
    """SERVQUAL gap 5 per factor, over the respondents who answered both questions."""
    result = []
    for k, factor in enumerate(factors):
        both = ~np.isnan(expectation[:, k]) & ~np.isnan(perception[:, k])
        if not both.any():
            continue
        e = float(expectation[both, k].mean())
        p = float(perception[both, k].mean())
        result.append(FactorGap(factor, e, p, p - e, to_percent(p, *scale), int(both.sum())))
    return sorted(result, key=lambda g: g.gap)


@dataclass(frozen=True)
class CompetitorRow:
    factor: str
    scores: dict[str, float]  # operator -> 0-100
    leader: str
    gap_to_leader: float  # our score - the leader's; 0 when we lead, negative when behind


def competitor_view(
    scores: Mapping[str, Mapping[str, float]], ours: str = OURS
) -> list[CompetitorRow]:
    """`scores[factor][operator]` on 0-100 -> one row per factor with its leader and our gap."""
    rows = []
    for factor, by_operator in scores.items():
        if ours not in by_operator or not by_operator:
            continue
        leader = max(by_operator, key=lambda o: by_operator[o])
        rows.append(
            CompetitorRow(
                factor,
                dict(by_operator),
                leader,
                by_operator[ours] - by_operator[leader],
            )
        )
    return sorted(rows, key=lambda r: r.gap_to_leader)


@dataclass(frozen=True)
class TrendPoint:
    period: str
    ours: float
    leader: str
    leader_score: float
    gap: float  # ours - best rival (negative = behind)
    met: bool  # behind by no more than the target, or ahead


def gap_trend(
    index_by_period: Mapping[str, Mapping[str, float]],
    target_gap: float = TARGET_GAP_POINTS,
    ours: str = OURS,
) -> list[TrendPoint]:
    """Our index against the best rival's, period by period, judged against the target gap."""
    points = []
    for period in sorted(index_by_period):
        scores = index_by_period[period]
        rivals = {o: v for o, v in scores.items() if o != ours}
        if ours not in scores or not rivals:
            continue
        best = max(rivals, key=lambda o: rivals[o])
        gap = scores[ours] - rivals[best]
        points.append(TrendPoint(period, scores[ours], best, rivals[best], gap, gap >= -target_gap))
    return points


@dataclass(frozen=True)
class ProviderGap:
    code: str
    name_zh: str
    name_en: str
    question: str
    indicators: tuple[str, ...]


def provider_gaps(path: Path | None = None) -> list[ProviderGap]:
    """The four provider gaps and the indicator ids that evidence each."""
    raw = yaml.safe_load((path or MODELS_DIR / "provider_gaps.yaml").read_text(encoding="utf-8"))
    return [
        ProviderGap(
            code=str(entry["code"]),
            name_zh=str(entry["name_zh"]),
            name_en=str(entry["name_en"]),
            question=str(entry["question"]),
            indicators=tuple(str(i) for i in entry["indicators"]),
        )
        for entry in raw["gaps"]
    ]
