"""Valid event tables and files to corrupt in tests (deterministic, vectorised)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pcsv

from sqm.events.core.schemas import CALLS
from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes

CODES = ReferenceCodes.from_province(PROVINCE)
START = np.datetime64("2026-03-01T00:00:00", "ms")


def calls_table(rows: int, *, days: int = 3, seed: int = 1, prefix: str = "C") -> pa.Table:
    """Calls that pass every rule: answered or abandoned, spread evenly over ``days`` days."""
    rng = np.random.default_rng(seed)
    ms = np.int64(1000)
    arrived = START + (np.arange(rows, dtype=np.int64) * days * 86_400_000 // max(rows, 1))
    ivr = rng.integers(5, 60, rows)
    queued = arrived + ivr * ms
    wait = rng.integers(0, 120, rows) * ms
    answered = rng.random(rows) < 0.9
    talk = rng.integers(30, 600, rows) * ms
    answered_at = np.where(answered, queued + wait, np.datetime64("NaT"))
    abandoned_at = np.where(answered, np.datetime64("NaT"), queued + wait)
    ended = np.where(answered, queued + wait + talk, queued + wait)
    branches = np.array(sorted(CODES.branch))
    tiers = np.array(sorted(CODES.tier))
    survey = rng.integers(1, 6, rows)
    offered = rng.random(rows) < 0.3
    columns = {
        "call_id": pa.array([f"{prefix}{i:09d}" for i in range(rows)]),
        "customer_id": pa.array([f"U{i % 5000:07d}" for i in range(rows)]),
        "tier": pa.array(tiers[rng.integers(0, len(tiers), rows)]),
        "branch": pa.array(branches[rng.integers(0, len(branches), rows)]),
        "arrived_at": pa.array(arrived, pa.timestamp("ms")),
        "ivr_path": pa.array(np.array(["1", "1-2", "3-1-4"])[rng.integers(0, 3, rows)]),
        "ivr_s": pa.array(ivr.astype(np.float64)),
        "ivr_self_served": pa.array(np.zeros(rows, dtype=bool)),
        "wanted_agent": pa.array(np.ones(rows, dtype=bool)),
        "queued_at": pa.array(queued, pa.timestamp("ms")),
        "answered_at": pa.array(answered_at, pa.timestamp("ms")),
        "abandoned_at": pa.array(abandoned_at, pa.timestamp("ms")),
        "ended_at": pa.array(ended, pa.timestamp("ms")),
        "agent_id": pa.array(np.where(answered, "A0042", None)),
        "topic": pa.nulls(rows, pa.string()),
        "sms_answer": pa.array(rng.random(rows) < 0.05),
        "survey_offered": pa.array(offered),
        "survey_score": pa.array(np.where(offered, survey, 0).astype(np.int8), mask=~offered),
        "excluded": pa.array(np.zeros(rows, dtype=bool)),
    }
    return pa.table(columns).cast(CALLS.schema)


def as_text(table: pa.Table) -> pa.Table:
    """Every column as the text a CSV export would hold (timestamps as 'YYYY-MM-DD HH:MM:SS',
    booleans as true/false, missing as empty)."""
    columns = []
    for column in table.columns:
        if pa.types.is_timestamp(column.type):
            import pyarrow.compute as pc

            column = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
        column = column.cast(pa.string()).fill_null("")
        columns.append(column)
    return pa.Table.from_arrays(columns, names=table.column_names)


def write_csv(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as a plain CSV (text columns, missing values as empty fields)."""
    options = pcsv.WriteOptions(quoting_style="needed")
    pcsv.write_csv(as_text(table), path, write_options=options)
    return path


def csv_lines(table: pa.Table) -> list[str]:
    """The CSV text of ``table`` as lines (header first), for tests that edit rows by hand."""
    sink = pa.BufferOutputStream()
    pcsv.write_csv(as_text(table), sink, write_options=pcsv.WriteOptions(quoting_style="needed"))
    return sink.getvalue().to_pybytes().decode("utf-8").splitlines()
