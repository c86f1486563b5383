"""Catalog indicator anomalies (指标异常): any catalog indicator of one branch whose daily or
weekly figure breaks from its own history, on the side the catalog calls bad.

Each series is one indicator in one branch, one value per day (the engine's ``branch × day``
cut, with its numerator and denominator). A window — one day, or the seven days ending on a
day — is compared with the same series' windows outside a guard band around it (the same day
class for one day: weekdays with weekdays, weekends with weekends):

- the baseline is the median of those windows' values;
- the departure is measured where the figure's spread is symmetric: log-odds for a share,
  the log of the ratio for a count, a mean, a percentile or a maximum (see ``_residuals`` for
  why: queues and overdispersed counts have heavy right tails around their median), and its
  scale is the robust spread of the same departures over the baseline windows — never tighter
  than sampling (binomial for shares, Poisson for counts);
- a day that moved every branch (a bill day lengthens every queue) is no anomaly of one
  branch: the baseline moves as the median of the other branches moved on that window (the
  province-wide fault itself is left to the detectors of its own place — IVR nodes,
  channels, complaint counts);
- the tail probability is Student's t with the degrees of freedom a MAD over that many
  windows is worth, on the bad side (lower for "higher is better", higher for "lower is
  better", both for neutral figures).

Benjamini–Hochberg keeps the false-discovery rate at ``q`` across every indicator, branch,
window and width of the month at once; a window must also move the figure by a practical
amount (``min_change``: for a share, its bad part — failures, waits over the limit — grows by
that fraction) and rest on enough events. Flagged days of a series that follow each other make
one signal.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqm.tracing.core.detectors.common import at_midnight
from sqm.tracing.core.detectors.stats import Calendar, Floats, benjamini_hochberg, runs, score_of
from sqm.tracing.core.signals import Place, Signal, SignalKind

ADDITIVE = frozenset({"ratio", "mean", "count", "per_customers"})  # a week sums its days
COUNTS = frozenset({"count", "per_customers"})
SHARES = frozenset({"ratio", "mean"})  # weighted by the denominator
LOGGED = frozenset({"mean", "percentile", "max"})  # positive figures, judged as ratios


@dataclass(frozen=True, slots=True)
class IndicatorSpec:
    """What the detector needs to know of a catalog indicator."""

    kind: str  # ratio, mean, count, per_customers, percentile, max, difference
    direction: str  # higher, lower, neutral
    source: str  # the event source it is computed from
    scale: float = 1.0  # a ratio's value = numerator ÷ denominator × scale
    unit: str = ""


@dataclass(frozen=True, slots=True)
class IndicatorSettings:
    q: float = 0.01  # false-discovery rate across every indicator, branch, window and width
    widths: tuple[int, ...] = (1, 7)
    guard: int = 3  # days either side of a window left out of its baseline
    min_reference: int = 12  # baseline windows a test needs
    min_events: float = 30.0  # denominator (or count) a window needs
    min_change: float = 0.5  # relative move of the figure (of a share's bad part)
    peers: bool = True


@dataclass(frozen=True, slots=True)
class _Tests:
    """One width's figures: series × days."""

    width: int
    value: Floats
    baseline: Floats
    spread: Floats
    size: Floats
    p: Floats
    big: np.ndarray  # a practical move on the bad side with enough events


def indicator_anomalies(
    frame: pd.DataFrame,
    specs: Mapping[str, IndicatorSpec],
    calendar: Calendar,
    settings: IndicatorSettings | None = None,
) -> Iterator[Signal]:
    """``frame``: columns ``indicator``, ``branch`` (None for the province), ``day``,
    ``value``, ``numerator``, ``denominator`` — one row per indicator, branch and day with
    data. Indicators not in ``specs`` are ignored."""
    s = settings or IndicatorSettings()
    if frame.empty:
        return
    frame = frame[frame["indicator"].isin(list(specs))]
    keys, value, num, den = _matrices(frame, calendar)
    if not keys:
        return
    kinds = [specs[k[0]].kind for k in keys]
    tested: list[_Tests] = []
    for width in s.widths:
        rows = np.array([width == 1 or kind in ADDITIVE for kind in kinds])
        v, size = _windows(value, num, den, kinds, width)
        v[~rows] = np.nan
        tested.append(_test(keys, specs, v, size, width, calendar, s))
    every = np.concatenate([t.p[:, calendar.watch_index :].ravel() for t in tested])
    reject = benjamini_hochberg(every, s.q)
    flagged = np.zeros(value.shape, bool)
    best = np.ones(value.shape)
    offset = 0
    for t in tested:
        part = t.p[:, calendar.watch_index :]
        r = reject[offset : offset + part.size].reshape(part.shape)
        offset += part.size
        for row, k in zip(*np.nonzero(r), strict=True):
            end = calendar.watch_index + int(k) + 1
            begin = max(end - t.width, calendar.watch_index)
            # Only the days of a week that themselves moved far enough are the signal's days.
            moved = tested[0].big[row, begin:end]
            flagged[row, begin:end] |= moved if moved.any() else True
            best[row, begin:end] = np.minimum(best[row, begin:end], t.p[row, end - 1])
    for row in np.flatnonzero(flagged.any(axis=1)).tolist():
        indicator, branch = keys[row]
        for first, stop in runs(flagged[row]):
            yield _signal(indicator, branch, specs[indicator], tested[0], row, first, stop,
                          float(best[row, first:stop].min()), calendar)  # fmt: skip


