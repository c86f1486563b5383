"""The study's analyses as plain data: satisfaction index, drivers, gaps, competitors.

Every function takes the wide study table of `study.read_study` (already cut to what the
caller may see) and returns JSON-ready dictionaries; the CLI, the web pages and the Excel
export all render these same dictionaries.
"""

from __future__ import annotations

from typing import Any, Literal

import pandas as pd

from sqm.org.core.factors import FACTORS
from sqm.voc.core.drivers import (
    importance_performance,
    r_squared,
    relative_weights,
    shapley_values,
    to_percent,
)
from sqm.voc.core.gaps import OURS, competitor_view, factor_gaps, gap_trend
from sqm.voc.core.model import PathModel, shipped_model
from sqm.voc.core.pls import EstimationError, PlsFit, Scheme, estimate, total_effects
from sqm.voc.core.quality import Interval, block_quality, bootstrap, goodness_of_fit, unstandardized
from sqm.voc.core.study import EXPECTATION_PREFIX, FACTOR_CODES

Method = Literal["relative_weights", "shapley"]
MIN_RESPONDENTS = 30  # below this a regression on 19 factors says nothing


def pls_summary(
    model: PathModel,
    frame: pd.DataFrame,
    scheme: Scheme = "path",
    resamples: int = 0,
    seed: int = 0,
) -> dict[str, Any]:
    """What `sqm voc pls --json` prints: paths, R^2, weights, loadings, quality, indices."""
    missing = [c for c in model.columns if c not in frame.columns]
    if missing:
        raise EstimationError(f"the data has no column(s) {', '.join(missing)}")
    complete = frame[model.columns].apply(pd.to_numeric, errors="coerce").dropna()
    data = complete.to_numpy(dtype=float)
    fit = estimate(model, data, scheme)
    result: dict[str, Any] = {
        "scheme": scheme,
        "respondents": len(complete),
        "dropped_incomplete": int(len(frame) - len(complete)),
        "iterations": fit.iterations,
        "paths": [{"from": s, "to": t, "value": v} for (s, t), v in fit.paths.items()],
        "total_effects": [
            {"from": s, "to": t, "value": v} for (s, t), v in total_effects(fit).items()
        ],
        "r_squared": fit.r_squared,
        "outer_weights": fit.weights,
        "loadings": fit.loadings,
        "quality": [
            {
                "construct": q.construct,
                "ave": q.ave,
                "composite_reliability": q.composite_reliability,
                "cronbach_alpha": q.cronbach_alpha,
            }
            for q in block_quality(fit, data)
        ],
        "gof": goodness_of_fit(fit),
    }
    if model.scale is not None:
        raw = unstandardized(fit, data)
        result["indices"] = raw.indices
        result["unstandardized"] = {
            "weights": raw.weights,
            "paths": [{"from": s, "to": t, "value": v} for (s, t), v in raw.paths.items()],
        }
    if resamples:
        result["bootstrap"] = {
            "resamples": resamples,
            "seed": seed,
            **{
                group: {name: _interval(i) for name, i in named.items()}
                for group, named in bootstrap(fit, data, resamples, seed=seed).items()
            },
        }
    return result


def _interval(interval: Interval) -> dict[str, float]:
    return {
        "estimate": interval.estimate,
        "low": interval.low,
        "high": interval.high,
        "se": interval.standard_error,
    }


def ours(frame: pd.DataFrame) -> pd.DataFrame:
    return frame[frame["operator"] == OURS]


def satisfaction_index(frame: pd.DataFrame, scheme: Scheme = "path") -> dict[str, Any]:
    """Our PLS satisfaction index (SQM 19-factor model) overall and month by month."""
    model = shipped_model("sqm_factors")
    mine = ours(frame)
    result: dict[str, Any] = {"respondents": len(mine), "months": []}
    for month, part in mine.groupby("month", sort=True):
        entry: dict[str, Any] = {"month": str(month), "respondents": len(part)}
        if len(part.dropna(subset=model.columns)) >= MIN_RESPONDENTS:
            entry["index"] = pls_summary(model, part, scheme)["indices"]["Satisfaction"]
        # The plain mean of the overall answer on 0-100: shown where a month is too thin for
        # the model, and a check on the model's index where it is not.
        entry["overall_score"] = to_percent(float(part["overall"].mean()))
        result["months"].append(entry)
    if len(mine.dropna(subset=model.columns)) < MIN_RESPONDENTS:
        result["error"] = f"fewer than {MIN_RESPONDENTS} complete answers about us"
        return result
    summary = pls_summary(model, mine, scheme)
    result.update(
        index=summary["indices"]["Satisfaction"],
        indices=summary["indices"],
        paths=summary["paths"],
        r_squared=summary["r_squared"],
        gof=summary["gof"],
    )
    return result


