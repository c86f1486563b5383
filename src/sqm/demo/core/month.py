"""The month being generated: its days, the bill dates, and the shapes of demand over time.

Demand for every touchpoint follows the same few rhythms, each written once here:
- diurnal: profiles over the 48 half-hours of a day (two humps 9–11 and 14–16 plus an evening
  shoulder for the hotline; district-specific opening hours and peaks for halls);
- weekly: weekday/weekend factors;
- billing: calls and hall visits jump in the days after a customer's bill date
  (VP speech 2010: the whole province billed on one day floods halls and the hotline, R6), and
  payments/top-ups rise again in the last days of the month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

SLOTS = 48  # half-hour slots in a day
SLOT_S = 1800.0
DAY_S = 86_400.0
_EPOCH = datetime(1970, 1, 1)

# Share of a cycle's bill-driven demand on day 0, 1, 2, … after the bill is issued.
BILL_BUMP: NDArray[np.float64] = np.array([0.22, 0.20, 0.17, 0.14, 0.11, 0.09, 0.07])
WEEKDAY_FACTOR: NDArray[np.float64] = np.array([1.08, 1.03, 1.0, 1.0, 1.0, 0.88, 0.85])


@dataclass(frozen=True, slots=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise ValueError(f"month must look like YYYY-MM, got {text!r}")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def number(self) -> int:
        """YYYYMM as an integer, used in identifiers and seeds."""
        return self.year * 100 + self.month

    @property
    def ndays(self) -> int:
        return calendar.monthrange(self.year, self.month)[1]

    @property
    def days(self) -> tuple[date, ...]:
        return tuple(date(self.year, self.month, d) for d in range(1, self.ndays + 1))

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, self.ndays)

    def day_index(self, day: date) -> int:
        return day.day - 1

    def contains(self, day: date) -> bool:
        return day.year == self.year and day.month == self.month


def day_ms(day: date) -> int:
    """Epoch milliseconds of local midnight (timestamps are naive local time)."""
    return int((datetime(day.year, day.month, day.day) - _EPOCH).total_seconds()) * 1000


def ms_to_day(ms: int) -> date:
    return (_EPOCH + timedelta(milliseconds=ms)).date()


def cycle_days(cycles: int) -> tuple[int, ...]:
    """Bill dates for ``cycles`` billing cycles spread over the month (1 → day 1 only)."""
    if not 1 <= cycles <= 28:
        raise ValueError("billing cycles must be between 1 and 28")
    return tuple(1 + (i * 28) // cycles for i in range(cycles))


def bill_profile(month: Month, cycle_day: int) -> NDArray[np.float64]:
    """Per day of the month, the share of a cycle's bill-driven demand (sums to ≤ 1)."""
    out = np.zeros(month.ndays)
    for offset, weight in enumerate(BILL_BUMP.tolist()):
        d = cycle_day - 1 + offset
        if d < month.ndays:
            out[d] = weight
    return out


def month_end_profile(month: Month) -> NDArray[np.float64]:
    """Extra demand in the last days of the month (top-ups before the package resets)."""
    out = np.zeros(month.ndays)
    out[-3:] = (0.25, 0.45, 0.6)
    return out


def weekday_factors(month: Month) -> NDArray[np.float64]:
    return np.array([WEEKDAY_FACTOR[d.weekday()] for d in month.days])


def _slots(hourly: list[float]) -> NDArray[np.float64]:
    """24 hourly values → 48 half-hour weights, linearly interpolated at half-hours."""
    values = np.asarray(hourly, dtype=np.float64)
    centres = np.arange(24) + 0.5
    at = (np.arange(SLOTS) + 0.5) / 2
    out = np.interp(at, centres, values, period=24)
    return np.asarray(out / out.sum(), dtype=np.float64)


