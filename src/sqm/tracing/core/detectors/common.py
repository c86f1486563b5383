"""Shared plumbing of the detectors: daily count frames to matrices, hits to signals."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

from sqm.tracing.core.detectors.counting import Hit
from sqm.tracing.core.detectors.stats import Calendar, Floats, score_of
from sqm.tracing.core.signals import Place, Signal, SignalKind


def day_matrix(
    frame: pd.DataFrame, keys: Sequence[str], calendar: Calendar, value: str = "n"
) -> tuple[list[tuple[Any, ...]], Floats]:
    """Rows of (day, *keys, value) → the distinct key tuples and a (keys × days) matrix.
    Days outside the calendar are ignored."""
    if frame.empty:
        return [], np.zeros((0, calendar.size))
    day = pd.to_datetime(frame["day"]).dt.date
    index = np.array([(d - calendar.days[0]).days for d in day], dtype=np.int64)
    inside = (index >= 0) & (index < calendar.size)
    part = frame.loc[inside, list(keys)].astype(object).where(lambda f: f.notna(), None)
    tuples = list(part.itertuples(index=False, name=None))
    labels = sorted(set(tuples), key=lambda t: tuple("" if x is None else str(x) for x in t))
    position = {label: k for k, label in enumerate(labels)}
    rows = np.array([position[t] for t in tuples], dtype=np.int64)
    matrix = np.zeros((len(labels), calendar.size))
    np.add.at(matrix, (rows, index[inside]), frame.loc[inside, value].to_numpy(np.float64))
    return labels, matrix


def at_midnight(day: date) -> datetime:
    return datetime(day.year, day.month, day.day)


def hit_signal(
    kind: SignalKind,
    place: Place,
    hit: Hit,
    calendar: Calendar,
    source: str = "complaints",
    detail: dict[str, Any] | None = None,
) -> Signal:
    first = calendar.days[hit.first]
    return Signal(
        kind=kind,
        place=place,
        start=at_midnight(first),
        end=at_midnight(first + timedelta(days=hit.stop - hit.first)),
        observed=hit.observed,
        expected=hit.expected,
        expected_low=hit.expected_low,
        expected_high=hit.expected_high,
        score=score_of(hit.p_value),
        p_value=hit.p_value,
        evidence_count=round(hit.observed),
        evidence_source=source,
        series=tuple(
            (calendar.days[k].isoformat(), obs, exp, low, high)
            for k, obs, exp, low, high in hit.series
        ),
        detail=dict(detail or {}),
    )


def branch_prior(labels: Sequence[str | None], customers: dict[str, int] | None) -> Floats:
    """Each branch's share of the customer base (even shares when it is unknown)."""
    if not customers:
        return np.full(len(labels), 1.0 / max(len(labels), 1))
    total = float(sum(customers.values())) or 1.0
    floor = 1.0 / (10 * max(len(customers), 1))
    return np.array([max(customers.get(b or "", 0) / total, floor) for b in labels])
