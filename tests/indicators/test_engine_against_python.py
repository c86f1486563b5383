"""The engine's figures equal an independent plain-Python computation, indicator by indicator."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute
from sqm.indicators.core.spec import KINDS
from sqm.lib.periods import parse_period
from tests.indicators import oracle
from tests.indicators.factory import Row, build_events, write_store

CATALOG = load_catalog()
CUTS = [
    [],
    ["branch"],
    ["tier"],
    ["day"],
    ["branch", "tier"],
    ["week"],
    ["month"],
    ["hall"],
    ["agent"],
    ["channel"],
    ["factor"],
    ["branch", "day"],
]


def figures_of(table: pa.Table, by: list[str]) -> dict[tuple[Any, ...], oracle.Figures]:
    return {
        (row["indicator"], *(row[d] for d in by)): (
            row["value"],
            row["numerator"],
            row["denominator"],
        )
        for row in table.to_pylist()
    }


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def differences(
    got: dict[tuple[Any, ...], oracle.Figures], want: dict[tuple[Any, ...], oracle.Figures]
) -> list[str]:
    found = [f"only in engine: {k}" for k in got.keys() - want.keys()]
    found += [f"only in plain Python: {k}" for k in want.keys() - got.keys()]
    for key in got.keys() & want.keys():
        if not all(same(g, w) for g, w in zip(got[key], want[key], strict=True)):
            found.append(f"{key}: engine {got[key]} != plain Python {want[key]}")
    return sorted(found)


@pytest.mark.parametrize("by", CUTS, ids=lambda by: "+".join(by) or "total")
def test_every_indicator_equals_the_plain_python_computation(
    store: EventStore, events: dict[str, list[Row]], by: list[str]
) -> None:
    got = figures_of(compute(store, CATALOG, "2024-01", by), by)
    want = oracle.expected(CATALOG, events, parse_period("2024-01"), by)
    assert differences(got, want) == []


@pytest.mark.parametrize("period", ["2024-01-31", "2024-01-01", "2024-Q1"])
def test_day_and_quarter_periods_agree_too(
    store: EventStore, events: dict[str, list[Row]], period: str
) -> None:
    # The last day of January needs February's calls (repeats within 48 h); the first day
    # needs December's complaints (repeats within 30 days) and December's customer snapshot.
    by = ["branch"]
    got = figures_of(compute(store, CATALOG, period, by), by)
    want = oracle.expected(CATALOG, events, parse_period(period), by)
    assert differences(got, want) == []


def test_a_scoped_computation_equals_the_plain_python_one_on_that_branch_alone(
    store: EventStore, events: dict[str, list[Row]]
) -> None:
    scope = frozenset({"NJ"})
    for by in ([], ["tier"]):
        got = figures_of(compute(store, CATALOG, "2024-01", by, scope_branches=scope), by)
        want = oracle.expected(CATALOG, events, parse_period("2024-01"), by, scope=scope)
        assert differences(got, want) == []


def test_the_fixture_gives_every_indicator_and_every_kind_a_value(store: EventStore) -> None:
    """Otherwise the comparison above could pass on nulls."""
    table = compute(store, CATALOG, "2024-01")
    valued = {r["indicator"] for r in table.to_pylist() if r["value"] is not None}
    assert set(CATALOG.ids) - valued == set()
    assert {CATALOG.get(i).kind for i in valued} == set(KINDS)


def test_the_plain_python_side_is_not_trivially_the_engine(tmp_path: Path) -> None:
    # A deliberately wrong row must move the engine and the oracle apart.
    events = build_events(seed=3)
    store = write_store(tmp_path, events)
    changed = [dict(r) for r in events["calls"]]
    for row in changed:
        if row["answered_at"] is not None and row["queued_at"] is not None:
            row["answered_at"] = row["queued_at"]  # the oracle now sees zero waits
    want = oracle.expected(CATALOG, {**events, "calls": changed}, parse_period("2024-01"), [])
    got = figures_of(compute(store, CATALOG, "2024-01"), [])
    assert any("hotline_asa_seconds" in d for d in differences(got, want))