# Hotline: very low at night, two humps (9–11, 14–16), an evening shoulder (19–21).
HOTLINE_WEEKDAY = _slots(
    [0.16, 0.08, 0.05, 0.04, 0.04, 0.07, 0.22, 0.65, 1.55, 2.45, 2.6, 2.0,
     1.35, 1.65, 2.3, 2.4, 2.0, 1.6, 1.3, 1.5, 1.55, 1.2, 0.7, 0.35]
)  # fmt: skip
HOTLINE_WEEKEND = _slots(
    [0.2, 0.1, 0.06, 0.04, 0.04, 0.06, 0.15, 0.4, 1.0, 1.8, 2.2, 2.0,
     1.6, 1.7, 2.0, 2.1, 1.9, 1.6, 1.4, 1.6, 1.65, 1.3, 0.8, 0.4]
)  # fmt: skip
# E-channels: daytime on the web, evenings on the app.
WEB_PROFILE = _slots(
    [0.2, 0.1, 0.05, 0.04, 0.04, 0.08, 0.3, 0.8, 1.6, 2.2, 2.3, 2.1,
     1.6, 1.8, 2.2, 2.2, 2.0, 1.7, 1.3, 1.3, 1.3, 1.1, 0.7, 0.4]
)  # fmt: skip
APP_PROFILE = _slots(
    [0.5, 0.25, 0.12, 0.08, 0.08, 0.15, 0.5, 1.2, 1.6, 1.6, 1.6, 1.7,
     1.9, 1.6, 1.4, 1.4, 1.5, 1.6, 1.8, 2.1, 2.5, 2.6, 2.0, 1.1]
)  # fmt: skip
SMS_PROFILE = _slots(
    [0.2, 0.1, 0.05, 0.04, 0.04, 0.1, 0.4, 1.0, 1.6, 1.9, 1.9, 1.8,
     1.6, 1.6, 1.8, 1.8, 1.7, 1.6, 1.5, 1.6, 1.6, 1.3, 0.8, 0.4]
)  # fmt: skip
# Payments and top-ups: daytime with an evening peak on the app.
RECHARGE_PROFILE = _slots(
    [0.3, 0.15, 0.08, 0.05, 0.05, 0.12, 0.4, 1.0, 1.6, 1.9, 2.0, 1.9,
     1.7, 1.6, 1.7, 1.8, 1.8, 1.7, 1.7, 1.9, 2.1, 1.9, 1.3, 0.7]
)  # fmt: skip
# Reminders go out from 08:00 to 21:00 (no SMS at night).
REMINDER_PROFILE = _slots(
    [0, 0, 0, 0, 0, 0, 0, 0, 2.0, 1.8, 1.5, 1.3, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.9, 0.9,
     0.8, 0.6, 0, 0]
)  # fmt: skip
# Complaints are taken through the same channels as calls, a little flatter.
COMPLAINT_PROFILE = _slots(
    [0.1, 0.05, 0.03, 0.03, 0.03, 0.05, 0.2, 0.7, 1.6, 2.3, 2.4, 2.0,
     1.5, 1.7, 2.2, 2.3, 2.0, 1.7, 1.4, 1.5, 1.5, 1.1, 0.6, 0.3]
)  # fmt: skip


def sample_seconds(
    rng: np.random.Generator, n: int, slot_weights: NDArray[np.float64]
) -> NDArray[np.float64]:
    """``n`` times of day (seconds after midnight) drawn from half-hour slot weights."""
    cumulative = np.cumsum(slot_weights)
    cumulative /= cumulative[-1]
    slot = np.searchsorted(cumulative, rng.random(n), side="right")
    np.minimum(slot, SLOTS - 1, out=slot)
    return np.asarray((slot + rng.random(n)) * SLOT_S, dtype=np.float64)


def hotline_profile(day: date) -> NDArray[np.float64]:
    return HOTLINE_WEEKEND if day.weekday() >= 5 else HOTLINE_WEEKDAY


def window_weights(
    slot_weights: NDArray[np.float64], low_s: float, high_s: float
) -> NDArray[np.float64]:
    """Slot weights restricted to the part of the day between ``low_s`` and ``high_s``."""
    starts = np.arange(SLOTS) * SLOT_S
    overlap = np.clip(np.minimum(starts + SLOT_S, high_s) - np.maximum(starts, low_s), 0, SLOT_S)
    return np.asarray(slot_weights * overlap / SLOT_S, dtype=np.float64)


def sample_window(
    rng: np.random.Generator,
    n: int,
    slot_weights: NDArray[np.float64],
    low_s: float,
    high_s: float,
) -> NDArray[np.float64]:
    """``n`` times of day inside [low_s, high_s), following the slot weights."""
    weights = window_weights(slot_weights, low_s, high_s)
    if n == 0 or weights.sum() <= 0:
        return np.empty(0, dtype=np.float64)
    cumulative = np.cumsum(weights) / weights.sum()
    slot = np.minimum(np.searchsorted(cumulative, rng.random(n), side="right"), SLOTS - 1)
    start = np.maximum(slot * SLOT_S, low_s)
    stop = np.minimum((slot + 1) * SLOT_S, high_s)
    return np.asarray(start + rng.random(n) * (stop - start), dtype=np.float64)
