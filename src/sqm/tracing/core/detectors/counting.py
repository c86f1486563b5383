"""Scan count series for windows above their expected value, with false discoveries controlled.

A *cell* (a branch × category, a sub-category, a sender…) belongs to a *group* whose daily
counts a robust GLM has fitted (`stats.fit_daily`: weekday, bill dates, month end, customer
base). The cell's expected count in a window is its share of the group, learned from the days
outside the window and a guard band around it (so an incident lasting a few days is not its
own baseline), shrunk towards a prior share (a branch's share of customers, say) when the cell
has little history, times the group's fitted count in the window. Daily and weekly windows
ending on every day of the watched month are tested (quasi-Poisson upper tail, the dispersion
measured on the group's ordinary days) and Benjamini–Hochberg keeps the false-discovery rate
at ``q`` across every cell and window. Overlapping flagged windows of a cell become one hit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from sqm.tracing.core.detectors.stats import (
    OUTLIER_P,
    Calendar,
    Floats,
    benjamini_hochberg,
    fit_daily_many,
    poisson_upper,
    runs,
)

Ints = NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class ScanSettings:
    widths: tuple[int, ...] = (1, 7)
    q: float = 0.01  # false-discovery rate across all cells and windows
    min_count: int = 5  # fewer observed in a window is never a signal
    min_ratio: float = 2.0  # observed / expected: a real but tiny rise is not worth a look
    prior_weight: float = 20.0  # pseudo-counts of the prior share (the customer base)
    guard_days: int = 7


@dataclass(frozen=True, slots=True)
class Hit:
    cell: int
    first: int  # calendar day index, inclusive
    stop: int  # exclusive
    observed: float
    expected: float
    expected_low: float
    expected_high: float
    p_value: float
    series: tuple[tuple[int, float, float, float, float], ...]
    """(day index, observed, expected, low, high) around the window."""


def scan(
    counts: Floats,
    calendar: Calendar,
    *,
    group_of: Ints | None = None,
    group_counts: Floats | None = None,
    prior: Floats | None = None,
    settings: ScanSettings | None = None,
) -> list[Hit]:
    """``counts``: cells × days. ``group_of``: each cell's group (default: every cell its own
    group); ``group_counts``: groups × days (default: the sum of the group's cells);
    ``prior``: each cell's prior share of its group (default: even)."""
    s = settings or ScanSettings()
    y = np.asarray(counts, dtype=np.float64)
    cells, days = y.shape
    if days != calendar.size:
        raise ValueError("counts need one column per calendar day")
    if cells == 0:
        return []
    groups = np.arange(cells) if group_of is None else np.asarray(group_of, dtype=np.int64)
    ngroups = int(groups.max()) + 1
    if group_counts is None:
        g = np.zeros((ngroups, days))
        np.add.at(g, groups, y)
    else:
        g = np.asarray(group_counts, dtype=np.float64)
    fitted = fit_daily_many(g, calendar)
    dispersion = _dispersion(g, fitted)[groups]
    if prior is None:
        size = np.bincount(groups, minlength=ngroups).astype(np.float64)
        share_prior = 1.0 / size[groups]
    else:
        share_prior = np.asarray(prior, dtype=np.float64)
    cum_y = np.concatenate([np.zeros((cells, 1)), np.cumsum(y, axis=1)], axis=1)
    cum_f = np.concatenate([np.zeros((ngroups, 1)), np.cumsum(fitted, axis=1)], axis=1)
    watch = np.arange(calendar.watch_index, days)
    tested: list[tuple[int, Floats, Floats, Floats, Floats]] = []
    for width in s.widths:
        stop = watch + 1
        first = np.maximum(stop - width, 0)
        obs = cum_y[:, stop] - cum_y[:, first]
        share, certainty = _share(cum_y, cum_f, groups, first, stop, share_prior, s)
        exp = share * (cum_f[groups][:, stop] - cum_f[groups][:, first])
        p = predictive_upper(obs / dispersion[:, None], exp / dispersion[:, None], certainty)
        big = (obs >= s.min_count) & (obs >= s.min_ratio * exp)
        tested.append((width, obs, exp, np.where(big, p, 1.0), share))
    every = np.concatenate([t[3].ravel() for t in tested])
    reject = benjamini_hochberg(every, s.q)
    flagged = np.zeros((cells, days), bool)
    offset = 0
    for width, _obs, _exp, p, shares in tested:
        r = reject[offset : offset + p.size].reshape(p.shape)
        offset += p.size
        for cell, k in zip(*np.nonzero(r), strict=True):
            end = int(watch[k]) + 1
            begin = max(end - width, calendar.watch_index)
            # Only the days of a wide window that carry the excess are the signal's days.
            excess = y[cell, begin:end] > shares[cell, k] * fitted[groups[cell], begin:end]
            flagged[cell, begin:end] |= excess if excess.any() else True
    cutoff = float(every[reject].max()) if reject.any() else 0.0
    hits: list[Hit] = []
    for cell in np.flatnonzero(flagged.any(axis=1)).tolist():
        for run_first, run_stop in runs(flagged[cell]):
            hit = _hit(
                cell, run_first, run_stop, y, cum_y, fitted, groups, share_prior, dispersion, s
            )
            # A stray busy day inside a flagged week is not a signal of its own.
            if hit.observed >= s.min_count and hit.p_value <= cutoff:
                hits.append(hit)
    return hits


def _share(
    cum_y: Floats,
    cum_f: Floats,
    groups: Ints,
    first: Ints,
    stop: Ints,
    prior: Floats,
    s: ScanSettings,
) -> tuple[Floats, Floats]:
    """Each cell's share of its group's counts outside [first − guard, stop + guard), and the
    pseudo-counts it rests on."""
    days = cum_y.shape[1] - 1
    lo = np.maximum(first - s.guard_days, 0)
    hi = np.minimum(stop + s.guard_days, days)
    cell_out = cum_y[:, -1][:, None] - (cum_y[:, hi] - cum_y[:, lo])
    # The group's *fitted* count outside the window: another cell's incident inflates the
    # group's observed total, not its robust model, so it cannot shrink this cell's share.
    f = cum_f[groups]
    group_out = f[:, -1][:, None] - (f[:, hi] - f[:, lo])
    certainty = cell_out + s.prior_weight * prior[:, None]
    share = certainty / (group_out + s.prior_weight)
    return np.asarray(np.clip(share, 1e-6, 1.0), dtype=np.float64), certainty


def predictive_upper(observed: Floats, expected: Floats, certainty: Floats) -> Floats:
    """P(X ≥ observed) when X is Poisson with a mean learned from ``certainty`` pseudo-counts:
    the Gamma–Poisson (negative binomial) predictive. A cell whose share rests on two
    complaints expects its window far less precisely than one resting on two hundred, and a
    thin history must not pass for an anomaly."""
    shape = np.maximum(np.asarray(certainty, dtype=np.float64), 0.5)
    mean = np.maximum(np.asarray(expected, dtype=np.float64), 1e-9)
    obs = np.asarray(observed, dtype=np.float64)
    return np.asarray(stats.nbinom.sf(np.ceil(obs) - 1, shape, shape / (shape + mean)))


def _dispersion(g: Floats, fitted: Floats) -> Floats:
    """Quasi-Poisson scale per group from its ordinary days (≥ 1)."""
    out = np.ones(g.shape[0])
    for k in range(g.shape[0]):
        ordinary = poisson_upper(g[k], fitted[k]) >= OUTLIER_P
        mu = fitted[k][ordinary]
        if ordinary.sum() > 10 and mu.mean() > 5:
            out[k] = max(1.0, float((((g[k][ordinary] - mu) ** 2) / mu).mean()))
    return out


def _hit(
    cell: int,
    first: int,
    stop: int,
    y: Floats,
    cum_y: Floats,
    fitted: Floats,
    groups: Ints,
    prior: Floats,
    dispersion: Floats,
    s: ScanSettings,
) -> Hit:
    share, certainty = _cell_share(cell, first, stop, cum_y, fitted, groups, prior, s)
    g = int(groups[cell])
    daily = share * fitted[g]
    observed = float(y[cell, first:stop].sum())
    expected = float(daily[first:stop].sum())
    phi = float(dispersion[cell])
    low, high = _interval(expected, phi)
    p = float(predictive_upper(np.array(observed / phi), np.array(expected / phi),
                               np.array(certainty)))  # fmt: skip
    lo, hi = max(0, first - 7), min(y.shape[1], stop + 7)
    series = tuple(
        (k, float(y[cell, k]), float(daily[k]), *_interval(float(daily[k]), phi))
        for k in range(lo, hi)
    )
    return Hit(cell, first, stop, observed, expected, low, high, p, series)


def _cell_share(
    cell: int,
    first: int,
    stop: int,
    cum_y: Floats,
    fitted: Floats,
    groups: Ints,
    prior: Floats,
    s: ScanSettings,
) -> tuple[float, float]:
    days = cum_y.shape[1] - 1
    lo, hi = max(first - s.guard_days, 0), min(stop + s.guard_days, days)
    f = np.concatenate([[0.0], np.cumsum(fitted[groups[cell]])])
    cell_out = cum_y[cell, -1] - (cum_y[cell, hi] - cum_y[cell, lo])
    group_out = float(f[-1] - (f[hi] - f[lo]))
    certainty = float(cell_out + s.prior_weight * prior[cell])
    share = certainty / (group_out + s.prior_weight)
    return float(np.clip(share, 1e-6, 1.0)), certainty


def _interval(expected: float, dispersion: float) -> tuple[float, float]:
    """Central 95 % range of a quasi-Poisson count with this mean."""
    mean = max(expected / dispersion, 1e-9)
    low, high = stats.poisson.interval(0.95, mean)
    return float(low * dispersion), float(high * dispersion)
