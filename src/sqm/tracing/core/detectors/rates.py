"""Indicator anomalies (指标异常): a rate series of one place (an IVR node, a hall, a channel)
that breaks from its own history and from its peers at the same time.

Each row is one place in one time bucket (a day or an hour) with a numerator and a
denominator (looped calls / calls through the node, long waits / visits, failed / requests).
The expected rate is the place's own rate outside a guard band around the bucket, scaled by
how much the *other* places moved in that bucket against their own usual rate (a bill day
that lengthens every hall's queue is no anomaly of one hall). The bucket's numerator is tested
with a binomial upper tail; Benjamini–Hochberg controls false discoveries over every place and
bucket; flagged buckets of a place that follow each other (gaps up to ``join`` buckets) make
one signal.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqm.tracing.core.detectors.indicators import row_quantile
from sqm.tracing.core.detectors.stats import benjamini_hochberg, binomial_upper, score_of
from sqm.tracing.core.signals import Place, Signal, SignalKind

MIN_SPREAD = 0.005  # a place whose rate never moves still is not exact (arcsine scale)
DOF_SHARE = 1.0  # degrees of freedom per day the spread is measured on (a t, not a normal)


@dataclass(frozen=True, slots=True)
class RateSettings:
    q: float = 0.01
    min_events: int = 5  # numerator events a bucket needs to be a signal
    min_ratio: float = 2.0
    guard: int = 3  # buckets either side left out of the place's own baseline
    join: int = 1  # flagged buckets this far apart are one episode
    min_buckets: int = 1  # flagged buckets an episode needs (queues have heavy-tailed days)
    peers: bool = True  # scale by the other places' movement in the bucket
    window: int = 1  # buckets of a second, summed test (1: none)


def rate_anomalies(
    frame: pd.DataFrame,
    place_column: str,
    bucket: timedelta,
    watch_from: datetime,
    make_place: Any,
    indicator: str,
    source: str,
    settings: RateSettings | None = None,
) -> Iterator[Signal]:
    """``frame``: columns ``at`` (bucket start), ``place_column``, ``num``, ``den``."""
    s = settings or RateSettings()
    if frame.empty:
        return
    data = frame.groupby([place_column, "at"], as_index=False)[["num", "den"]].sum()
    data = data[data["den"] > 0]
    places = sorted(data[place_column].unique().tolist(), key=str)
    times = pd.DatetimeIndex(sorted(data["at"].unique()))
    p_index = {p: k for k, p in enumerate(places)}
    num = np.zeros((len(places), len(times)))
    den = np.zeros_like(num)
    rows = data[place_column].map(p_index).to_numpy()
    cols = times.get_indexer(pd.DatetimeIndex(data["at"]))
    num[rows, cols] = data["num"].to_numpy(np.float64)
    den[rows, cols] = data["den"].to_numpy(np.float64)
    classes = _day_classes(times) if bucket >= timedelta(days=1) else np.zeros(len(times), int)

    expected_rate, spread, dof, factor = _expected_rate(num, den, np.asarray(classes), s)
    expected = expected_rate * den
    # A rate's day-to-day spread is often far wider than binomial and skewed (one long service
    # holds up everyone behind it: a hall whose median day has 5 % long waits has a few days a
    # month at 20–40 %). The test is on the arcsine-square-root scale, where that spread is
    # nearly symmetric,
    # with the place's robust spread (Student's t: it is measured on a few weeks of days); the
    # bucket must also be improbable as a binomial count, which is what a rare event (a loop
    # that never happens) is judged by.
    sd = np.maximum(spread, MIN_SPREAD)
    with np.errstate(all="ignore"):
        residual = np.where(den > 0, _stabilized(num, den) - _stabilized_of(expected_rate), 0.0)
    p = np.maximum(stats.t.sf(residual / sd, dof), binomial_upper(num, den, expected_rate))
    watch = np.asarray(times >= pd.Timestamp(watch_from))
    big = (num >= s.min_events) & (num >= s.min_ratio * expected) & watch[None, :]
    tests = [np.where(big, p, 1.0)]
    if s.window > 1:
        # A week of buckets: a place whose every day is a little worse (a hall with half its
        # counters closed) is found although no single day of its bursty series stands out.
        # Its baseline leaves out the week and a guard band around it, or a week-long
        # incident in a month without history would be a third of its own baseline.
        w_num, w_den = (_rolling(x, s.window) for x in (num, den))
        w_z, w_exp, w_dof = _guarded_window(num, den, classes, factor, watch, s)
        with np.errstate(all="ignore"):
            w_p = np.maximum(
                stats.t.sf(w_z, w_dof),
                binomial_upper(w_num, w_den, w_exp / np.maximum(w_den, 1)),
            )
        w_big = (w_num >= s.min_events) & (w_num >= s.min_ratio * w_exp) & watch[None, :]
        tests.append(np.where(w_big, np.nan_to_num(w_p, nan=1.0), 1.0))
    rejected = benjamini_hochberg(np.concatenate(tests, axis=1), s.q)
    reject = rejected[:, : len(times)].copy()
    if s.window > 1:
        worse = big | ((num >= s.min_ratio * expected) & watch[None, :])
        for k, t in zip(*np.nonzero(rejected[:, len(times) :]), strict=True):
            days = slice(max(int(t) - s.window + 1, 0), int(t) + 1)
            reject[k, days] |= worse[k, days] if worse[k, days].any() else True
    for k in np.flatnonzero(reject.any(axis=1)).tolist():
        for first, last in _episodes(np.flatnonzero(reject[k]), times, bucket, s.join):
            if int(reject[k, first : last + 1].sum()) < s.min_buckets:
                continue
            span = (times >= times[first]) & (times <= times[last])
            observed = float(num[k, span].sum())
            exp = float(expected[k, span].sum())
            total = float(den[k, span].sum())
            episode_p = float(p[k, span].min())
            low, high = stats.binom.interval(0.95, int(total), min(exp / total, 1.0))
            context = (times >= times[first] - 6 * bucket) & (times <= times[last] + 6 * bucket)
            yield Signal(
                kind=SignalKind.INDICATOR_ANOMALY,
                place=replace(make_place(places[k]), indicator=indicator),
                start=times[first].to_pydatetime(),
                end=(times[last] + bucket).to_pydatetime(),
                observed=observed,
                expected=exp,
                expected_low=float(low),
                expected_high=float(high),
                score=score_of(episode_p),
                p_value=episode_p,
                evidence_count=int(observed),
                evidence_source=source,
                series=tuple(
                    (
                        times[j].isoformat(),
                        float(num[k, j]),
                        float(expected[k, j]),
                        *_band(den[k, j], expected_rate[k, j]),
                    )
                    for j in np.flatnonzero(context).tolist()
                ),
                detail={
                    "indicator": indicator,
                    "rate": observed / total,
                    "expected_rate": exp / total,
                    "events": int(total),
                },
            )


def _rolling(x: np.ndarray, width: int) -> np.ndarray:
    """Sums over the ``width`` buckets ending at each bucket (fewer at the start)."""
    c = np.cumsum(x, axis=1)
    out = c.copy()
    out[:, width:] = c[:, width:] - c[:, :-width]
    return out


def _stabilized(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """A bucket's rate on the arcsine-square-root scale (Anscombe's 3/8), where a binomial
    share's spread no longer depends on its level and a skewed day-to-day spread is nearly
    symmetric. (The log-odds were tried: a hall day without a single long wait sits at
    logit(0.5/150) ≈ −5.7, and those days made a hall's spread as wide as its bursts, so a
    week at half the counters no longer stood out.)"""
    return np.asarray(np.arcsin(np.sqrt((num + 0.375) / (den + 0.75))))


def _stabilized_of(rate: np.ndarray) -> np.ndarray:
    return np.asarray(np.arcsin(np.sqrt(np.clip(rate, 0.0, 1.0))))


def _class_medians(
    rate: np.ndarray, stable: np.ndarray, classes: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per place, the median rate of each class's buckets, the robust spread of their
    values on the arcsine scale (1.4826 × MAD), and the degrees of freedom that spread is worth."""
    own = np.zeros_like(rate)
    spread = np.zeros_like(rate)
    dof = np.full_like(rate, 2.0)
    for c in np.unique(classes).tolist():
        mask = classes == c
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a place with no bucket of a class
            median = np.nanmedian(rate[:, mask], axis=1)
            part = stable[:, mask]
            centre = np.nanmedian(part, axis=1)[:, None]
            deviation = np.abs(part - centre)
            mad = 1.4826 * np.nanmedian(deviation, axis=1)
        own[:, mask] = np.nan_to_num(median, nan=0.0)[:, None]
        spread[:, mask] = np.nan_to_num(mad, nan=0.0)[:, None]
        dof[:, mask] = np.maximum(2.0, DOF_SHARE * np.sum(~np.isnan(part), axis=1))[:, None]
    return own, spread, dof


