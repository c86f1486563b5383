"""The statistics every detector shares: a robust daily count model, tail probabilities,
Benjamini–Hochberg, and turning flagged windows into runs.

The daily model is a Poisson GLM on a day's count with an intercept, weekday factors, the
bill-date bump (the share of customers whose bill came out 0–6 days before, weighted by how
demand decays after a bill), the last three days of a month, and the customer base as an
offset. It is fitted by iteratively reweighted least squares with a small ridge on everything
but the intercept (sparse series would otherwise give wild weekday factors), then refitted
without the days it cannot explain (upper-tail p < 0.001), so the incident being looked for
does not become its own baseline.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

Floats = NDArray[np.float64]
# Share of a bill's extra demand on day 0, 1, 2, … after the bill (the observed decay of
# contacts after a bill date; its scale is fitted, its shape is not).
BILL_DECAY: Floats = np.array([0.22, 0.20, 0.17, 0.14, 0.11, 0.09, 0.07])
MONTH_END_DAYS = 3
OUTLIER_P = 1e-3
RIDGE = 1.0


@dataclass(frozen=True, slots=True)
class Calendar:
    """The days a detector sees (history first, then the month under watch) and what shapes
    demand on each: bill dates and the customer base."""

    days: tuple[date, ...]
    watch_from: date  # first day of the month under watch
    bill_days: tuple[tuple[int, float], ...] = ((1, 1.0),)  # (bill day of month, share)
    customers: Floats | None = None  # per day; None: constant

    @classmethod
    def span(
        cls,
        first: date,
        last: date,
        watch_from: date,
        bill_days: Sequence[tuple[int, float]] = ((1, 1.0),),
        customers: Floats | None = None,
    ) -> Calendar:
        n = (last - first).days + 1
        return cls(
            tuple(first + timedelta(days=k) for k in range(n)),
            watch_from,
            tuple(bill_days),
            customers,
        )

    @property
    def size(self) -> int:
        return len(self.days)

    @property
    def watch_index(self) -> int:
        return self.days.index(self.watch_from) if self.watch_from in self.days else 0

    def index(self, day: date) -> int:
        return (day - self.days[0]).days

    def design(self) -> Floats:
        """Columns: intercept, six weekday dummies (Monday is the base), bill bump, month end."""
        n = self.size
        x = np.zeros((n, 9))
        x[:, 0] = 1.0
        for k, day in enumerate(self.days):
            weekday = day.weekday()
            if weekday:
                x[k, weekday] = 1.0
            bump = 0.0
            for bill_day, share in self.bill_days:
                offset = day.day - bill_day
                if 0 <= offset < BILL_DECAY.size:
                    bump += share * float(BILL_DECAY[offset])
            x[k, 7] = bump / BILL_DECAY[0]
            following = day + timedelta(days=MONTH_END_DAYS)
            x[k, 8] = 1.0 if following.month != day.month else 0.0
        return x

    def offset(self) -> Floats:
        if self.customers is None:
            return np.zeros(self.size)
        base = np.maximum(np.asarray(self.customers, dtype=np.float64), 1.0)
        return np.asarray(np.log(base / base.mean()), dtype=np.float64)


def fit_daily(counts: Floats, calendar: Calendar, robust: bool = True) -> Floats:
    """Expected count per day of ``counts`` (one value per calendar day)."""
    y = np.asarray(counts, dtype=np.float64)
    if y.shape != (calendar.size,):
        raise ValueError("one count per calendar day")
    x, offset = calendar.design(), calendar.offset()
    keep = np.ones(y.size, bool)
    fitted = _irls(y, x, offset, keep)
    if robust:
        for _ in range(2):
            outlier = poisson_upper(y, fitted) < OUTLIER_P
            if not outlier.any() or outlier.sum() > y.size // 3:
                break
            keep = ~outlier
            fitted = _irls(y, x, offset, keep)
    return fitted


def fit_daily_many(counts: Floats, calendar: Calendar) -> Floats:
    """``fit_daily`` for each row of a (series × day) matrix."""
    return np.vstack([fit_daily(row, calendar) for row in counts]) if len(counts) else counts


def _irls(y: Floats, x: Floats, offset: Floats, keep: NDArray[np.bool_]) -> Floats:
    yk, xk, ok = y[keep], x[keep], offset[keep]
    total = float(yk.sum())
    if total <= 0:
        # Nothing seen: a floor of half a count over the days seen, spread evenly.
        return np.full(y.size, 0.5 / max(int(keep.sum()), 1))
    penalty = np.full(x.shape[1], RIDGE)
    penalty[0] = 0.0
    beta: NDArray[np.floating[Any]] = np.zeros(x.shape[1])
    beta[0] = float(np.log(total / yk.size))
    for _ in range(25):
        eta = np.clip(xk @ beta + ok, -30, 30)
        mu = np.exp(eta)
        z = eta - ok + (yk - mu) / mu
        w = mu
        lhs = xk.T @ (xk * w[:, None]) + np.diag(penalty)
        rhs = xk.T @ (w * z)
        new = np.linalg.solve(lhs, rhs)
        if np.max(np.abs(new - beta)) < 1e-8:
            beta = new
            break
        beta = new
    return np.asarray(np.exp(np.clip(x @ beta + offset, -30, 30)), dtype=np.float64)


def poisson_upper(observed: Floats | float, expected: Floats | float) -> Floats:
    """P(X ≥ observed) for X ~ Poisson(expected)."""
    obs = np.asarray(observed, dtype=np.float64)
    exp = np.maximum(np.asarray(expected, dtype=np.float64), 1e-9)
    return np.asarray(stats.poisson.sf(obs - 1, exp), dtype=np.float64)


def binomial_upper(k: Floats | float, n: Floats | float, p: Floats | float) -> Floats:
    """P(X ≥ k) for X ~ Binomial(n, p)."""
    k_ = np.asarray(k, dtype=np.float64)
    p_ = np.clip(np.asarray(p, dtype=np.float64), 1e-9, 1 - 1e-9)
    return np.asarray(stats.binom.sf(k_ - 1, np.asarray(n, dtype=np.float64), p_))


def benjamini_hochberg(p_values: Floats, q: float) -> NDArray[np.bool_]:
    """Which hypotheses to reject so that the expected share of false discoveries is ≤ q."""
    p = np.asarray(p_values, dtype=np.float64).ravel()
    m = p.size
    if m == 0:
        return np.zeros(0, bool)
    order = np.argsort(p, kind="stable")
    passed = p[order] <= q * np.arange(1, m + 1) / m
    reject = np.zeros(m, bool)
    if passed.any():
        reject[order[: int(np.max(np.flatnonzero(passed))) + 1]] = True
    return reject.reshape(np.shape(p_values))


def score_of(p_value: float) -> float:
    """−log10 p, capped so that p = 0 still ranks."""
    return float(min(50.0, -np.log10(max(p_value, 1e-50))))


def runs(flags: NDArray[np.bool_]) -> list[tuple[int, int]]:
    """(first, stop) index pairs of consecutive True values."""
    found: list[tuple[int, int]] = []
    start: int | None = None
    for k, flag in enumerate(flags.tolist()):
        if flag and start is None:
            start = k
        elif not flag and start is not None:
            found.append((start, k))
            start = None
    if start is not None:
        found.append((start, len(flags)))
    return found


def window_sums(counts: Floats, width: int) -> Floats:
    """Sums over windows of ``width`` days ending at each day (the first ``width − 1`` days
    sum what there is): same shape as ``counts`` along its last axis."""
    c: Floats = np.cumsum(np.asarray(counts, dtype=np.float64), axis=-1)
    out: Floats = c.copy()
    out[..., width:] = c[..., width:] - c[..., :-width]
    return out
