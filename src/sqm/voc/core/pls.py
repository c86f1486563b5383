"""PLS path modelling (Wold's algorithm as Lohmöller wrote it down).

Indicators are standardized (z-scores, n-1 denominators as R's `scale` does); every latent
variable estimate is a unit-variance weighted sum of its block. The iteration alternates the
inner estimate (neighbours' scores weighted by the centroid, factorial or path scheme) and the
outer estimate (Mode A: covariances with the inner estimate; Mode B: multiple regression on the
block), until the weights stop moving. Paths are then ordinary least squares on the scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sqm.voc.core.model import PathModel

Scheme = Literal["centroid", "factorial", "path"]
SCHEMES: tuple[Scheme, ...] = ("centroid", "factorial", "path")
Matrix = NDArray[np.float64]


class EstimationError(ValueError):
    """The data cannot be estimated with this model; the message says why."""


@dataclass(frozen=True)
class PlsFit:
    """Everything the estimation produced, standardized (unit-variance scores)."""

    model: PathModel
    scheme: Scheme
    iterations: int
    weights: dict[str, dict[str, float]]
    loadings: dict[str, dict[str, float]]
    paths: dict[tuple[str, str], float]
    r_squared: dict[str, float]
    scores: Matrix  # rows: respondents, columns: model.constructs
    means: dict[str, float]
    stdevs: dict[str, float]

    def score(self, construct: str) -> Matrix:
        return self.scores[:, self.model.constructs.index(construct)]


def standardize(data: Matrix) -> Matrix:
    centred = data - data.mean(axis=0)
    stdev = data.std(axis=0, ddof=1)
    if np.any(stdev == 0):
        raise EstimationError("an indicator has no variance (every answer is the same)")
    result: Matrix = centred / stdev
    return result


def _unit_variance(scores: Matrix) -> Matrix:
    result: Matrix = (scores - scores.mean(axis=0)) / scores.std(axis=0, ddof=1)
    return result


def _correlation(scores: Matrix) -> Matrix:
    result: Matrix = np.atleast_2d(np.corrcoef(scores, rowvar=False))
    return result


def _ols(target: Matrix, predictors: Matrix) -> Matrix:
    coefficients, *_ = np.linalg.lstsq(predictors, target, rcond=None)
    result: Matrix = np.asarray(coefficients, dtype=np.float64)
    return result


def _inner_weights(model: PathModel, scores: Matrix, scheme: Scheme) -> Matrix:
    """E[i, j]: how much construct i's outer estimate counts in construct j's inner estimate."""
    names = model.constructs
    index = {name: k for k, name in enumerate(names)}
    correlation = _correlation(scores)
    size = len(names)
    inner = np.zeros((size, size))
    adjacent = np.zeros((size, size), dtype=bool)
    for source, target in model.paths:
        adjacent[index[source], index[target]] = adjacent[index[target], index[source]] = True
    if scheme == "centroid":
        inner[adjacent] = np.sign(correlation[adjacent])
    elif scheme == "factorial":
        inner[adjacent] = correlation[adjacent]
    else:
        for name in names:
            j = index[name]
            before = [index[p] for p in model.predecessors(name)]
            if before:
                inner[before, j] = _ols(scores[:, j], scores[:, before])
            for successor in model.successors(name):
                inner[index[successor], j] = correlation[index[successor], j]
    return inner


def _block_matrices(model: PathModel, data: Matrix) -> list[Matrix]:
    columns = model.columns
    return [data[:, [columns.index(c) for c in block]] for block in model.blocks.values()]


def estimate(
    model: PathModel,
    data: Matrix,
    scheme: Scheme = "centroid",
    *,
    tolerance: float = 1e-10,
    max_iterations: int = 500,
) -> PlsFit:
    """Estimate `model` on `data` (rows respondents, columns `model.columns`, in that order)."""
    if scheme not in SCHEMES:
        raise EstimationError(f"scheme must be one of {', '.join(SCHEMES)}, not {scheme!r}")
    if data.ndim != 2 or data.shape[1] != len(model.columns):
        raise EstimationError(
            f"data has {data.shape[-1]} columns, the model has {len(model.columns)} indicators"
        )
    if np.isnan(data).any():
        raise EstimationError("data has missing answers; clean or impute them first")
    if data.shape[0] < 3:
        raise EstimationError(f"{data.shape[0]} respondents are too few to estimate anything")
    standardized = standardize(data)
    blocks = _block_matrices(model, standardized)
    weights = [np.ones(block.shape[1]) for block in blocks]
    weights = [_normalize(block, w) for block, w in zip(blocks, weights, strict=True)]
    iterations = 0
    for iterations in range(1, max_iterations + 1):  # noqa: B007 - reported below
        scores = np.column_stack([b @ w for b, w in zip(blocks, weights, strict=True)])
        inner = _inner_weights(model, scores, scheme)
        inner_estimates = scores @ inner
        updated = []
        for k, block in enumerate(blocks):
            target = inner_estimates[:, k]
            if model.mode(model.constructs[k]) == "A":
                raw = block.T @ target / (len(target) - 1)
            else:
                raw = _ols(target, block)
            updated.append(_normalize(block, raw))
        change = max(float(np.max(np.abs(u - w))) for u, w in zip(updated, weights, strict=True))
        weights = updated
        if change < tolerance:
            break
    else:
        raise EstimationError(f"no convergence after {max_iterations} iterations")
    scores = _unit_variance(np.column_stack([b @ w for b, w in zip(blocks, weights, strict=True)]))
    return _finish(model, scheme, iterations, data, blocks, weights, scores)


def _normalize(block: Matrix, weights: Matrix) -> Matrix:
    spread = float(np.std(block @ weights, ddof=1))
    if spread == 0:
        raise EstimationError("a block's weighted score has no variance")
    result: Matrix = weights / spread
    return result


def _finish(
    model: PathModel,
    scheme: Scheme,
    iterations: int,
    data: Matrix,
    blocks: list[Matrix],
    weights: list[Matrix],
    scores: Matrix,
) -> PlsFit:
    names = model.constructs
    index = {name: k for k, name in enumerate(names)}
    weight_map: dict[str, dict[str, float]] = {}
    loading_map: dict[str, dict[str, float]] = {}
    for k, (name, columns) in enumerate(model.blocks.items()):
        weight_map[name] = dict(zip(columns, map(float, weights[k]), strict=True))
        loadings = [
            float(np.corrcoef(blocks[k][:, h], scores[:, k])[0, 1]) for h in range(len(columns))
        ]
        loading_map[name] = dict(zip(columns, loadings, strict=True))
    paths: dict[tuple[str, str], float] = {}
    r_squared: dict[str, float] = {}
    for target in model.endogenous:
        before = model.predecessors(target)
        y = scores[:, index[target]]
        x = scores[:, [index[p] for p in before]]
        coefficients = _ols(y, x)
        for source, value in zip(before, coefficients, strict=True):
            paths[(source, target)] = float(value)
        residual = y - x @ coefficients
        r_squared[target] = 1.0 - float(residual @ residual) / float(y @ y)
    columns = model.columns
    means = dict(zip(columns, map(float, data.mean(axis=0)), strict=True))
    stdevs = dict(zip(columns, map(float, data.std(axis=0, ddof=1)), strict=True))
    return PlsFit(
        model=model,
        scheme=scheme,
        iterations=iterations,
        weights=weight_map,
        loadings=loading_map,
        paths=paths,
        r_squared=r_squared,
        scores=scores,
        means=means,
        stdevs=stdevs,
    )


def total_effects(fit: PlsFit) -> dict[tuple[str, str], float]:
    """Direct plus every indirect effect: the entries of (I - B)^-1 - I."""
    names = fit.model.constructs
    index = {name: k for k, name in enumerate(names)}
    direct = np.zeros((len(names), len(names)))
    for (source, target), value in fit.paths.items():
        direct[index[source], index[target]] = value
    total = np.linalg.inv(np.eye(len(names)) - direct) - np.eye(len(names))
    return {
        (source, target): float(total[index[source], index[target]])
        for source in names
        for target in names
        if abs(total[index[source], index[target]]) > 0
    }