def _matrices(
    frame: pd.DataFrame, calendar: Calendar
) -> tuple[list[tuple[str, str | None]], Floats, Floats, Floats]:
    """(indicator, branch) series × calendar days of value, numerator and denominator (NaN
    where the engine had no row)."""
    day = pd.to_datetime(frame["day"]).dt.date
    index = np.array([(d - calendar.days[0]).days for d in day], dtype=np.int64)
    inside = (index >= 0) & (index < calendar.size)
    part = frame.loc[inside]
    branches = part["branch"].astype(object).where(part["branch"].notna(), None)
    tuples = list(zip(part["indicator"].astype(str), branches, strict=True))
    keys = sorted(set(tuples), key=lambda t: (t[0], "" if t[1] is None else str(t[1])))
    position = {k: n for n, k in enumerate(keys)}
    rows = np.array([position[t] for t in tuples], dtype=np.int64)
    cols = index[inside]
    out = []
    for column in ("value", "numerator", "denominator"):
        matrix = np.full((len(keys), calendar.size), np.nan)
        matrix[rows, cols] = pd.to_numeric(part[column], errors="coerce").to_numpy(np.float64)
        out.append(matrix)
    return keys, out[0], out[1], out[2]


def _windows(
    value: Floats, num: Floats, den: Floats, kinds: list[str], width: int
) -> tuple[Floats, Floats]:
    """Each series' figure over the ``width`` days ending on each day, and the events it rests
    on (NaN before a whole window). Counts: a day without a row had none."""
    counts = np.array([k in COUNTS for k in kinds])
    shares = np.array([k in SHARES for k in kinds])
    v = value.copy()
    v[counts] = np.nan_to_num(v[counts], nan=0.0)
    events = np.where(np.isnan(num), v, num)  # a count per customers rests on its count
    if width == 1:
        size = np.where(shares[:, None], den, np.where(counts[:, None], events, np.nan))
        return v, size
    weight = np.where(shares[:, None], np.nan_to_num(den), 1.0)
    weighted = np.nan_to_num(v) * np.where(np.isnan(v), 0.0, weight)
    total = _rolling(weighted, width)
    weights = _rolling(np.where(np.isnan(v), 0.0, weight), width)
    with np.errstate(all="ignore"):
        mean = total / weights
    out = np.where(counts[:, None], total, mean)
    counted = _rolling(np.nan_to_num(events), width)
    size = np.where(shares[:, None], weights, np.where(counts[:, None], counted, np.nan))
    out[:, : width - 1] = np.nan
    out[np.isnan(value).all(axis=1)] = np.nan
    return out, size


def _rolling(x: Floats, width: int) -> Floats:
    c = np.concatenate([np.zeros((x.shape[0], 1)), np.cumsum(x, axis=1)], axis=1)
    out = np.full(x.shape, np.nan)
    out[:, width - 1 :] = c[:, width:] - c[:, :-width]
    return out


