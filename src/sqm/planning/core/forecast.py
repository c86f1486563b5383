"""Forecast of arrivals and mean handling times per interval, per tier and queue (issue 5, part 1).

Input is plain arrays, one element per call or hall visit: arrival timestamps (naive local
time, or time-zone aware and read in their own local time), optional tier and queue labels
and the handling seconds of served contacts (NaN for abandoned ones). NumPy, pandas and
pyarrow arrays are all accepted, so the event store can feed the ``calls`` and
``hall_visits`` sources straight in.

Model, for one series (the total, or one tier × queue group), expected arrivals on day d in
interval s of the day::

    λ(d, s) = daily[weekday(d)] · month_end^[d in the month's last days]
              · billing^[d within the window after a bill day] · shape[weekday(d), s]

- ``daily`` is the mean arrivals of an ordinary day of that weekday and ``shape`` the
  intraday shares (each row sums to 1): the weekday × interval seasonality.
- The month-end and billing-day factors multiply whole days: VP speech 2010 describes customers
  crowding halls and the hotline after the bill, and the staggered-billing planner needs that
  effect as a number. They are estimated jointly with ``daily`` by backfitting.

Shrinkage, because history is short (a few weeks) and groups are thin:
- a weekday's intraday shape is pulled toward the shape of all days (``shape_calls``
  pseudo-calls), and a group's toward the total's shape of that weekday;
- a calendar factor is shrunk in log space toward its prior (1 for the total, the total's
  factor for a group) by normal–normal empirical Bayes: the log-ratio of n flagged days has
  noise variance s² / n, s² measured on the ordinary days around them, and the effect a
  prior spread ``effect_sd``; the estimate keeps the share τ² / (τ² + s² / n). A month end
  seen once in a noisy, thin history moves the forecast a little, one never seen not at all,
  and many clean month ends are believed in full;
- a mean handling time goes weekday × interval → interval → group → all, each level pulled
  toward the one above by ``handle_calls`` pseudo-calls.

Groups are reconciled top-down: the total's forecast, which has the most data, is split
among groups in proportion to their own forecasts, so groups sum exactly to the total.

:func:`backtest` holds the last weeks back, forecasts them from the weeks before and reports
WAPE and MAPE beside the seasonal-naive forecast ("the same interval in the last week of
history"), the baseline any forecast must beat to earn its keep.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]

ALL = "all"  # the label of a tier or queue when none is given
_BACKFIT_ROUNDS = 20
_CLIP_ROUNDS = 4  # refits after clipping outliers; the clipped set settles within a few


@dataclass(frozen=True, slots=True)
class Calendar:
    """Which days carry the month-end and billing-day effects.

    ``billing_days`` are bill days of the month (1–31; with staggered billing, one per
    cycle); a day is a billing day when a bill day fell within the ``billing_window_days``
    days up to and including it, since customers react over a few days, not on the day alone.
    """

    month_end_days: int = 3
    billing_days: tuple[int, ...] = ()
    billing_window_days: int = 3

    def __post_init__(self) -> None:
        if self.month_end_days < 0 or self.billing_window_days < 1:
            raise ValueError("month_end_days ≥ 0 and billing_window_days ≥ 1 are required")
        if any(not 1 <= b <= 31 for b in self.billing_days):
            raise ValueError("bill days are days of the month, 1–31")

    def flags(self, days: pd.DatetimeIndex) -> tuple[BoolArray, BoolArray]:
        """(month end, billing window) for each day."""
        month_end = np.asarray(days.day > days.days_in_month - self.month_end_days, dtype=bool)
        billing = np.zeros(len(days), dtype=bool)
        for lag in range(self.billing_window_days if self.billing_days else 0):
            earlier = days - pd.Timedelta(days=lag)
            billing |= np.isin(np.asarray(earlier.day), self.billing_days)
        return month_end, billing


@dataclass(frozen=True, slots=True)
class Shrinkage:
    """Prior strengths, in pseudo-calls or pseudo-days (see the module docstring)."""

    shape_calls: float = 200.0
    group_calls: float = 100.0
    effect_sd: float = 0.2  # prior spread of a calendar effect, in log terms (±20%)
    effect_calls: float = 20.0  # keeps a factor finite when its days saw almost no calls
    handle_calls: float = 30.0


@dataclass(frozen=True, slots=True)
class SeriesModel:
    """The fitted profile of one series: see the module docstring for the formula."""

    daily: FloatArray  # (7,) arrivals of an ordinary day, Monday = 0
    shape: FloatArray  # (7, intervals) intraday shares, rows sum to 1
    month_end: float
    billing: float
    aht_s: FloatArray  # (7, intervals) mean handling seconds (NaN: no served contact seen)

    def expected(self, weekday: IntArray, month_end: BoolArray, billing: BoolArray) -> FloatArray:
        """Expected arrivals (days × intervals) for days with these weekdays and flags."""
        level = self.daily[weekday] * np.where(month_end, self.month_end, 1.0)
        level = level * np.where(billing, self.billing, 1.0)
        return np.asarray(level[:, None] * self.shape[weekday], dtype=np.float64)


@dataclass(frozen=True, slots=True)
class ForecastModel:
    interval_minutes: int
    calendar: Calendar
    total: SeriesModel
    groups: dict[tuple[str, str], SeriesModel]  # (tier, queue) → model

    @property
    def intervals_per_day(self) -> int:
        return 1440 // self.interval_minutes

    def predict(self, start: Any, days: int) -> pd.DataFrame:
        """Forecast ``days`` days from the day of ``start``: one row per interval and group,
        columns ``start, tier, queue, calls, aht_s`` (calls reconciled to the total)."""
        day_index = pd.date_range(pd.Timestamp(start).normalize(), periods=days, freq="D")
        calls, aht = self.predict_arrays(day_index)
        slots = self.intervals_per_day
        starts = day_index.repeat(slots) + pd.to_timedelta(
            np.tile(np.arange(slots) * self.interval_minutes, days), unit="min"
        )
        frames = [
            pd.DataFrame(
                {
                    "start": starts,
                    "tier": tier,
                    "queue": queue,
                    "calls": calls[g].reshape(-1),
                    "aht_s": aht[g].reshape(-1),
                }
            )
            for g, (tier, queue) in enumerate(self.groups)
        ]
        return pd.concat(frames, ignore_index=True)

    def predict_arrays(self, days: pd.DatetimeIndex) -> tuple[FloatArray, FloatArray]:
        """(calls, aht_s), each groups × days × intervals, groups in ``self.groups`` order."""
        weekday = np.asarray(days.day_of_week, dtype=np.int64)
        month_end, billing = self.calendar.flags(days)
        total = self.total.expected(weekday, month_end, billing)
        raw = np.stack([m.expected(weekday, month_end, billing) for m in self.groups.values()])
        mass = raw.sum(axis=0)
        # Where the groups expect nothing but the total does, split by the groups' day shares.
        fallback = raw.sum(axis=2, keepdims=True) / np.maximum(
            raw.sum(axis=(0, 2), keepdims=True), 1e-300
        )
        share = np.where(mass > 0, raw / np.where(mass > 0, mass, 1.0), fallback)
        aht = np.stack([m.aht_s[weekday] for m in self.groups.values()])
        return np.asarray(share * total, dtype=np.float64), np.asarray(aht, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class History:
    """Events counted into a days × intervals grid per group (the form every fit starts from)."""

    days: pd.DatetimeIndex
    interval_minutes: int
    groups: list[tuple[str, str]]
    counts: FloatArray  # groups × days × intervals
    handle_sum: FloatArray  # same shape: seconds of served contacts
    handled: FloatArray  # same shape: number of served contacts

    @classmethod
    def from_events(
        cls,
        arrival: Any,
        *,
        handle_s: Any = None,
        tier: Any = None,
        queue: Any = None,
        interval_minutes: int = 30,
        start: Any = None,
        end: Any = None,
    ) -> History:
        """Count events into the grid. Days run from ``start`` (default: the first event's
        day) to ``end`` exclusive (default: the day after the last event), so days with no
        event at all count as zeros rather than vanishing."""
        if interval_minutes <= 0 or 1440 % interval_minutes:
            raise ValueError("the interval must divide the day (e.g. 15 or 30 minutes)")
        ts = _timestamps(arrival)
        n = len(ts)
        handle = np.full(n, np.nan) if handle_s is None else _floats(handle_s)
        tiers, queues = _labels(tier, n), _labels(queue, n)
        if not len(handle) == len(tiers) == len(queues) == n:
            raise ValueError("arrival, handle_s, tier and queue must have the same length")
        if n == 0 and (start is None or end is None):
            raise ValueError("no events: give start and end to forecast zeros")
        first = pd.Timestamp(start if start is not None else ts.min()).normalize()
        if end is not None:
            stop = pd.Timestamp(end).normalize()
        else:
            stop = ts.max().normalize() + pd.Timedelta(days=1)
        days = pd.date_range(first, stop, inclusive="left")
        slots = 1440 // interval_minutes
        day = np.asarray((ts.normalize() - first).days, dtype=np.int64)
        slot = np.asarray((ts.hour * 60 + ts.minute) // interval_minutes, dtype=np.int64)
        keep = (day >= 0) & (day < len(days))
        keys = pd.MultiIndex.from_arrays([tiers[keep], queues[keep]])
        codes, uniques = pd.factorize(keys, sort=True)
        groups = [(str(t), str(q)) for t, q in uniques] or [(ALL, ALL)]
        flat = (codes * len(days) + day[keep]) * slots + slot[keep]
        size = len(groups) * len(days) * slots
        shape = (len(groups), len(days), slots)
        served = np.isfinite(handle[keep]) & (handle[keep] >= 0)
        counts = np.bincount(flat, minlength=size).reshape(shape).astype(np.float64)
        handled = np.bincount(flat[served], minlength=size).reshape(shape).astype(np.float64)
        seconds = np.bincount(flat[served], handle[keep][served], size).reshape(shape)
        return cls(days, interval_minutes, groups, counts, seconds.astype(np.float64), handled)

    def window(self, first: int, stop: int) -> History:
        """The days ``first:stop`` of this history (day indices)."""
        return History(
            self.days[first:stop],
            self.interval_minutes,
            self.groups,
            self.counts[:, first:stop],
            self.handle_sum[:, first:stop],
            self.handled[:, first:stop],
        )


def fit(
    history: History,
    calendar: Calendar | None = None,
    shrinkage: Shrinkage | None = None,
    *,
    outlier_sigma: float | None = 5.0,
) -> ForecastModel:
    """Fit the total, then each group with the total as its prior.

    ``outlier_sigma``: an interval more than that many Poisson standard deviations above
    its fitted expectation is clipped to that bound and the fit repeated (a few rounds). Real
    histories hold one-off bursts (the bank data has 407 calls in a half hour that normally
    sees 60, on one Wednesday); left in, one burst would be forecast every week."""
    cal = calendar or Calendar()
    prior = shrinkage or Shrinkage()
    weekday = np.asarray(history.days.day_of_week, dtype=np.int64)
    month_end, billing = cal.flags(history.days)
    flags = (weekday, month_end, billing)
    served = float(history.handled.sum())
    all_handle = float(history.handle_sum.sum()) / served if served > 0 else np.nan

    def robust(counts: FloatArray, g: int | None, parent: SeriesModel | None) -> SeriesModel:
        seconds = history.handle_sum.sum(axis=0) if g is None else history.handle_sum[g]
        handled = history.handled.sum(axis=0) if g is None else history.handled[g]
        top = all_handle if parent is None else _finite_mean(parent.aht_s, all_handle)
        used = counts
        for _ in range(_CLIP_ROUNDS if outlier_sigma is not None else 1):
            model = _fit_series(used, seconds, handled, flags, prior, parent=parent, top=top)
            if outlier_sigma is None:
                break
            expected = model.expected(weekday, month_end, billing)
            used = np.minimum(counts, expected + outlier_sigma * (np.sqrt(expected) + 1.0))
        return model

    total = robust(history.counts.sum(axis=0), None, None)
    groups = {key: robust(history.counts[g], g, total) for g, key in enumerate(history.groups)}
    return ForecastModel(history.interval_minutes, cal, total, groups)


def _finite_mean(aht: FloatArray, default: float) -> float:
    """Mean of the finite entries (``default`` when none): a group's handle-time prior."""
    finite = aht[np.isfinite(aht)]
    return float(finite.mean()) if finite.size else default


