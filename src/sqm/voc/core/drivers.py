"""Driver analysis: how much each factor matters to satisfaction, and where to act first.

Two decompositions of a regression's R^2 among correlated predictors:
- relative weights (Johnson 2000, Multivariate Behavioral Research 35:1-19): regress on the
  closest orthogonal approximation of the predictors and map the variance back;
- the Shapley value / LMG (Lindeman, Merenda & Gold 1980): each predictor's R^2 increment
  averaged over every order of entry; exact, 2^p subset regressions.
Both work on the correlation matrix alone. Importance is then set against performance (0-100)
in an importance-performance map (Martilla & James 1977).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from itertools import combinations
from math import factorial

import numpy as np
from numpy.typing import NDArray

Matrix = NDArray[np.float64]
SHAPLEY_MAX_PREDICTORS = 20  # 2^20 subsets; beyond that the exact sum takes minutes


def _correlations(predictors: Matrix, outcome: Matrix) -> tuple[Matrix, Matrix]:
    if predictors.ndim != 2 or predictors.shape[0] != outcome.shape[0]:
        raise ValueError("predictors and outcome must have one row per respondent")
    if predictors.shape[0] <= predictors.shape[1] + 1:
        raise ValueError(
            f"{predictors.shape[0]} respondents are too few for {predictors.shape[1]} predictors"
        )
    if np.isnan(predictors).any() or np.isnan(outcome).any():
        raise ValueError("missing answers: drop or impute them before driver analysis")
    joined = np.column_stack([predictors, outcome])
    if np.any(joined.std(axis=0) == 0):
        raise ValueError("a predictor or the outcome has no variance")
    full: Matrix = np.atleast_2d(np.corrcoef(joined, rowvar=False))
    return full[:-1, :-1], full[:-1, -1]


def relative_weights(predictors: Matrix, outcome: Matrix) -> Matrix:
    """Johnson's raw relative weights; they are non-negative and sum to the model R^2."""
    rxx, rxy = _correlations(predictors, outcome)
    eigenvalues, eigenvectors = np.linalg.eigh(rxx)
    if eigenvalues.min() <= 1e-12:
        raise ValueError("predictors are perfectly collinear; drop a redundant one")
    # Lambda = R_xx^(1/2): correlations of the predictors with their orthogonal counterparts Z.
    root = eigenvectors @ np.diag(np.sqrt(eigenvalues)) @ eigenvectors.T
    beta = np.linalg.solve(root, rxy)  # regression of y on Z
    result: Matrix = (root**2) @ (beta**2)
    return result


def r_squared(predictors: Matrix, outcome: Matrix) -> float:
    rxx, rxy = _correlations(predictors, outcome)
    return float(rxy @ np.linalg.solve(rxx, rxy))


def shapley_values(predictors: Matrix, outcome: Matrix) -> Matrix:
    """Exact Shapley/LMG decomposition of R^2 (each share averaged over all entry orders)."""
    rxx, rxy = _correlations(predictors, outcome)
    p = rxx.shape[0]
    if p > SHAPLEY_MAX_PREDICTORS:
        raise ValueError(f"exact Shapley needs 2^{p} regressions; use relative weights instead")
    explained = np.zeros(1 << p)
    for size in range(1, p + 1):
        # All subsets of one size at once: a stack of small systems solved in one call.
        members = np.array(list(combinations(range(p), size)), dtype=np.int64)
        blocks = rxx[members[:, :, None], members[:, None, :]]
        r = rxy[members]
        solved = np.linalg.solve(blocks, r[:, :, None])[:, :, 0]
        masks = (1 << members).sum(axis=1)
        explained[masks] = np.einsum("ij,ij->i", r, solved)
    weight_by_size = np.array(
        [factorial(s) * factorial(p - s - 1) / factorial(p) for s in range(p)]
    )
    masks = np.arange(1 << p)
    sizes = np.array([bin(m).count("1") for m in range(1 << p)])
    result = np.zeros(p)
    for k in range(p):
        without = masks[(masks >> k) & 1 == 0]
        gains = explained[without | (1 << k)] - explained[without]
        result[k] = float(np.sum(weight_by_size[sizes[without]] * gains))
    return result


class Quadrant(StrEnum):
    CONCENTRATE = "concentrate_here"  # important, performing below average: fix first
    KEEP_UP = "keep_up"  # important and strong: keep it
    LOW_PRIORITY = "low_priority"  # neither
    POSSIBLE_OVERKILL = "possible_overkill"  # strong but matters little


@dataclass(frozen=True)
class DriverPoint:
    factor: str
    importance: float  # share of explained variance (sums to 1) or a total effect
    performance: float  # 0-100
    quadrant: Quadrant
    priority: float  # importance x room to improve; larger = act sooner


def importance_performance(
    importance: dict[str, float],
    performance: dict[str, float],
) -> list[DriverPoint]:
    """Quadrants split at the mean importance and mean performance; the list comes back in
    the order to act: 'concentrate here' first, then everything else by importance x (100 -
    performance), so a big driver that is merely average still comes before a small one."""
    factors = [f for f in importance if f in performance]
    if not factors:
        return []
    mean_importance = float(np.mean([importance[f] for f in factors]))
    mean_performance = float(np.mean([performance[f] for f in factors]))
    points = []
    for factor in factors:
        high = importance[factor] >= mean_importance
        strong = performance[factor] >= mean_performance
        quadrant = (
            (Quadrant.KEEP_UP if strong else Quadrant.CONCENTRATE)
            if high
            else (Quadrant.POSSIBLE_OVERKILL if strong else Quadrant.LOW_PRIORITY)
        )
        priority = importance[factor] * (100.0 - performance[factor])
        points.append(
            DriverPoint(factor, importance[factor], performance[factor], quadrant, priority)
        )
    return sorted(points, key=lambda p: (p.quadrant != Quadrant.CONCENTRATE, -p.priority))


def to_percent(score: float, low: float = 1.0, high: float = 10.0) -> float:
    """An answer-scale mean on 0-100, the way ACSI reports indices."""
    return 100.0 * (score - low) / (high - low)
