"""A few rows in the event store and the ingest log, for pages that report what is loaded."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore


def write_events(data_dir: Path, source: str, first_day: str, days: int, per_day: int) -> None:
    """``per_day`` rows on each of ``days`` days. Only keys and the time column carry values:
    pages read counts and dates, and the store does not validate (ingest does)."""
    spec = SOURCES[source]
    start = datetime.fromisoformat(first_day) + timedelta(hours=9)
    times = [start + timedelta(days=d, minutes=i) for d in range(days) for i in range(per_day)]
    n = len(times)
    columns: dict[str, Any] = {}
    for f in spec.schema:
        if f.name == spec.time_column:
            columns[f.name] = pa.array(times, f.type)
        elif f.name in spec.key and pa.types.is_string(f.type):
            columns[f.name] = pa.array([f"{f.name}-{i}" for i in range(n)], f.type)
        elif f.name in spec.key and pa.types.is_timestamp(f.type):
            columns[f.name] = pa.array(times, f.type)
        else:
            columns[f.name] = pa.nulls(n, f.type)
    EventStore(data_dir).append(spec, pa.table(columns, schema=spec.schema))


def write_ingest_log(data_dir: Path, entries: list[dict[str, Any]], garbage: bool = False) -> None:
    lines = [json.dumps(e, ensure_ascii=False) for e in entries]
    if garbage:
        lines.insert(1, '{"file": "half-written')  # an ingest still writing its line
    (data_dir / "ingest_log.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def ingest_entry(file: str, source: str, accepted: int, at: str, **counts: int) -> dict[str, Any]:
    return {
        "file": file,
        "sha256": "ab" * 32,
        "source": source,
        "accepted": accepted,
        "quarantined": counts.get("quarantined", 0),
        "duplicates": counts.get("duplicates", 0),
        "at": at,
    }


def load_sample(data_dir: Path) -> None:
    """Calls on three days, recharges on two, and two ingest runs (one with quarantined rows)."""
    write_events(data_dir, "calls", "2026-10-01", days=3, per_day=40)
    write_events(data_dir, "recharges", "2026-10-02", days=2, per_day=25)
    write_ingest_log(
        data_dir,
        [
            ingest_entry("/srv/drop/calls-2026-10.csv", "calls", 120, "2026-11-01T08:00:00+08:00"),
            ingest_entry(
                "/srv/drop/recharges-2026-10.csv",
                "recharges",
                50,
                "2026-11-01T08:05:00+08:00",
                quarantined=3,
                duplicates=7,
            ),
        ],
        garbage=True,
    )