def _fit_series(
    counts: FloatArray,
    handle_sum: FloatArray,
    handled: FloatArray,
    flags: tuple[IntArray, BoolArray, BoolArray],
    prior: Shrinkage,
    *,
    parent: SeriesModel | None,
    top: float,
) -> SeriesModel:
    weekday, month_end, billing = flags
    totals = counts.sum(axis=1)
    slots = counts.shape[1]
    prior_me = parent.month_end if parent else 1.0
    prior_bd = parent.billing if parent else 1.0
    f_me, f_bd = prior_me, prior_bd
    daily = np.zeros(7)
    seen = np.bincount(weekday, minlength=7)
    for _ in range(_BACKFIT_ROUNDS):
        adjust = np.where(month_end, f_me, 1.0) * np.where(billing, f_bd, 1.0)
        daily = np.bincount(weekday, totals / adjust, minlength=7) / np.maximum(seen, 1)
        if parent is not None:
            daily[seen == 0] = 0.0  # a weekday never seen: no basis for this group
        else:
            daily[seen == 0] = totals.mean() if totals.size else 0.0
        base = daily[weekday]
        noise = _day_noise(totals, base, ~(month_end | billing))
        f_me = _factor(
            totals, base * np.where(billing, f_bd, 1.0), month_end, prior_me, prior, noise
        )
        f_bd = _factor(
            totals, base * np.where(month_end, f_me, 1.0), billing, prior_bd, prior, noise
        )
    adjust = np.where(month_end, f_me, 1.0) * np.where(billing, f_bd, 1.0)
    per_weekday = np.zeros((7, slots))
    np.add.at(per_weekday, weekday, counts / adjust[:, None])
    if parent is None:
        pooled = per_weekday.sum(axis=0)
        target = np.broadcast_to(pooled / max(pooled.sum(), 1e-300), (7, slots))
        if pooled.sum() == 0:
            target = np.full((7, slots), 1.0 / slots)
        strength = prior.shape_calls
    else:
        target, strength = parent.shape, prior.group_calls
    mass = per_weekday.sum(axis=1, keepdims=True)
    shape = (per_weekday + strength * target) / (mass + strength)
    aht = _handle_times(handle_sum, handled, weekday, prior.handle_calls, top)
    return SeriesModel(daily, np.asarray(shape, np.float64), f_me, f_bd, aht)


