"""The catalog indicator detector on synthetic branch × day series: stationary series of every
kind stay quiet beyond the false-alarm rate, planted shifts are found and named, a day that
moves every branch is nobody's anomaly."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from sqm.tracing.core.detectors import Calendar
from sqm.tracing.core.detectors.indicators import IndicatorSpec, indicator_anomalies
from sqm.tracing.core.signals import SignalKind

FIRST, WATCH, LAST = date(2024, 1, 5), date(2024, 3, 1), date(2024, 3, 31)
CALENDAR = Calendar.span(FIRST, LAST, WATCH)
BRANCHES = [f"B{k:02d}" for k in range(13)]
SPECS = {
    "answer_rate": IndicatorSpec("ratio", "higher", "calls", 100.0, "percent"),
    "walkaway_rate": IndicatorSpec("ratio", "lower", "hall_visits", 100.0, "percent"),
    "mean_wait": IndicatorSpec("mean", "lower", "hall_visits", 1.0, "minutes"),
    "complaints": IndicatorSpec("count", "lower", "complaints", 1.0, "count"),
    "offered": IndicatorSpec("count", "neutral", "calls", 1.0, "count"),
    "wait_p90": IndicatorSpec("percentile", "lower", "calls", 1.0, "seconds"),
}
Row = tuple[str, str, date, float, float | None, float | None]


def _day(
    rng: np.random.Generator, indicator: str, branch: str, day: date, k: int, bursty: bool
) -> Row:
    size = 1 + k / 10  # branches differ in size
    weekend = 0.6 if day.weekday() >= 5 else 1.0
    if indicator in ("answer_rate", "walkaway_rate"):
        n = int(rng.poisson(400 * size * weekend))
        p = 0.93 if indicator == "answer_rate" else 0.04
        if bursty:  # queues: whole days go bad together (a beta-distributed day share)
            p = float(rng.beta(2.0, 2.0 * (1 - p) / p))
        hits = int(rng.binomial(n, p))
        return (indicator, branch, day, 100.0 * hits / n, float(hits), float(n))
    if indicator == "mean_wait":
        n = int(rng.poisson(300 * size * weekend))
        day_mean = 3.0 * float(rng.lognormal(0.0, 0.35 if bursty else 0.1))
        total = float(rng.gamma(n, day_mean))  # the sum of n exponential waits
        return (indicator, branch, day, total / n, total, float(n))
    if indicator == "wait_p90":
        return (indicator, branch, day, 40.0 * float(rng.lognormal(0.0, 0.2)), None, None)
    mean = (20.0 if indicator == "complaints" else 900.0) * size * weekend
    if bursty:
        mean *= float(rng.gamma(8.0, 1 / 8.0))  # overdispersed counts
    n = float(rng.poisson(mean))
    return (indicator, branch, day, n, n, None)


def _series(seed: int, bursty: bool = False) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [
        _day(rng, indicator, branch, day, k, bursty)
        for day in CALENDAR.days
        for indicator in SPECS
        for k, branch in enumerate(BRANCHES)
    ]
    return pd.DataFrame(
        rows, columns=["indicator", "branch", "day", "value", "numerator", "denominator"]
    )


def _set(
    frame: pd.DataFrame, indicator: str, branch: str, days: list[date], **values: float
) -> None:
    where = (
        (frame["indicator"] == indicator) & (frame["branch"] == branch) & frame["day"].isin(days)
    )
    for column, value in values.items():
        frame.loc[where, column] = value


@settings(max_examples=10, deadline=None, derandomize=True)
@given(seed=st.integers(0, 2**31 - 1), bursty=st.booleans())
def test_stationary_indicators_give_no_signal_beyond_the_false_alarm_rate(
    seed: int, bursty: bool
) -> None:
    # 6 indicators × 13 branches × 31 days × 2 widths: at q = 0.01 the false-discovery rate
    # under no change bounds the chance of any signal by 1 %. Bursty series are the halls'
    # case: day shares drawn from a beta, so some days reach several times the median.
    assert list(indicator_anomalies(_series(seed, bursty), SPECS, CALENDAR)) == []


def test_an_answer_rate_that_drops_for_three_days_in_one_branch_is_found_and_named() -> None:
    frame = _series(1)
    days = [date(2024, 3, 12), date(2024, 3, 13), date(2024, 3, 14)]
    where = (
        (frame["indicator"] == "answer_rate") & (frame["branch"] == "B04") & frame["day"].isin(days)
    )
    frame.loc[where, "numerator"] = (0.75 * frame.loc[where, "denominator"]).round()
    frame.loc[where, "value"] = (
        100 * frame.loc[where, "numerator"] / frame.loc[where, "denominator"]
    )
    found = list(indicator_anomalies(frame, SPECS, CALENDAR))
    assert [(s.place.indicator, s.place.branch) for s in found] == [("answer_rate", "B04")]
    signal = found[0]
    assert signal.kind is SignalKind.INDICATOR_ANOMALY
    assert (signal.start, signal.end) == (datetime(2024, 3, 12), datetime(2024, 3, 15))
    assert signal.observed < 80 < signal.expected_low < signal.expected
    assert signal.p_value is not None and signal.p_value < 1e-6
    assert signal.detail["family"] == "catalog" and signal.detail["source"] == "calls"
    assert signal.series[0][0] == "2024-03-05"


def test_a_week_of_four_fifths_more_complaints_is_found_by_the_weekly_window() -> None:
    frame = _series(2)
    days = [date(2024, 3, 18) + timedelta(days=k) for k in range(7)]
    where = (
        (frame["indicator"] == "complaints") & (frame["branch"] == "B09") & frame["day"].isin(days)
    )
    frame.loc[where, "value"] = (frame.loc[where, "value"] * 1.8).round()
    frame.loc[where, "numerator"] = frame.loc[where, "value"]
    found = list(indicator_anomalies(frame, SPECS, CALENDAR))
    assert {(s.place.indicator, s.place.branch) for s in found} == {("complaints", "B09")}
    assert all(datetime(2024, 3, 18) <= s.start and s.end <= datetime(2024, 3, 25) for s in found)


def test_a_day_that_moves_every_branch_is_no_branch_anomaly() -> None:
    frame = _series(3)
    where = (frame["indicator"] == "mean_wait") & (frame["day"] == date(2024, 3, 4))
    frame.loc[where, "value"] *= 3.0
    frame.loc[where, "numerator"] *= 3.0
    assert list(indicator_anomalies(frame, SPECS, CALENDAR)) == []
    # …while the same day in one branch alone is.
    alone = _series(3)
    one = where & (alone["branch"] == "B02")
    alone.loc[one, "value"] *= 3.0
    alone.loc[one, "numerator"] *= 3.0
    found = list(indicator_anomalies(alone, SPECS, CALENDAR))
    assert [(s.place.indicator, s.place.branch, s.start) for s in found] == [
        ("mean_wait", "B02", datetime(2024, 3, 4))
    ]


def test_a_better_figure_is_no_anomaly_and_a_neutral_one_counts_both_ways() -> None:
    frame = _series(4)
    day = [date(2024, 3, 20)]
    _set(frame, "walkaway_rate", "B06", day, value=0.0, numerator=0.0)  # nobody walked away
    _set(frame, "offered", "B07", day, value=150.0, numerator=150.0)  # calls collapsed
    found = list(indicator_anomalies(frame, SPECS, CALENDAR))
    assert [(s.place.indicator, s.place.branch) for s in found] == [("offered", "B07")]


def test_indicators_without_a_spec_and_an_empty_frame_give_nothing() -> None:
    frame = _series(5)
    assert list(indicator_anomalies(frame, {}, CALENDAR)) == []
    assert list(indicator_anomalies(frame.iloc[0:0], SPECS, CALENDAR)) == []
