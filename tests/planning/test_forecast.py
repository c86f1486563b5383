"""The interval forecast recovers a planted weekday × interval profile and its month-end and
billing-day factors, shrinks what thin data cannot support, beats the seasonal-naive
baseline on noisy data, and forecasts the real Anonymous Bank call centre's held-back weeks
better than "the same interval last week"."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from sqm.planning.core.forecast import (
    Calendar,
    History,
    backtest,
    fit,
    seasonal_naive,
)
from tests.conftest import dataset

START = pd.Timestamp("2024-01-01")  # a Monday
DAILY = np.array([1000.0, 950.0, 900.0, 950.0, 1100.0, 500.0, 300.0])  # Monday first
MONTH_END, BILLING = 1.4, 1.2
CALENDAR = Calendar(month_end_days=3, billing_days=(1, 15), billing_window_days=3)
SLOTS = 48  # 30-minute intervals


def _shape(peaks: list[tuple[float, float]]) -> np.ndarray:
    hours = (np.arange(SLOTS) + 0.5) / 2
    bumps = sum(np.exp(-0.5 * ((hours - c) / w) ** 2) for c, w in peaks)
    shape = np.where((hours >= 8) & (hours < 20), bumps, 0.0)
    return np.asarray(shape / shape.sum())


WORKDAY = _shape([(10.5, 1.5), (15.0, 2.0)])
WEEKEND = _shape([(13.0, 2.5)])
SHAPES = np.array([WORKDAY] * 5 + [WEEKEND] * 2)
AHT = {"vip": 200.0, "ordinary": 300.0}


def _expected(days: pd.DatetimeIndex, scale: float = 1.0) -> np.ndarray:
    month_end, billing = CALENDAR.flags(days)
    level = DAILY[days.day_of_week] * scale * np.where(month_end, MONTH_END, 1.0)
    level = level * np.where(billing, BILLING, 1.0)
    return np.asarray(level[:, None] * SHAPES[days.day_of_week])


def _events(
    weeks: int, *, seed: int, scale: float = 1.0, day_cv: float = 0.0
) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray, pd.DatetimeIndex]:
    """Calls drawn from the planted profile: a day-level gamma swing of ``day_cv`` (real
    days are busier or quieter as a whole), Poisson counts per interval, uniform times within
    it; 30% VIP, each tier with its own exponential handling time."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(START, periods=7 * weeks, freq="D")
    rate = _expected(days, scale)
    if day_cv > 0:
        rate *= rng.gamma(1 / day_cv**2, day_cv**2, size=(len(days), 1))
    counts = rng.poisson(rate).reshape(-1)
    slot_start = days.repeat(SLOTS) + pd.to_timedelta(
        np.tile(np.arange(SLOTS) * 30, len(days)), "min"
    )
    offsets = pd.to_timedelta(rng.uniform(0, 1800, counts.sum()), "s")
    arrival = slot_start.repeat(counts) + offsets
    tier = np.where(rng.random(counts.sum()) < 0.3, "vip", "ordinary")
    handle = rng.exponential(np.where(tier == "vip", AHT["vip"], AHT["ordinary"]))
    return arrival, tier, handle, days


@pytest.fixture(scope="module")
def planted() -> History:
    arrival, tier, handle, _ = _events(20, seed=7)
    return History.from_events(arrival, handle_s=handle, tier=tier, interval_minutes=30)


def test_the_weekday_levels_and_intraday_shapes_are_recovered(planted: History) -> None:
    """Twenty weeks at ~900 calls a day: each weekday's ordinary-day volume within 3% and
    its intraday shape within 0.04 total-variation distance of the planted ones."""
    model = fit(planted, CALENDAR)
    np.testing.assert_allclose(model.total.daily, DAILY, rtol=0.03)
    distance = 0.5 * np.abs(model.total.shape - SHAPES).sum(axis=1)
    assert distance.max() < 0.04


def test_the_month_end_and_billing_day_factors_are_recovered(planted: History) -> None:
    """~14 month-end and ~27 billing days in history: both factors within ±0.04."""
    model = fit(planted, CALENDAR)
    assert model.total.month_end == pytest.approx(MONTH_END, abs=0.04)
    assert model.total.billing == pytest.approx(BILLING, abs=0.04)


def test_tiers_get_their_share_and_handling_time_and_sum_to_the_total(planted: History) -> None:
    model = fit(planted, CALENDAR)
    days = pd.date_range("2024-06-01", periods=14, freq="D")
    calls, aht = model.predict_arrays(days)
    total = model.total.expected(np.asarray(days.day_of_week, np.int64), *CALENDAR.flags(days))
    np.testing.assert_allclose(calls.sum(axis=0), total, rtol=1e-9)
    vip = list(model.groups).index(("vip", "all"))
    assert calls[vip].sum() / calls.sum() == pytest.approx(0.3, abs=0.01)
    busy = calls[vip] > 5  # intervals with enough calls behind their handling time
    assert np.median(aht[vip][busy]) == pytest.approx(AHT["vip"], rel=0.05)
    ordinary = list(model.groups).index(("ordinary", "all"))
    assert np.median(aht[ordinary][calls[ordinary] > 5]) == pytest.approx(300.0, rel=0.05)


def test_the_prediction_table_has_one_row_per_interval_and_group(planted: History) -> None:
    table = fit(planted, CALENDAR).predict("2024-06-03 08:00", days=2)
    assert list(table.columns) == ["start", "tier", "queue", "calls", "aht_s"]
    assert len(table) == 2 * SLOTS * 2
    assert table["start"].min() == pd.Timestamp("2024-06-03")
    assert set(table["tier"]) == {"vip", "ordinary"}