def _test(
    keys: list[tuple[str, str | None]],
    specs: Mapping[str, IndicatorSpec],
    v: Floats,
    size: Floats,
    width: int,
    calendar: Calendar,
    s: IndicatorSettings,
) -> _Tests:
    days = v.shape[1]
    kinds = [specs[k[0]].kind for k in keys]
    scales = np.array([specs[k[0]].scale for k in keys])
    directions = [specs[k[0]].direction for k in keys]
    weekend = np.array([d.weekday() >= 5 for d in calendar.days])
    position = np.arange(days)
    baseline = np.full(v.shape, np.nan)
    spread = np.full(v.shape, np.nan)
    n_ref = np.zeros(v.shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        # A tenth of the series' mean keeps a wait that is 0 s on most days from making a
        # 5 s day infinitely surprising on the log scale.
        level = np.nan_to_num(0.1 * np.nanmean(np.abs(v), axis=1), nan=0.0)[:, None]
    for t in range(max(calendar.watch_index - 7, 0), days):
        mask = np.abs(position - t) > s.guard + width - 1
        if width == 1:
            mask &= weekend == weekend[t]
        ref = v[:, mask]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a series without references
            m = row_quantile(ref, 0.5)
            r = _residuals(ref, m[:, None], size[:, mask], kinds, scales, level)
            sd = np.fmax(_robust_spread(r), _sampling_floor(m, scales, kinds, size[:, mask]))
        n_ref[:, t] = np.sum(~np.isnan(ref), axis=1)
        baseline[:, t], spread[:, t] = m, sd
    if s.peers:
        baseline = _with_peers(baseline, v, _peer_groups(keys, kinds), kinds, directions, scales)
    residual = _residuals(v, baseline, size, kinds, scales, level)
    with np.errstate(all="ignore"):
        z = np.where(n_ref >= s.min_reference, residual / spread, np.nan)
    dof = np.maximum(2.0, 0.37 * n_ref)
    p = np.ones(v.shape)
    for row, direction in enumerate(directions):
        zr, d = z[row], dof[row]
        with np.errstate(all="ignore"):
            if direction == "higher":
                pr = stats.t.cdf(zr, d)
            elif direction == "lower":
                pr = stats.t.sf(zr, d)
            else:
                pr = np.minimum(1.0, 2 * stats.t.sf(np.abs(zr), d))
        p[row] = np.where(np.isnan(pr), 1.0, pr)
    big = _practical(v, baseline, size, kinds, directions, scales, s)
    return _Tests(width, v, baseline, spread, size, np.where(big, p, 1.0), big)


def row_quantile(x: Floats, q: float) -> Floats:
    """``np.nanquantile(x, q, axis=1)`` (linear), vectorized: numpy's NaN-aware quantile
    works row by row, and detection asks for a hundred thousand of them."""
    ordered = np.sort(x, axis=1)  # NaN last
    n = np.sum(~np.isnan(x), axis=1)
    position = q * np.maximum(n - 1, 0)
    low = np.floor(position).astype(np.int64)
    high = np.minimum(low + 1, np.maximum(n - 1, 0))
    a = np.take_along_axis(ordered, low[:, None], axis=1)[:, 0]
    b = np.take_along_axis(ordered, high[:, None], axis=1)[:, 0]
    out = a + (b - a) * (position - low)
    return np.asarray(np.where(n > 0, out, np.nan), dtype=np.float64)


def _robust_spread(r: Floats) -> Floats:
    """The larger of 1.4826 × MAD and the root mean square of the residuals cut at their 90th
    percentile: a figure that is perfect on most days and fails in bursts on a few (reminders
    that reach everyone, then a batch that does not) has a MAD near zero, and its bursts must
    not each look like a once-in-a-million day."""
    centre = row_quantile(r, 0.5)[:, None]
    mad = 1.4826 * row_quantile(np.abs(r - centre), 0.5)
    cut = row_quantile(np.abs(r - centre), 0.9)[:, None]
    rms = np.sqrt(np.nanmean(np.clip(r - centre, -cut, cut) ** 2, axis=1))
    return np.asarray(np.fmax(mad, rms), dtype=np.float64)


def _residuals(
    value: Floats, base: Floats, size: Floats, kinds: list[str], scales: Floats, level: Floats
) -> Floats:
    """Departures from the baseline on one scale whatever the window's size (``base``
    broadcasts against ``value``):

    - a share: the difference of log-odds (the empirical logit of the window's events). A
      day's share of long waits in a hall is not binomial — one long service holds up
      everyone behind it, so a few days in a month reach 20–40 % where the median is 5 % — and
      its spread is skewed: symmetric on the log-odds scale, not on the share's;
    - a mean, a percentile, a maximum (waits, durations, scores): the log of the ratio, for
      the same reason (a hall's mean wait is 2 minutes most days and 8 on a few);
    - a count: the log of the ratio too (with one added: no day of none is −∞) — an
      overdispersed count's right tail is far heavier than a normal's around its mean, not
      on the log scale;
    - a difference as it is."""
    ratio = np.array([k == "ratio" for k in kinds])[:, None]
    positive = np.array([k in LOGGED for k in kinds])[:, None]
    counts = np.array([k in COUNTS for k in kinds])[:, None]
    scale = scales[:, None]
    with np.errstate(all="ignore"):
        n = np.fmax(np.nan_to_num(size), 1.0)
        events = np.clip(value / scale, 0.0, 1.0) * n
        logit = np.log((events + 0.5) / (n - events + 0.5))
        share = np.clip(base / scale, 0.5 / n, 1 - 0.5 / n)
        expected = np.log(share / (1 - share))
        diff = value - base
        offset = np.fmax(0.01 * np.abs(base), level) + 1e-9
        log_ratio = np.log((np.fmax(value, 0.0) + offset) / (np.fmax(base, 0.0) + offset))
        per_count = np.log((np.fmax(value, 0.0) + 1.0) / (np.fmax(base, 0.0) + 1.0))
        out = np.where(ratio, logit - expected, np.where(positive, log_ratio, diff))
        out = np.where(counts, per_count, out)
    return np.asarray(out, dtype=np.float64)


def _sampling_floor(m: Floats, scales: Floats, kinds: list[str], size: Floats) -> Floats:
    """The least spread a residual can have: binomial on the log-odds scale for a share (a
    share that was always 100 % still varies with its sample), Poisson for a count."""
    ratio = np.array([k == "ratio" for k in kinds])
    counts = np.array([k in COUNTS for k in kinds])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        n = np.fmax(np.nan_to_num(row_quantile(size, 0.5)), 1.0)
        share = np.clip(np.nan_to_num(m / scales, nan=0.5), 0.5 / n, 1 - 0.5 / n)
    binomial = 1.0 / np.sqrt(n * share * (1 - share))
    poisson = 1.0 / np.sqrt(np.fmax(np.nan_to_num(m), 0.0) + 1.0)
    logged = np.array([k in LOGGED for k in kinds])
    # A wait or a score judged on the log scale moves by at least a tenth from day to day.
    return np.where(ratio, binomial, np.where(counts, poisson, np.where(logged, 0.1, 1e-9)))


def _peer_groups(keys: list[tuple[str, str | None]], kinds: list[str]) -> list[np.ndarray]:
    """Rows of the same indicator in four or more branches (the province is nobody's peer;
    a difference of two means has no bad part to compare)."""
    by_indicator: dict[str, list[int]] = {}
    for row, (indicator, branch) in enumerate(keys):
        if branch is not None and kinds[row] != "difference":
            by_indicator.setdefault(indicator, []).append(row)
    return [np.array(rows) for rows in by_indicator.values() if len(rows) >= 4]


def _with_peers(
    baseline: Floats,
    v: Floats,
    groups: list[np.ndarray],
    kinds: list[str],
    directions: list[str],
    scales: Floats,
) -> Floats:
    """Each window's baseline moved as the indicator's other branches moved on it: their
    median ratio of the window's bad part (failures, for a share that should be high) to
    their baseline's, at least three of them. A bill day that lengthens every queue, or a
    province-wide fault, is then no anomaly of one branch."""
    out = baseline.copy()
    for rows in groups:
        bad_m, bad_v, floor = _bad_parts(baseline[rows], v[rows], rows, kinds, directions, scales)
        with np.errstate(all="ignore"):
            move = (bad_v + floor) / (bad_m + floor)
        for k, row in enumerate(rows.tolist()):
            others = np.delete(move, k, axis=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                common = np.nanmedian(others, axis=0)
            usable = (np.sum(~np.isnan(others), axis=0) >= 3) & ~np.isnan(bad_m[k])
            moved = np.fmax((bad_m[k] + floor[k]) * common - floor[k], 0.0)
            out[row] = np.where(usable, _from_bad(moved, row, kinds, directions, scales),
                                baseline[row])  # fmt: skip
    return out


def _bad_parts(
    m: Floats,
    v: Floats,
    rows: np.ndarray,
    kinds: list[str],
    directions: list[str],
    scales: Floats,
) -> tuple[Floats, Floats, Floats]:
    """A share that should be high is judged by what it misses (scale − value); anything else
    by its value. With the floor that keeps a part that was never seen from dividing by 0."""
    row = int(rows[0])
    if kinds[row] == "ratio" and directions[row] == "higher":
        scale = float(scales[row])
        return scale - m, scale - v, np.full(m.shape, 0.01 * scale)
    floor = 0.01 * (float(np.nanmedian(np.abs(m))) if np.isfinite(m).any() else 1.0)
    return m, v, np.full(m.shape, max(floor, 1e-9))


def _from_bad(
    bad: Floats, row: int, kinds: list[str], directions: list[str], scales: Floats
) -> Floats:
    if kinds[row] == "ratio" and directions[row] == "higher":
        return np.asarray(scales[row] - bad, dtype=np.float64)
    return bad


def _practical(
    v: Floats,
    m: Floats,
    size: Floats,
    kinds: list[str],
    directions: list[str],
    scales: Floats,
    s: IndicatorSettings,
) -> np.ndarray:
    """A move worth a look: the figure (a share's bad part) changes by ``min_change`` of
    itself, on the bad side, resting on enough events."""
    ok = np.zeros(v.shape, bool)
    with np.errstate(all="ignore"):
        for row, (kind, direction) in enumerate(zip(kinds, directions, strict=True)):
            value, base = v[row], m[row]
            if kind == "ratio" and direction == "higher":
                change = ((scales[row] - value) - (scales[row] - base)) / np.fmax(
                    scales[row] - base, 0.01 * scales[row]
                )
            elif kind == "ratio" and direction == "lower":
                change = (value - base) / np.fmax(base, 0.01 * scales[row])
            else:
                change = (value - base) / np.fmax(np.abs(base), 1e-9)
                if direction == "higher":
                    change = -change
                elif direction == "neutral":
                    change = np.abs(change)
            if kind in ADDITIVE:
                enough = size[row] >= s.min_events
            else:  # a percentile that is 0 on an ordinary day (nobody waited) says little
                enough = base > 0 if kind in LOGGED else np.ones(v.shape[1], bool)
            ok[row] = (change >= s.min_change) & enough & ~np.isnan(value) & ~np.isnan(base)
    return ok


def _signal(
    indicator: str,
    branch: str | None,
    spec: IndicatorSpec,
    daily: _Tests,
    row: int,
    first: int,
    stop: int,
    p_value: float,
    calendar: Calendar,
) -> Signal:
    value, base, size = daily.value[row], daily.baseline[row], daily.size[row]
    span = slice(first, stop)
    if spec.kind in COUNTS:
        observed, expected = float(np.nansum(value[span])), float(np.nansum(base[span]))
    elif spec.kind in SHARES and np.nansum(size[span]) > 0:
        w = np.nan_to_num(size[span])
        observed = float(np.nansum(value[span] * w) / w.sum())
        expected = float(np.nansum(base[span] * w) / w.sum())
    else:
        observed, expected = float(np.nanmean(value[span])), float(np.nanmean(base[span]))
    events = float(np.nansum(size[span])) if spec.kind in ADDITIVE else 0.0
    low, high = _band(spec, expected, float(np.nanmean(daily.spread[row, span])))
    start = calendar.days[first]
    lo, hi = max(0, first - 7), min(calendar.size, stop + 7)
    return Signal(
        kind=SignalKind.INDICATOR_ANOMALY,
        place=Place(branch=branch, indicator=indicator),
        start=at_midnight(start),
        end=at_midnight(start) + timedelta(days=stop - first),
        observed=observed,
        expected=expected,
        expected_low=low,
        expected_high=high,
        score=score_of(p_value),
        p_value=p_value,
        evidence_count=round(events) if spec.kind in SHARES else round(observed),
        evidence_source="complaints" if spec.source == "complaints" else "",
        series=tuple(_point(calendar, daily, row, k, spec) for k in range(lo, hi)),
        detail=_detail(indicator, spec),
    )


def _point(
    calendar: Calendar, daily: _Tests, row: int, k: int, spec: IndicatorSpec
) -> tuple[Any, ...]:
    observed = float(np.nan_to_num(daily.value[row, k]))
    expected = float(np.nan_to_num(daily.baseline[row, k]))
    spread = float(np.nan_to_num(daily.spread[row, k]))
    return (calendar.days[k].isoformat(), observed, expected, *_band(spec, expected, spread))


def _band(spec: IndicatorSpec, expected: float, spread: float) -> tuple[float, float]:
    """The central 95 % of the figure around its baseline, back on the figure's own scale."""
    if spec.kind == "ratio":
        share = min(max(expected / spec.scale, 1e-6), 1 - 1e-6)
        centre = float(np.log(share / (1 - share)))
        low, high = (spec.scale / (1 + np.exp(-(centre + z * spread))) for z in (-1.96, 1.96))
        return float(low), float(high)
    if spec.kind in LOGGED:
        return expected * float(np.exp(-1.96 * spread)), expected * float(np.exp(1.96 * spread))
    if spec.kind in COUNTS:
        low, high = ((expected + 1) * float(np.exp(z * spread)) - 1 for z in (-1.96, 1.96))
        return max(low, 0.0), high
    return expected - 1.96 * spread, expected + 1.96 * spread


def _detail(indicator: str, spec: IndicatorSpec) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "family": "catalog",
        "source": spec.source,
        "unit": spec.unit,
        "direction": spec.direction,
    }
