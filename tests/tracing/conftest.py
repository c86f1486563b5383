"""Fixtures for the tracing tests: the standing cast, findings built by hand (the detectors'
output, without running them) and complaint events written into a fresh event store."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from sqm.tracing.core.signals import Place, Signal, SignalKind

START = datetime(2026, 3, 9)  # local, naive: the event store's time
MONTH = "2026-03"
MakeFinding = Callable[..., Signal]


def finding(
    kind: SignalKind = SignalKind.ABNORMAL_CHANGE,
    *,
    start: datetime = START,
    days: int = 1,
    observed: float = 42.0,
    expected: float = 10.0,
    score: float = 9.0,
    evidence: Iterable[str] = (),
    source: str = "complaints",
    detail: dict[str, Any] | None = None,
    **place: Any,
) -> Signal:
    """A signal as a detector would report it; ``place`` defaults to NJ × coverage."""
    where = {"branch": "NJ", "category": "coverage", **place}
    ids = tuple(evidence)
    low, high = expected * 0.5, expected * 1.6
    days_before = [(start - timedelta(days=k)).date().isoformat() for k in range(14, 0, -1)]
    series = (
        *((day, expected, expected, low, high) for day in days_before),
        (start.date().isoformat(), observed, expected, low, high),
    )
    return Signal(
        kind=kind,
        place=Place(**where),
        start=start,
        end=start + timedelta(days=days),
        observed=observed,
        expected=expected,
        expected_low=low,
        expected_high=high,
        score=score,
        p_value=10**-score,
        evidence_count=len(ids),
        evidence_ids=ids,
        evidence_source=source if ids else "",
        series=series,
        detail=detail or {},
    )


@pytest.fixture
def complaints_store(data_dir: Path) -> Callable[[list[dict[str, Any]]], None]:
    """``write(rows)``: complaint events (complaint_id, customer_id, branch, category,
    created_at; the rest defaulted) appended to the test's event store."""
    import pyarrow as pa

    from sqm.events.core.schemas import COMPLAINTS
    from sqm.events.core.store import EventStore

    def write(rows: list[dict[str, Any]]) -> None:
        full = [
            {"channel": "hotline", "level": "ordinary", "subcategory": "", **row} for row in rows
        ]
        table = pa.Table.from_pylist(full, schema=COMPLAINTS.schema)
        EventStore(data_dir).append(COMPLAINTS, table)

    return write


def daily_complaints(
    branch: str, category: str, first: date, per_day: list[int], prefix: str
) -> list[dict[str, Any]]:
    """``per_day[k]`` complaints on day ``first + k``, each from its own customer."""
    rows = []
    for k, count in enumerate(per_day):
        day = datetime.combine(first + timedelta(days=k), datetime.min.time())
        for n in range(count):
            rows.append(
                {
                    "complaint_id": f"{prefix}{k:03d}{n:04d}",
                    "customer_id": f"{prefix}C{k:03d}{n:04d}",
                    "branch": branch,
                    "category": category,
                    "created_at": day + timedelta(hours=9, minutes=n),
                }
            )
    return rows
