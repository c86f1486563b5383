"""Parity: the whole catalog gives the same figures on DuckDB and on PySpark (local mode).

The same expressions run on both engines, on the hand-built rows (edge cases on purpose) and
on a generated demo month, for several cuts; rows are matched on (indicator, dimensions,
period) and every figure must agree — floats to 1e-9 relative, nulls equal. DuckDB is itself
checked against plain Python in ``test_engine_against_python.py``, so Spark is checked too.

Known backend gaps: none. What differs between the engines (how a Parquet scan shows in a
plan, that percentiles are exact on both) is declared once, in ``backends.CAPABILITIES``.
"""

from __future__ import annotations

import math
from typing import Any

import pyarrow as pa
import pytest

from sqm.demo.core.generator import generate_month
from sqm.events.core.store import EventStore
from sqm.indicators.core.backends import CAPABILITIES
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute, run

pytestmark = pytest.mark.spark

CATALOG = load_catalog()
REFERENCE, OTHER = "duckdb", "spark"
CUTS = [[], ["branch"], ["tier"], ["day"], ["branch", "tier"], ["agent"], ["week"]]
FIGURES = ("value", "numerator", "denominator", "target", "status")
DEMO_MONTH = "2026-10"

Key = tuple[Any, ...]


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> EventStore:
    folder = tmp_path_factory.mktemp("demo-tiny")
    generate_month(folder, scale="tiny", month=DEMO_MONTH, seed=7)
    return EventStore(folder)


@pytest.fixture
def dataset(request: pytest.FixtureRequest) -> tuple[EventStore, str]:
    """(store, period) for a data set named by the test's parameter."""
    if request.param == "hand_built":
        store: EventStore = request.getfixturevalue("store")
        return store, "2024-01"
    return request.getfixturevalue("demo_store"), DEMO_MONTH


def keyed(table: pa.Table, by: list[str]) -> dict[Key, tuple[Any, ...]]:
    rows = table.to_pylist()
    found = {
        (r["indicator"], *(r[d] for d in by), r["period"]): tuple(r[f] for f in FIGURES)
        for r in rows
    }
    assert len(found) == len(rows), "a (indicator, dimensions, period) key appears twice"
    return found


def same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return a == b  # nulls equal only to nulls; strings exactly


def differences(reference: pa.Table, other: pa.Table, by: list[str]) -> list[str]:
    want, got = keyed(reference, by), keyed(other, by)
    found = [f"only on {REFERENCE}: {k}" for k in want.keys() - got.keys()]
    found += [f"only on {OTHER}: {k}" for k in got.keys() - want.keys()]
    for key in want.keys() & got.keys():
        if not all(same(w, g) for w, g in zip(want[key], got[key], strict=True)):
            found.append(f"{key}: {REFERENCE} {want[key]} != {OTHER} {got[key]}")
    return sorted(found)


def assert_parity(reference: pa.Table, other: pa.Table, by: list[str]) -> None:
    assert differences(reference, other, by) == []
    valued = sum(v is not None for v in reference["value"].to_pylist())
    assert valued > 0  # a comparison of nothing but nulls would prove nothing
    print(f"compared {reference.num_rows} rows ({valued} with a value)")


@pytest.mark.parametrize("dataset", ["hand_built", "demo_tiny"], indirect=True)
@pytest.mark.parametrize("by", CUTS, ids=lambda by: "+".join(by) or "total")
def test_spark_gives_the_figures_duckdb_gives(
    spark: Any, dataset: tuple[EventStore, str], by: list[str]
) -> None:
    store, period = dataset
    reference = compute(store, CATALOG, period, by, backend=REFERENCE)
    assert_parity(reference, compute(store, CATALOG, period, by, backend=OTHER), by)


@pytest.mark.parametrize("period", ["2024-01-31", "2024-Q1"])
def test_windows_across_the_period_edges_agree(spark: Any, store: EventStore, period: str) -> None:
    # The last day of January needs February's calls (repeats, callbacks); a quarter starts
    # with December's complaints (repeats within 30 days) and December's snapshot.
    by = ["branch"]
    reference = compute(store, CATALOG, period, by, backend=REFERENCE)
    assert_parity(reference, compute(store, CATALOG, period, by, backend=OTHER), by)


def test_a_branch_scope_agrees_and_spark_reads_each_source_once(
    spark: Any, store: EventStore
) -> None:
    scope, by = frozenset({"NJ"}), ["tier"]
    reference = compute(store, CATALOG, "2024-01", by, scope_branches=scope, backend=REFERENCE)
    computation = run(store, CATALOG, "2024-01", by, scope, backend=OTHER, explain=True)
    assert_parity(reference, computation.table, by)
    assert {q.parquet_scans for q in computation.queries} == {1}  # one scan per source
    (calls,) = [q for q in computation.queries if q.source == "calls"]
    # Exact, linearly interpolated percentiles on both engines (never approx_percentile).
    assert CAPABILITIES[OTHER].exact_percentile
    assert "percentile(" in calls.sql.lower() and "approx_percentile" not in calls.sql.lower()