def _day_classes(times: pd.DatetimeIndex) -> np.ndarray:
    """Days that behave alike: weekdays, and weekends. (Finer classes — bill days, month
    ends — were tried: with two months of history each holds a handful of days, and a
    week-long incident then becomes its own baseline; recall of understaffed halls fell.)"""
    return np.asarray(times.day_of_week >= 5, dtype=np.int64)


def _band(n: float, rate: float) -> tuple[float, float]:
    low, high = stats.binom.interval(0.95, int(n), min(max(rate, 0.0), 1.0))
    return float(low), float(high)


def _expected_rate(
    num: np.ndarray, den: np.ndarray, classes: np.ndarray, s: RateSettings
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per place and bucket: the expected rate — the median of the place's own rates on
    buckets of the same class (weekday or weekend), × the median movement of the other places
    in that bucket — the robust spread of its arcsine-scale values (the same class), its degrees of
    freedom, and that movement."""
    places, _buckets = num.shape
    with np.errstate(all="ignore"):
        rate = np.where(den > 0, num / den, np.nan)
        stable = np.where(den > 0, _stabilized(num, den), np.nan)
    own, spread, dof = _class_medians(rate, stable, classes)
    # Half an event of prior keeps a never-failing place from expecting exactly zero.
    own = np.maximum(own, 0.5 / np.maximum(np.nansum(den, axis=1, keepdims=True), 1.0))
    factor = np.ones_like(num)
    if s.peers and places >= 3:
        movement = np.where(den > 0, (num + 5.0) / (own * den + 5.0), np.nan)
        factor = np.ones_like(num)
        for k in range(places):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                common = np.nanmedian(np.delete(movement, k, axis=0), axis=0)
            factor[k] = np.nan_to_num(common, nan=1.0)
        factor = np.clip(factor, 0.33, 3.0)
    own = own * factor
    return np.asarray(np.clip(own, 1e-6, 0.999), dtype=np.float64), spread, dof, factor


def _guarded_window(
    num: np.ndarray,
    den: np.ndarray,
    classes: np.ndarray,
    factor: np.ndarray,
    watch: np.ndarray,
    s: RateSettings,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the ``s.window`` buckets ending at each watched bucket: the sum of the buckets'
    arcsine-scale departures over the root of their summed variances (z), the events expected and
    the degrees of freedom — against each class's median and MAD over the buckets outside
    the window and ``s.guard`` buckets either side, times the peers' movement."""
    places, buckets = num.shape
    with np.errstate(all="ignore"):
        rate = np.where(den > 0, num / den, np.nan)
        stable = np.where(den > 0, _stabilized(num, den), np.nan)
    prior = 0.5 / np.maximum(np.nansum(den, axis=1), 1.0)
    z = np.full((places, buckets), np.nan)
    expected = np.zeros((places, buckets))
    dof = np.full((places, buckets), 2.0)
    index = np.arange(buckets)
    for t in np.flatnonzero(watch).tolist():
        first = max(t - s.window + 1, 0)
        outside = (index < first - s.guard) | (index > t + s.guard)
        total, variance, seen = np.zeros(places), np.zeros(places), np.full(places, np.inf)
        for c in np.unique(classes[first : t + 1]).tolist():
            reference = outside & (classes == c)
            days = np.flatnonzero(classes[first : t + 1] == c) + first
            centre = row_quantile(stable[:, reference], 0.5)
            mad = 1.4826 * row_quantile(np.abs(stable[:, reference] - centre[:, None]), 0.5)
            own = np.fmax(np.nan_to_num(row_quantile(rate[:, reference], 0.5)), prior)
            rate_c = np.clip(own[:, None] * factor[:, days], 1e-6, 0.999)
            present = den[:, days] > 0
            with np.errstate(all="ignore"):
                departure = np.where(present, stable[:, days] - _stabilized_of(rate_c), 0.0)
            total += departure.sum(axis=1)
            sd = np.fmax(np.nan_to_num(mad, nan=np.inf), MIN_SPREAD)
            variance += present.sum(axis=1) * sd**2
            expected[:, t] += (rate_c * den[:, days]).sum(axis=1)
            seen = np.minimum(seen, np.sum(~np.isnan(stable[:, reference]), axis=1))
        with np.errstate(all="ignore"):
            z[:, t] = np.where(variance > 0, total / np.sqrt(variance), np.nan)
        dof[:, t] = np.maximum(2.0, DOF_SHARE * np.where(np.isfinite(seen), seen, 0))
    return z, expected, dof


def _episodes(
    flagged: np.ndarray, times: pd.DatetimeIndex, bucket: timedelta, join: int
) -> list[tuple[int, int]]:
    """(first, last) bucket indices of flagged runs, joining gaps of up to ``join`` buckets."""
    found: list[tuple[int, int]] = []
    for k in flagged.tolist():
        if found and times[k] - times[found[-1][1]] <= (join + 1) * bucket:
            found[-1] = (found[-1][0], k)
        else:
            found.append((k, k))
    return found


def ivr_node_anomalies(
    nodes: pd.DataFrame, watch_from: datetime, settings: RateSettings | None = None
) -> Iterator[Signal]:
    """``nodes``: (at = day, node, calls, looped, trapped). A node whose calls come back to it
    (the path repeats the node) or get trapped in the IVR far more than usual."""
    for column, indicator in (("looped", "ivr_node_loop_share"), ("trapped", "ivr_trapped_share")):
        frame = nodes.rename(columns={column: "num", "calls": "den"})[["at", "node", "num", "den"]]
        yield from rate_anomalies(
            frame, "node", timedelta(days=1), watch_from, lambda n: Place(node=str(n)),
            indicator, "calls", settings,
        )  # fmt: skip


def hall_anomalies(
    halls: pd.DataFrame, watch_from: datetime, settings: RateSettings | None = None
) -> Iterator[Signal]:
    """``halls``: (at = day, hall, branch, visits, long_waits). A hall whose visitors wait
    over ten minutes far more often than on its other days, beyond what the other halls saw."""
    branch_of = dict(zip(halls["hall"], halls["branch"], strict=False))
    frame = halls.rename(columns={"long_waits": "num", "visits": "den"})
    yield from rate_anomalies(
        frame[["at", "hall", "num", "den"]], "hall", timedelta(days=1), watch_from,
        lambda h: Place(branch=branch_of.get(h), hall=str(h)), "hall_wait_over_10_min_share",
        "hall_visits", settings or RateSettings(join=2, min_ratio=4.0, min_buckets=2, window=7),
    )  # fmt: skip


def channel_anomalies(
    requests: pd.DataFrame, watch_from: datetime, settings: RateSettings | None = None
) -> Iterator[Signal]:
    """``requests``: (at = hour, channel, requests, failed). A channel failing far more often
    than usual in an hour: an outage. Peers are not used — one channel's outage is its own."""
    frame = requests.rename(columns={"failed": "num", "requests": "den"})
    yield from rate_anomalies(
        frame[["at", "channel", "num", "den"]], "channel", timedelta(hours=1), watch_from,
        lambda c: Place(channel=str(c)), "echannel_failure_share", "echannel",
        settings or RateSettings(min_ratio=3.0, guard=2, peers=False),
    )  # fmt: skip
