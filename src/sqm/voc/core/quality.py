"""Measurement quality, goodness of fit, 0-100 indices and bootstrap intervals of a PLS fit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from sqm.voc.core.pls import Matrix, PlsFit, Scheme, estimate


@dataclass(frozen=True)
class BlockQuality:
    construct: str
    ave: float  # average variance extracted: mean squared loading
    composite_reliability: float  # Dillon-Goldstein rho (Joreskog's rho_C)
    cronbach_alpha: float | None  # None for one-indicator blocks


def block_quality(fit: PlsFit, data: Matrix) -> list[BlockQuality]:
    columns = fit.model.columns
    result = []
    for construct, block in fit.model.blocks.items():
        loadings = np.array([fit.loadings[construct][c] for c in block])
        ave = float(np.mean(loadings**2))
        total = float(loadings.sum()) ** 2
        reliability = total / (total + float(np.sum(1 - loadings**2)))
        alpha = None
        if len(block) > 1:
            part = data[:, [columns.index(c) for c in block]]
            correlation = np.corrcoef(part, rowvar=False)
            k = len(block)
            mean_r = (correlation.sum() - k) / (k * (k - 1))
            alpha = float(k * mean_r / (1 + (k - 1) * mean_r))
        result.append(BlockQuality(construct, ave, reliability, alpha))
    return result


def goodness_of_fit(fit: PlsFit) -> float:
    """Tenenhaus et al. (2005) GoF: sqrt(mean communality x mean R^2); one-indicator blocks
    have communality 1 by construction and are left out of the mean, as plspm does."""
    communalities = [
        loading**2
        for construct, block in fit.model.blocks.items()
        if len(block) > 1
        for loading in fit.loadings[construct].values()
    ]
    if not communalities or not fit.r_squared:
        return float("nan")
    return float(np.sqrt(np.mean(communalities) * np.mean(list(fit.r_squared.values()))))


class NegativeWeightError(ValueError):
    """A 0-100 index needs every indicator to push the same way."""


@dataclass(frozen=True)
class Unstandardized:
    """Results in the units of the answer scale, ACSI style (Fornell et al. 1996)."""

    weights: dict[str, dict[str, float]]  # rescaled to sum to 1 within each block
    scores: Matrix  # respondents x constructs, on the answer scale
    indices: dict[str, float]  # mean score mapped to 0-100
    respondent_indices: Matrix  # respondents x constructs, 0-100
    paths: dict[tuple[str, str], float]  # OLS on the unstandardized scores


def unstandardized(
    fit: PlsFit, data: Matrix, scale: tuple[float, float] | None = None
) -> Unstandardized:
    """Rescale the standardized weights to the raw indicators (w / s), normalize them to sum to
    one, and map each construct's weighted raw score to 0-100 over the answer scale."""
    model = fit.model
    bounds = scale or model.scale
    if bounds is None:
        raise ValueError("a 0-100 index needs the answer scale: give `scale: [low, high]`")
    low, high = bounds
    columns = model.columns
    normalized: dict[str, dict[str, float]] = {}
    raw_scores = np.zeros((data.shape[0], len(model.constructs)))
    for k, (construct, block) in enumerate(model.blocks.items()):
        raw = {c: fit.weights[construct][c] / fit.stdevs[c] for c in block}
        negative = [c for c, w in raw.items() if w < 0]
        if negative:
            raise NegativeWeightError(
                f"{construct}: indicator(s) {', '.join(negative)} have negative weights; a 0-100 "
                "index would fall when answers improve. Reverse-code or drop them, or check the "
                "block is measured one way (Mode A)."
            )
        total = sum(raw.values())
        normalized[construct] = {c: w / total for c, w in raw.items()}
        share = np.array([normalized[construct][c] for c in block])
        raw_scores[:, k] = data[:, [columns.index(c) for c in block]] @ share
    respondent = 100.0 * (raw_scores - low) / (high - low)
    index = {c: float(respondent[:, k].mean()) for k, c in enumerate(model.constructs)}
    positions = {c: k for k, c in enumerate(model.constructs)}
    paths: dict[tuple[str, str], float] = {}
    for target in model.endogenous:
        before = model.predecessors(target)
        x = np.column_stack(
            [np.ones(len(raw_scores))] + [raw_scores[:, positions[p]] for p in before]
        )
        coefficients, *_ = np.linalg.lstsq(x, raw_scores[:, positions[target]], rcond=None)
        for source, value in zip(before, coefficients[1:], strict=True):
            paths[(source, target)] = float(value)
    return Unstandardized(normalized, raw_scores, index, respondent, paths)


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float
    standard_error: float


def bootstrap(
    fit: PlsFit,
    data: Matrix,
    resamples: int,
    *,
    seed: int = 0,
    level: float = 0.95,
    on_step: Callable[[int], None] | None = None,
) -> dict[str, dict[str, Interval]]:
    """Percentile intervals for paths, R^2, weights and loadings from `resamples` case
    resamples (Efron). Same seed, same intervals."""
    if resamples < 2:
        raise ValueError("the bootstrap needs at least 2 resamples")
    rng = np.random.default_rng(seed)
    scheme: Scheme = fit.scheme
    draws: dict[str, dict[str, list[float]]] = {
        "paths": {},
        "r_squared": {},
        "weights": {},
        "loadings": {},
    }
    for step in range(resamples):
        rows = rng.integers(0, data.shape[0], data.shape[0])
        sample = estimate(fit.model, data[rows], scheme)
        for key, value in _flatten(sample).items():
            group, name = key
            draws[group].setdefault(name, []).append(value)
        if on_step:
            on_step(step + 1)
    tail = (1 - level) / 2 * 100
    original = _flatten(fit)
    result: dict[str, dict[str, Interval]] = {group: {} for group in draws}
    for group, named in draws.items():
        for name, values in named.items():
            array = np.array(values)
            low, high = np.percentile(array, [tail, 100 - tail])
            result[group][name] = Interval(
                original[(group, name)], float(low), float(high), float(array.std(ddof=1))
            )
    return result


def _flatten(fit: PlsFit) -> dict[tuple[str, str], float]:
    flat: dict[tuple[str, str], float] = {}
    for (source, target), value in fit.paths.items():
        flat[("paths", f"{source}->{target}")] = value
    for construct, value in fit.r_squared.items():
        flat[("r_squared", construct)] = value
    for group, table in (("weights", fit.weights), ("loadings", fit.loadings)):
        for construct, items in table.items():
            for column, value in items.items():
                flat[(group, f"{construct}:{column}")] = value
    return flat