def test_a_month_end_never_seen_leaves_the_forecast_unchanged() -> None:
    arrival, *_ = _events(3, seed=1)  # 1–21 January: no month end
    history = History.from_events(arrival, interval_minutes=30)
    model = fit(history, CALENDAR)
    assert model.total.month_end == 1.0


def test_a_thin_noisy_month_end_is_shrunk_toward_one() -> None:
    """Five calls a day, one month end seen: the factor keeps only part of what those three
    days show, while a busy history with the same planted effect keeps nearly all of it."""
    arrival, *_ = _events(5, seed=3, scale=0.005, day_cv=0.3)
    thin = History.from_events(arrival, interval_minutes=30)
    model = fit(thin, CALENDAR, outlier_sigma=None)
    month_end, _ = CALENDAR.flags(thin.days)
    seen = thin.counts.sum(axis=(0, 2))[month_end].sum()
    ordinary = (
        model.total.expected(
            np.asarray(thin.days.day_of_week, np.int64), *CALENDAR.flags(thin.days)
        )
        .sum(axis=1)[month_end]
        .sum()
        / model.total.month_end
    )
    raw = seen / ordinary
    assert abs(np.log(model.total.month_end)) < 0.7 * abs(np.log(raw))
    busy = fit(History.from_events(_events(5, seed=3)[0], interval_minutes=30), CALENDAR)
    assert busy.total.month_end == pytest.approx(MONTH_END, abs=0.08)


def test_a_one_off_burst_is_not_forecast_every_week() -> None:
    arrival, *_ = _events(4, seed=5)
    burst = pd.DatetimeIndex([pd.Timestamp("2024-01-10 14:10")] * 400)
    history = History.from_events(arrival.append(burst), interval_minutes=30)
    calls, _ = fit(history, CALENDAR).predict_arrays(pd.DatetimeIndex(["2024-01-31"]))
    assert calls[0, 0, 28] < 1.3 * _expected(pd.DatetimeIndex(["2024-01-31"]))[0, 28]


def test_it_beats_seasonal_naive_on_noisy_data() -> None:
    """Eight weeks at ~250 calls a day with a ±15% day-level swing, two weeks held back:
    the profile forecast's WAPE is at least 20% lower than last week's repeat."""
    arrival, tier, handle, _ = _events(10, seed=11, scale=0.25, day_cv=0.15)
    history = History.from_events(arrival, handle_s=handle, tier=tier, interval_minutes=30)
    result = backtest(history, holdout_weeks=2, calendar=CALENDAR)
    assert result.total.wape < 0.8 * result.total.naive_wape
    assert result.total.mape < result.total.naive_mape
    assert result.groups.wape < result.groups.naive_wape
    assert len(result.holdout) == 14


def test_seasonal_naive_repeats_the_last_week_of_history(planted: History) -> None:
    naive = seasonal_naive(planted, 10)
    np.testing.assert_array_equal(naive[:, :7], planted.counts[:, -7:])
    np.testing.assert_array_equal(naive[:, 7:], planted.counts[:, -7:-4])


def test_pyarrow_and_timezone_aware_inputs_count_the_same() -> None:
    arrival, tier, handle, _ = _events(1, seed=2)
    plain = History.from_events(arrival, handle_s=handle, tier=tier, interval_minutes=15)
    shanghai = arrival.tz_localize("Asia/Shanghai")
    arrow = History.from_events(
        pa.array(shanghai),
        handle_s=pa.array(handle),
        tier=pa.array(tier),
        interval_minutes=15,
    )
    np.testing.assert_array_equal(plain.counts, arrow.counts)
    np.testing.assert_allclose(plain.handle_sum, arrow.handle_sum)
    assert plain.counts.shape == (2, 7, 96)


def test_an_interval_that_does_not_divide_the_day_is_refused() -> None:
    with pytest.raises(ValueError, match="divide the day"):
        History.from_events(pd.DatetimeIndex(["2024-01-01 10:00"]), interval_minutes=7)


def _bank() -> History:
    """Anonymous Bank, February 1999 (Mon 1 – Sun 28): every call that reached the VRU, by
    priority (tier) and call type (queue); handling time of calls served by an agent.
    PHANTOM records are not calls and are dropped."""
    path = dataset("callcenter_anonymous_bank/anonymous_bank_february_1999.tsv")
    calls = pd.read_csv(path, sep="\t")
    calls = calls[calls["outcome"] != "PHANTOM"]
    arrival = pd.to_datetime(
        calls["date"].astype(str) + " " + calls["vru_entry"], format="%y%m%d %H:%M:%S"
    )
    served = np.where(calls["outcome"] == "AGENT", calls["ser_time"], np.nan)
    return History.from_events(
        arrival,
        handle_s=served,
        tier=calls["priority"],
        queue=calls["type"],
        interval_minutes=30,
    )


@pytest.mark.parametrize(
    ("holdout_weeks", "bound"),
    # Measured: 1 week 0.250 (naive 0.279); 2 weeks 0.272 (naive 0.363). A Poisson draw
    # from a perfect forecast would still score ~0.15 at these volumes (~40 calls/half hour).
    [(1, 0.27), (2, 0.29)],
)
def test_the_bank_call_centres_held_back_weeks_beat_last_weeks_repeat(
    holdout_weeks: int, bound: float
) -> None:
    history = _bank()
    assert len(history.days) == 28
    result = backtest(history, holdout_weeks=holdout_weeks)
    assert result.total.wape < bound
    assert result.total.wape < result.total.naive_wape
    assert result.total.mape < result.total.naive_mape
    assert result.groups.wape < result.groups.naive_wape
    # Handling times: the fitted mean over served calls is the data's (~176 s).
    calls, aht = result.model.predict_arrays(result.holdout)
    mean_aht = float((aht * calls).sum() / calls.sum())
    assert 140 < mean_aht < 210
