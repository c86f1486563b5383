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

from sqm.tracing.core.detectors.stats import benjamini_hochberg, binomial_upper, score_of
from sqm.tracing.core.signals import Place, Signal, SignalKind


@dataclass(frozen=True, slots=True)
class RateSettings:
    q: float = 0.01
    min_events: int = 5  # numerator events a bucket needs to be a signal
    min_ratio: float = 2.0
    guard: int = 3  # buckets either side left out of the place's own baseline
    join: int = 1  # flagged buckets this far apart are one episode
    min_buckets: int = 1  # flagged buckets an episode needs (queues have heavy-tailed days)
    peers: bool = True  # scale by the other places' movement in the bucket


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

    expected_rate, spread = _expected_rate(num, den, np.asarray(classes), s)
    expected = expected_rate * den
    # A rate's day-to-day spread is often far wider than binomial (a queue that builds up makes
    # many long waits at once): the test uses the wider of the place's robust spread and the
    # binomial one, and the bucket must also be improbable as a binomial count.
    with np.errstate(all="ignore"):
        binomial_sd = np.sqrt(expected_rate * (1 - expected_rate) / np.maximum(den, 1.0))
        z = (num / np.maximum(den, 1.0) - expected_rate) / np.maximum(spread, binomial_sd)
    p = np.maximum(stats.norm.sf(z), binomial_upper(num, den, expected_rate))
    watch = np.asarray(times >= pd.Timestamp(watch_from))
    big = (num >= s.min_events) & (num >= s.min_ratio * expected) & watch[None, :]
    reject = benjamini_hochberg(np.where(big, p, 1.0), s.q)
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


def _class_medians(rate: np.ndarray, classes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per place, the median rate of each class's buckets and 1.4826 × their MAD."""
    own = np.zeros_like(rate)
    spread = np.zeros_like(rate)
    for c in np.unique(classes).tolist():
        mask = classes == c
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a place with no bucket of a class
            median = np.nanmedian(rate[:, mask], axis=1)
            mad = np.nanmedian(np.abs(rate[:, mask] - median[:, None]), axis=1)
        own[:, mask] = np.nan_to_num(median, nan=0.0)[:, None]
        spread[:, mask] = (1.4826 * np.nan_to_num(mad, nan=0.0))[:, None]
    return own, spread


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
) -> tuple[np.ndarray, np.ndarray]:
    """Per place and bucket: the expected rate — the median of the place's own rates on
    buckets of the same class (weekday or weekend), × the median movement of the other places
    in that bucket — and the rate's robust spread (1.4826 × MAD, the same class)."""
    places, _buckets = num.shape
    with np.errstate(all="ignore"):
        rate = np.where(den > 0, num / den, np.nan)
    own, spread = _class_medians(rate, classes)
    # Half an event of prior keeps a never-failing place from expecting exactly zero.
    own = np.maximum(own, 0.5 / np.maximum(np.nansum(den, axis=1, keepdims=True), 1.0))
    if s.peers and places >= 3:
        movement = np.where(den > 0, (num + 5.0) / (own * den + 5.0), np.nan)
        factor = np.ones_like(num)
        for k in range(places):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                common = np.nanmedian(np.delete(movement, k, axis=0), axis=0)
            factor[k] = np.nan_to_num(common, nan=1.0)
        own = own * np.clip(factor, 0.33, 3.0)
    return np.asarray(np.clip(own, 1e-6, 0.999), dtype=np.float64), spread


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
        "hall_visits", settings or RateSettings(join=2, min_ratio=4.0, min_buckets=2),
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