def drivers(frame: pd.DataFrame, method: Method = "relative_weights") -> dict[str, Any]:
    """Importance of each factor for overall satisfaction against its 0-100 performance,
    and the list to act on: important and weak first (R8.2)."""
    complete = ours(frame).dropna(subset=[*FACTOR_CODES, "overall"])
    if len(complete) < MIN_RESPONDENTS:
        return {
            "respondents": len(complete),
            "error": "too few complete answers",
            "factors": [],
        }
    x = complete[list(FACTOR_CODES)].to_numpy(dtype=float)
    y = complete["overall"].to_numpy(dtype=float)
    raw = relative_weights(x, y) if method == "relative_weights" else shapley_values(x, y)
    total = float(raw.sum())
    importance = {c: float(v) / total for c, v in zip(FACTOR_CODES, raw, strict=True)}
    performance = {c: to_percent(float(complete[c].mean())) for c in FACTOR_CODES}
    points = importance_performance(importance, performance)
    names = {f.code: f for f in FACTORS}
    return {
        "method": method,
        "respondents": len(complete),
        "r_squared": r_squared(x, y),
        "factors": [
            {
                "factor": p.factor,
                "name_zh": names[p.factor].name_zh,
                "name_en": names[p.factor].name_en,
                "group": names[p.factor].group.value,
                "importance": p.importance,
                "performance": p.performance,
                "quadrant": p.quadrant.value,
                "priority": p.priority,
                "rank": rank,
            }
            for rank, p in enumerate(points, start=1)
        ],
    }


def drivers_by(
    frame: pd.DataFrame, column: str, method: Method = "relative_weights"
) -> dict[str, Any]:
    """One driver list per branch or per tier (groups too small say so instead)."""
    return {
        str(value): drivers(part, method)
        for value, part in ours(frame).groupby(column, sort=True)
        if isinstance(value, str) and value
    }


def gaps(frame: pd.DataFrame) -> list[dict[str, Any]]:
    mine = ours(frame)
    expectation = mine[[EXPECTATION_PREFIX + c for c in FACTOR_CODES]].to_numpy(dtype=float)
    perception = mine[list(FACTOR_CODES)].to_numpy(dtype=float)
    return [g.__dict__ for g in factor_gaps(FACTOR_CODES, expectation, perception)]


def competitors(frame: pd.DataFrame, target_gap: float) -> dict[str, Any]:
    """Per factor: every operator's 0-100 score, the leader, our gap; and the monthly overall
    index against the best rival, judged against the target gap."""
    scores: dict[str, dict[str, float]] = {}
    for code in FACTOR_CODES:
        by_operator = frame.groupby("operator")[code].mean().dropna()
        scores[code] = {str(o): to_percent(float(v)) for o, v in by_operator.items()}
    overall = frame.groupby("operator")["overall"].mean().dropna()
    scores["overall"] = {str(o): to_percent(float(v)) for o, v in overall.items()}
    by_month: dict[str, dict[str, float]] = {}
    monthly = frame.groupby(["month", "operator"])["overall"].mean().dropna()
    for key, value in monthly.items():
        parts: tuple[str, str] = key  # type: ignore[assignment]
        by_month.setdefault(str(parts[0]), {})[str(parts[1])] = to_percent(float(value))
    rows = competitor_view(scores)
    return {
        "target_gap": target_gap,
        "operators": sorted({o for s in scores.values() for o in s}),
        "factors": [r.__dict__ for r in rows],
        "trend": [t.__dict__ for t in gap_trend(by_month, target_gap)],
    }


def fit_of(model: PathModel, frame: pd.DataFrame, scheme: Scheme = "path") -> PlsFit:
    data = frame[model.columns].dropna().to_numpy(dtype=float)
    return estimate(model, data, scheme)