def _day_noise(totals: FloatArray, base: FloatArray, ordinary: BoolArray) -> float:
    """Variance of one day's log(observed / expected) on ordinary days: Poisson noise plus
    whatever day-to-day swing the series has. Falls back to the Poisson part alone (1 / mean)
    when there are too few ordinary days to measure it."""
    use = ordinary & (base > 0)
    poisson = 1.0 / (float(base[use].mean()) + 1.0) if use.any() else 1.0
    if use.sum() < 5:
        return poisson
    ratio = np.log((totals[use] + 1.0) / (base[use] + 1.0))
    return max(float(ratio.var(ddof=1)), poisson)


def _factor(
    observed: FloatArray,
    expected: FloatArray,
    flagged: BoolArray,
    prior: float,
    s: Shrinkage,
    noise: float,
) -> float:
    """A day factor from the flagged days, shrunk in log space toward ``prior`` (empirical
    Bayes, see the module docstring: one odd day in a noisy series is mostly noise)."""
    days = int(flagged.sum())
    if days == 0:
        return prior
    raw = (observed[flagged].sum() + s.effect_calls * prior) / (
        expected[flagged].sum() + s.effect_calls
    )
    spread = s.effect_sd**2
    weight = spread / (spread + noise / days)
    return float(np.exp(np.log(prior) + weight * (np.log(raw) - np.log(prior))))


