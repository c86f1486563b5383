"""Relative weights against the rwa package's published worked example; Shapley/LMG against
its definition (every order of entry) and the two-predictor identity with relative weights."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sqm.voc.core.drivers import (
    Quadrant,
    importance_performance,
    r_squared,
    relative_weights,
    shapley_values,
)

MTCARS = Path(__file__).parent / "data" / "mtcars_rwa.csv"


def _mtcars() -> tuple[np.ndarray, np.ndarray]:
    frame = pd.read_csv(MTCARS, comment="#")
    return frame[["cyl", "disp", "hp", "gear"]].to_numpy(float), frame["mpg"].to_numpy(float)


def test_relative_weights_reproduce_the_rwa_vignette() -> None:
    """rwa (Chan, CRAN) vignette "Introduction to Relative Weights Analysis", section "Simple
    Example with mtcars": rwa(mtcars, "mpg", c("cyl","disp","hp","gear")) gives Raw.RelWeight
    cyl 0.2284797, disp 0.2221469, hp 0.2321744, gear 0.0963886 and R^2 0.7791896."""
    x, y = _mtcars()
    weights = relative_weights(x, y)
    assert weights == pytest.approx([0.2284797, 0.2221469, 0.2321744, 0.0963886], abs=5e-8)
    assert r_squared(x, y) == pytest.approx(0.7791896, abs=5e-8)
    assert weights.sum() == pytest.approx(r_squared(x, y))


def _shapley_by_orders(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """LMG straight from its definition: average R^2 gain over all p! entry orders, with each
    R^2 from an ordinary least-squares fit (no shared code with the module)."""

    def fit(columns: list[int]) -> float:
        if not columns:
            return 0.0
        design = np.column_stack([np.ones(len(y)), x[:, columns]])
        residual = y - design @ np.linalg.lstsq(design, y, rcond=None)[0]
        return 1 - residual.var() / y.var()

    p = x.shape[1]
    gains = np.zeros(p)
    orders = list(permutations(range(p)))
    for order in orders:
        for k, predictor in enumerate(order):
            gains[predictor] += fit(list(order[: k + 1])) - fit(list(order[:k]))
    return gains / len(orders)


def test_shapley_values_equal_the_average_over_all_orders() -> None:
    x, y = _mtcars()
    assert shapley_values(x, y) == pytest.approx(_shapley_by_orders(x, y), abs=1e-10)
    assert shapley_values(x, y).sum() == pytest.approx(r_squared(x, y))


def test_with_two_predictors_shapley_and_relative_weights_coincide() -> None:
    x, y = _mtcars()
    assert shapley_values(x[:, [0, 3]], y) == pytest.approx(relative_weights(x[:, [0, 3]], y))


def test_shapley_handles_nineteen_factors() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(600, 19)) + rng.normal(size=(600, 1))
    truth = np.linspace(0.05, 1, 19)
    y = x @ truth + rng.normal(size=600)
    shares = shapley_values(x, y)
    assert shares.sum() == pytest.approx(r_squared(x, y))
    assert np.argmax(shares) == 18 and np.argmin(shares) == 0


def test_collinear_and_tiny_samples_are_refused() -> None:
    x, y = _mtcars()
    with pytest.raises(ValueError, match="collinear"):
        relative_weights(np.column_stack([x, x[:, 0] * 2]), y)
    with pytest.raises(ValueError, match="too few"):
        relative_weights(x[:4], y[:4])


def test_the_map_puts_important_weak_factors_first() -> None:
    importance = {"coverage": 0.30, "price": 0.25, "bills": 0.05, "hall": 0.10}
    performance = {"coverage": 60.0, "price": 80.0, "bills": 40.0, "hall": 90.0}
    points = importance_performance(importance, performance)
    assert next(p.factor for p in points) == "coverage"
    quadrants = {p.factor: p.quadrant for p in points}
    assert quadrants == {
        "coverage": Quadrant.CONCENTRATE,
        "price": Quadrant.KEEP_UP,
        "bills": Quadrant.LOW_PRIORITY,
        "hall": Quadrant.POSSIBLE_OVERKILL,
    }


def test_after_the_weak_drivers_a_big_average_driver_comes_before_a_small_weak_one() -> None:
    importance = {"big": 0.5, "weak": 0.3, "small": 0.05, "strong": 0.15}
    performance = {"big": 72.0, "weak": 50.0, "small": 60.0, "strong": 90.0}
    order = [p.factor for p in importance_performance(importance, performance)]
    assert order[0] == "weak"
    assert order.index("big") < order.index("small")
