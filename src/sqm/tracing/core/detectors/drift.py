"""Slow drifts: a one-sided Poisson CUSUM per cell over the watched month.

A daily or weekly window misses a cell that creeps up by a fraction a day; the CUSUM
accumulates the log-likelihood ratio of "rate × ``ratio``" against the expected rate,
``S_t = max(0, S_{t−1} + y_t log r − (r − 1) μ_t)``, and its maximum over the month is the
evidence. Its p-value is the share of Monte Carlo months under the expected rates (Poisson)
whose maximum reaches the observed one — simulated only for cells whose maximum passes a
screen, with enough draws to resolve Benjamini–Hochberg's smallest thresholds. When the
expected level was learned from few complaints, each simulated month draws its level from
that estimate's uncertainty (a negative-binomial null), so a thin history does not pass for a
drift.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sqm.tracing.core.detectors.stats import Floats, benjamini_hochberg

MAX_SIMS = 100_000


@dataclass(frozen=True, slots=True)
class Drift:
    cell: int
    first: int  # day index where the final run-up began (inclusive)
    stop: int  # day index after the CUSUM's maximum (exclusive)
    statistic: float
    p_value: float


def cusum(
    y: Floats, mu: Floats, ratio: float
) -> tuple[Floats, NDArray[np.int64], NDArray[np.int64]]:
    """Per row: the CUSUM's maximum, the day it started its last climb before the maximum,
    and the day of the maximum."""
    rows, days = y.shape
    log_r = float(np.log(ratio))
    s = np.zeros(rows)
    best = np.zeros(rows)
    start = np.zeros(rows, np.int64)
    best_start = np.zeros(rows, np.int64)
    best_day = np.zeros(rows, np.int64)
    for t in range(days):
        s = s + y[:, t] * log_r - (ratio - 1.0) * mu[:, t]
        reset = s <= 0
        s = np.where(reset, 0.0, s)
        start = np.where(reset, t + 1, start)
        better = s > best
        best = np.where(better, s, best)
        best_start = np.where(better, start, best_start)
        best_day = np.where(better, t, best_day)
    return best, best_start, best_day


def _max_cusum(y: Floats, mu: Floats, ratio: float) -> Floats:
    return cusum(y, np.broadcast_to(mu, y.shape), ratio)[0]


def drifts(
    y: Floats,
    mu: Floats,
    *,
    ratio: float = 1.5,
    q: float = 0.01,
    screen: float = 3.0,
    min_count: int = 5,
    seed: int = 2026,
    certainty: Floats | None = None,
    skip: NDArray[np.bool_] | None = None,
) -> list[Drift]:
    """``y``, ``mu``: cells × watched days (observed counts and expected rates).
    ``certainty``: per cell, the pseudo-count behind its expected level; the null then draws
    each simulated month's level from Gamma(certainty) around ``mu`` (None: ``mu`` is known).
    ``skip``: cells not to simulate (already signalled by a window)."""
    cells = y.shape[0]
    if cells == 0:
        return []
    best, first, last = cusum(y, mu, ratio)
    p = np.ones(cells)
    # Resolves q / cells with room to spare, capped: a p-value below 1e-5 needs no more digits.
    sims = min(int(np.ceil(20 * cells / q)), MAX_SIMS)
    for cell in np.flatnonzero(best >= screen).tolist():
        if skip is not None and skip[cell]:
            continue
        window = y[cell, first[cell] : last[cell] + 1].sum()
        if window < min_count:
            continue
        rng = np.random.default_rng([seed, cell])
        hits, done = 0, 0
        while done < sims:
            batch = min(20_000, sims - done)
            level = np.ones((batch, 1))
            if certainty is not None:
                shape = max(float(certainty[cell]), 0.5)
                level = rng.gamma(shape, 1.0 / shape, size=(batch, 1))
            draws = rng.poisson(mu[cell][None, :] * level).astype(np.float64)
            hits += int((_max_cusum(draws, mu[cell][None, :], ratio) >= best[cell]).sum())
            done += batch
            if hits > 50:  # clearly ordinary: no need for every draw
                break
        p[cell] = (hits + 1) / (done + 1)
    reject = benjamini_hochberg(p, q)
    return [
        Drift(cell, int(first[cell]), int(last[cell]) + 1, float(best[cell]), float(p[cell]))
        for cell in np.flatnonzero(reject).tolist()
    ]