def _handle_times(
    handle_sum: FloatArray, handled: FloatArray, weekday: IntArray, k: float, top: float
) -> FloatArray:
    """weekday × interval means, each pulled toward the interval mean, itself pulled toward
    the series mean, itself pulled toward ``top``: thin cells borrow from the level above."""
    seconds = np.zeros((7, handle_sum.shape[1]))
    served = np.zeros_like(seconds)
    np.add.at(seconds, weekday, handle_sum)
    np.add.at(served, weekday, handled)
    if not np.isfinite(top):
        if served.sum() == 0:
            return np.full(seconds.shape, np.nan)  # no served contact anywhere: unknown
        top = float(seconds.sum() / served.sum())
    series = (seconds.sum() + k * top) / (served.sum() + k)
    interval = (seconds.sum(axis=0) + k * series) / (served.sum(axis=0) + k)
    return np.asarray((seconds + k * interval) / (served + k), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class ErrorReport:
    """Forecast error of one level (the total, or all groups pooled) over the held-back days.

    WAPE = Σ|F − A| / ΣA over every interval. MAPE is the mean of |F − A| / A over the
    intervals with A ≥ ``mape_floor`` calls: the percentage error of a near-empty interval
    says nothing about staffing and would swamp the mean."""

    wape: float
    mape: float
    naive_wape: float
    naive_mape: float
    intervals: int  # intervals in the MAPE

    @property
    def beats_naive(self) -> bool:
        return self.wape < self.naive_wape


@dataclass(frozen=True, slots=True)
class Backtest:
    holdout: pd.DatetimeIndex
    total: ErrorReport
    groups: ErrorReport
    model: ForecastModel
    forecast: FloatArray = field(repr=False)  # total, days × intervals
    actual: FloatArray = field(repr=False)
    naive: FloatArray = field(repr=False)


def seasonal_naive(history: History, days: int) -> FloatArray:
    """Each held-back day repeats the same weekday of the last history week (groups × days ×
    intervals). Needs at least a week of history."""
    if len(history.days) < 7:
        raise ValueError("seasonal naive needs at least one week of history")
    last_week = history.counts[:, -7:]
    # Day j of the horizon has the weekday of history day (len + j) mod 7 of the last week.
    return np.asarray(last_week[:, np.arange(days) % 7], dtype=np.float64)


def backtest(
    history: History,
    *,
    holdout_weeks: int = 1,
    calendar: Calendar | None = None,
    shrinkage: Shrinkage | None = None,
    mape_floor: float = 5.0,
    outlier_sigma: float | None = 5.0,
) -> Backtest:
    """Fit on all but the last ``holdout_weeks`` weeks, forecast those, and score both the
    model and the seasonal-naive baseline on them (both see only the training days)."""
    horizon = 7 * holdout_weeks
    if holdout_weeks < 1 or len(history.days) < horizon + 7:
        raise ValueError("need at least one week of history before the held-back weeks")
    train = history.window(0, len(history.days) - horizon)
    test = history.window(len(history.days) - horizon, len(history.days))
    model = fit(train, calendar, shrinkage, outlier_sigma=outlier_sigma)
    calls, _ = model.predict_arrays(test.days)
    naive = seasonal_naive(train, horizon)
    return Backtest(
        test.days,
        _errors(calls.sum(axis=0), naive.sum(axis=0), test.counts.sum(axis=0), mape_floor),
        _errors(calls, naive, test.counts, mape_floor),
        model,
        calls.sum(axis=0),
        test.counts.sum(axis=0),
        naive.sum(axis=0),
    )


def _errors(
    forecast: FloatArray, naive: FloatArray, actual: FloatArray, floor: float
) -> ErrorReport:
    volume = float(actual.sum())
    mask = actual >= floor

    def mape(f: FloatArray) -> float:
        return (
            float(np.mean(np.abs(f[mask] - actual[mask]) / actual[mask])) if mask.any() else np.nan
        )

    def wape(f: FloatArray) -> float:
        return float(np.abs(f - actual).sum() / volume) if volume > 0 else np.nan

    return ErrorReport(wape(forecast), mape(forecast), wape(naive), mape(naive), int(mask.sum()))


def _timestamps(values: Any) -> pd.DatetimeIndex:
    if hasattr(values, "to_pandas"):  # pyarrow Array / ChunkedArray
        values = values.to_pandas()
    index = pd.DatetimeIndex(pd.to_datetime(values))
    # Interval seasonality lives in local wall-clock time: keep it, drop the zone.
    return index.tz_localize(None) if index.tz is not None else index


def _floats(values: Any) -> FloatArray:
    if hasattr(values, "to_numpy") and not isinstance(values, np.ndarray):
        values = (
            values.to_numpy(zero_copy_only=False) if hasattr(values, "type") else values.to_numpy()
        )
    return np.asarray(pd.to_numeric(np.asarray(values), errors="coerce"), dtype=np.float64)


def _labels(values: Any, n: int) -> NDArray[np.object_]:
    if values is None:
        return np.full(n, ALL, dtype=object)
    if hasattr(values, "to_pylist"):
        values = values.to_pylist()
    return np.asarray([ALL if v is None else str(v) for v in values], dtype=object)
