"""Engine behaviour: one scan per source, scoping, zero denominators, skips, targets, edges."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute, run
from tests.indicators.factory import Row, build_events, write_store

CATALOG = load_catalog()


def rows_of(table: pa.Table, indicator: str) -> list[dict[str, Any]]:
    return [r for r in table.to_pylist() if r["indicator"] == indicator]


def one(table: pa.Table, indicator: str, **dimensions: str) -> dict[str, Any]:
    (row,) = [r for r in rows_of(table, indicator) if all(r[k] == v for k, v in dimensions.items())]
    return row


def store_with(tmp_path: Path, source: str, rows: list[Row]) -> EventStore:
    store = EventStore(tmp_path)
    store.append(SOURCES[source], pa.Table.from_pylist(rows, schema=SOURCES[source].schema))
    return store


# -- one scan per source ---------------------------------------------------------------------
def test_each_source_is_read_by_one_query_with_one_parquet_scan(store: EventStore) -> None:
    computation = run(store, CATALOG, "2024-01", ["branch"], explain=True)
    sources = [q.source for q in computation.queries]
    assert sorted(sources) == sorted(set(sources))  # one SQL statement per source
    assert {q.source: q.parquet_scans for q in computation.queries} == dict.fromkeys(sources, 1)
    assert {"calls", "hall_visits", "complaints", "customers"} <= set(sources)


def test_the_calls_query_is_a_single_group_by_with_filtered_aggregates(store: EventStore) -> None:
    computation = run(store, CATALOG, "2024-01", ["branch", "tier"])
    (calls,) = [q for q in computation.queries if q.source == "calls"]
    print("\n-- SQL DuckDB runs for calls, by branch and tier --\n" + calls.sql)
    assert calls.sql.count("GROUP BY") == 1
    assert calls.sql.count("ibis_read_parquet") == 1
    assert "FILTER(WHERE" in calls.sql
    assert "NULLIF(" in calls.sql
    assert "LEAD(" in calls.sql  # the first-contact window runs inside the same query


# -- scoping -----------------------------------------------------------------------------------
def test_a_branch_scope_removes_every_other_branch(store: EventStore) -> None:
    computation = run(store, CATALOG, "2024-01", ["branch"], frozenset({"NJ"}), explain=True)
    assert set(computation.table["branch"].to_pylist()) == {"NJ"}
    (calls,) = [q for q in computation.queries if q.source == "calls"]
    assert calls.plan is not None
    scan = calls.plan[calls.plan.index("READ_PARQUET") :]
    assert "branch = 'NJ'" in scan  # pushed into the Parquet scan, not applied afterwards


def test_a_scope_changes_the_figures_not_only_the_rows_shown(store: EventStore) -> None:
    offered_only = CATALOG.only({"hotline_offered"})
    everyone = compute(store, offered_only, "2024-01")
    nanjing = compute(store, offered_only, "2024-01", scope_branches=frozenset({"NJ"}))
    by_branch = compute(store, offered_only, "2024-01", ["branch"])
    offered = one(nanjing, "hotline_offered")["value"]
    assert offered == one(by_branch, "hotline_offered", branch="NJ")["value"]
    assert offered < one(everyone, "hotline_offered")["value"]


def test_an_empty_scope_sees_nothing(store: EventStore) -> None:
    assert compute(store, CATALOG, "2024-01", scope_branches=frozenset()).num_rows == 0


# -- zero denominators, empty sources, skipped cuts -------------------------------------------
def test_a_zero_denominator_gives_no_value_not_zero(store: EventStore) -> None:
    # Branch SQ has calls, none of which entered the agent queue.
    ids = {"hotline_service_level_15s", "hotline_asa_seconds", "hotline_offered"}
    table = compute(store, CATALOG.only(ids), "2024-01", ["branch"])
    row = one(table, "hotline_service_level_15s", branch="SQ")
    assert (row["value"], row["numerator"], row["denominator"]) == (None, 0.0, 0.0)
    assert row["status"] is None
    assert one(table, "hotline_asa_seconds", branch="SQ")["value"] is None
    assert one(table, "hotline_offered", branch="SQ")["value"] > 0


def test_sources_without_data_yield_no_rows_and_say_so(tmp_path: Path) -> None:
    computation = run(EventStore(tmp_path), CATALOG, "2024-01", ["branch"])
    assert computation.table.num_rows == 0
    assert computation.queries == ()
    reasons = {s.indicator: s.reason for s in computation.skipped}
    assert reasons["hotline_offered"] == "no calls data for 2024-01"
    assert reasons["echannel_availability_rate"] == "cannot be cut by branch"


def test_a_period_without_rows_yields_no_rows(store: EventStore) -> None:
    assert rows_of(compute(store, CATALOG, "2023-06"), "hotline_offered") == []


def test_indicators_that_cannot_be_cut_by_a_dimension_are_skipped_not_failed(
    store: EventStore,
) -> None:
    computation = run(store, CATALOG, "2024-01", ["hall"])
    computed = set(computation.table["indicator"].to_pylist())
    skipped = {s.indicator: s.reason for s in computation.skipped}
    assert "hall_served_within_10min_rate" in computed
    assert skipped["hotline_service_level_15s"] == "cannot be cut by hall"
    assert computed.isdisjoint(skipped)
    assert computed | set(skipped) == set(CATALOG.ids)


def test_unknown_dimensions_are_refused(store: EventStore) -> None:
    with pytest.raises(ValueError, match="unknown dimensions"):
        compute(store, CATALOG, "2024-01", ["colour"])


def test_an_unknown_backend_is_refused_clearly(store: EventStore) -> None:
    with pytest.raises(ValueError, match="unknown backend 'flink'"):
        compute(store, CATALOG, "2024-01", backend="flink")


# -- targets -----------------------------------------------------------------------------------
def test_the_vip_service_level_target_applies_to_vip_tiers_only(store: EventStore) -> None:
    service_level = CATALOG.only({"hotline_service_level_15s"})
    table = compute(store, service_level, "2024-01", ["tier"])
    for tier in ("diamond", "gold"):
        row = one(table, "hotline_service_level_15s", tier=tier)
        assert row["target"] == 85.0
        assert row["status"] == ("met" if row["value"] >= 85 else "missed")
    ordinary = one(table, "hotline_service_level_15s", tier="ordinary")
    assert (ordinary["target"], ordinary["status"]) == (None, None)
    total = one(compute(store, service_level, "2024-01"), "hotline_service_level_15s")
    assert total["target"] is None  # 85/15 is a VIP target, not a province-wide one


def test_a_lower_is_better_target_is_met_below_it(tmp_path: Path) -> None:
    visit = {
        "visit_id": "V1", "hall_id": "NJ-H001", "branch": "NJ", "tier": "gold",
        "customer_id": None, "service_type": "payment", "arrived_at": datetime(2024, 1, 5, 9),
        "called_at": datetime(2024, 1, 5, 9, 9), "served_at": None, "finished_at": None,
        "left_unserved": False, "counter": None, "staff_id": None, "survey_score": None,
    }  # fmt: skip
    table = compute(store_with(tmp_path, "hall_visits", [visit]), CATALOG, "2024-01")
    row = one(table, "hall_mean_wait_minutes")
    assert (row["value"], row["target"], row["status"]) == (9.0, 10.0, "met")


# -- the definitions at their edges, on tiny hand-made stores ---------------------------------
def call(call_id: str, customer: str, arrived: datetime, **fields: Any) -> Row:
    row: Row = dict.fromkeys(SOURCES["calls"].schema.names)
    row.update(
        call_id=call_id, customer_id=customer, tier="gold", branch="NJ", arrived_at=arrived,
        queued_at=arrived, answered_at=arrived + timedelta(seconds=5),
        ended_at=arrived + timedelta(minutes=3), wanted_agent=True,
    )  # fmt: skip
    row.update(fields)
    return row


def test_first_contact_resolution_counts_a_call_back_at_exactly_48_hours_as_a_repeat(
    tmp_path: Path,
) -> None:
    t = datetime(2024, 1, 10, 9)
    calls = [
        call("a1", "U1", t),
        call("a2", "U1", t + timedelta(hours=48)),  # a1 was not resolved
        call("b1", "U2", t),
        call("b2", "U2", t + timedelta(hours=48, milliseconds=1)),  # b1 was
        call("c1", "U3", datetime(2024, 1, 31, 23)),
        call("c2", "U3", datetime(2024, 2, 1, 1)),  # February, still seen: c1 was not
    ]
    row = one(compute(store_with(tmp_path, "calls", calls), CATALOG, "2024-01"),
              "hotline_first_contact_resolution_rate")  # fmt: skip
    # resolved: a2, b1, b2 (c2 is in February); answered calls of known customers: 5
    assert (row["numerator"], row["denominator"]) == (3.0, 5.0)
    assert row["value"] == pytest.approx(60.0)


def test_service_level_counts_abandoned_calls_in_the_denominator(tmp_path: Path) -> None:
    t = datetime(2024, 1, 10, 9)
    calls = [
        call("1", "U1", t, answered_at=t + timedelta(seconds=15)),  # in: inclusive
        call("2", "U2", t, answered_at=t + timedelta(seconds=15, milliseconds=1)),
        call("3", "U3", t, answered_at=None, abandoned_at=t + timedelta(seconds=2)),
        call("4", "U4", t, queued_at=None, answered_at=None),  # never queued: not counted
    ]
    table = compute(store_with(tmp_path, "calls", calls), CATALOG, "2024-01")
    level = one(table, "hotline_service_level_15s")
    assert (level["numerator"], level["denominator"]) == (1.0, 3.0)
    assert one(table, "hotline_abandon_rate")["value"] == pytest.approx(100 / 3)
    assert one(table, "hotline_asa_seconds")["value"] == pytest.approx(15.0005)


def test_a_repeat_complaint_is_within_30_days_in_the_same_category(tmp_path: Path) -> None:
    def complaint(complaint_id: str, customer: str, category: str, created: datetime) -> Row:
        row: Row = dict.fromkeys(SOURCES["complaints"].schema.names)
        row.update(
            complaint_id=complaint_id, customer_id=customer, branch="NJ", channel="hotline",
            category=category, level="ordinary", created_at=created,
        )  # fmt: skip
        return row

    day = datetime(2023, 12, 20, 10)
    rows = [
        complaint("k1", "U1", "bills", day),
        complaint("k2", "U1", "bills", day + timedelta(days=30)),  # repeat (December seen)
        complaint("k3", "U2", "bills", day),
        complaint("k4", "U2", "bills", day + timedelta(days=30, milliseconds=1)),  # not
        complaint("k5", "U1", "hotline", day + timedelta(days=31)),  # other category: not
    ]
    row = one(compute(store_with(tmp_path, "complaints", rows), CATALOG, "2024-01"),
              "complaint_repeat_rate")  # fmt: skip
    assert (row["numerator"], row["denominator"]) == (1.0, 3.0)


def test_peak_queue_length_counts_tickets_waiting_at_the_same_instant(tmp_path: Path) -> None:
    nine = datetime(2024, 1, 5, 9)

    def visit(visit_id: str, arrived: int, called: int | None, hall: str = "NJ-H001") -> Row:
        row: Row = dict.fromkeys(SOURCES["hall_visits"].schema.names)
        row.update(
            visit_id=visit_id, hall_id=hall, branch="NJ", tier="gold", left_unserved=called is None,
            arrived_at=nine + timedelta(minutes=arrived),
            called_at=None if called is None else nine + timedelta(minutes=called),
        )  # fmt: skip
        return row

    rows = [
        visit("v1", 0, 10),
        visit("v2", 5, 15),
        visit("v3", 5, 6),  # arrives with v2: three waiting at 9:05
        visit("v4", 10, 12),  # v1 is called at 9:10 as v4 arrives: two waiting (v2, v4)
        visit("v5", 11, None),  # walked away, no leaving time: never held a place
        visit("w1", 0, 60, hall="NJ-H002"),
    ]
    table = compute(store_with(tmp_path, "hall_visits", rows), CATALOG, "2024-01", ["hall"])
    assert one(table, "hall_peak_queue_length", hall="NJ-H001")["value"] == 3.0
    assert one(table, "hall_peak_queue_length", hall="NJ-H002")["value"] == 1.0


def test_complaints_per_10k_customers_divide_by_the_latest_snapshot(tmp_path: Path) -> None:
    events = build_events()
    store = write_store(
        tmp_path, {"complaints": events["complaints"], "customers": events["customers"]}
    )
    january = datetime(2024, 1, 1)
    snapshot = datetime(2024, 1, 31, 23)  # not December's, not February's
    complaints = [
        r for r in events["complaints"] if january <= r["created_at"] < datetime(2024, 2, 1)
    ]
    active = [
        r for r in events["customers"] if r["snapshot_at"] == snapshot and r["status"] == "active"
    ]
    row = one(compute(store, CATALOG, "2024-01"), "complaints_per_10k_customers")
    assert (row["numerator"], row["denominator"]) == (len(complaints), len(active))
    assert row["value"] == pytest.approx(len(complaints) / len(active) * 10_000)


def test_explicit_parquet_paths_give_the_same_figures_as_the_store(store: EventStore) -> None:
    # Without day partitions to prune, the query's own time filter and snapshot choice decide.
    paths = {source: [store.parquet_glob(source)] for source in SOURCES}

    def figures(events: Any) -> dict[tuple[str, str], list[Any]]:
        table = compute(events, CATALOG, "2024-01", ["branch"])
        return {
            (r["indicator"], r["branch"]): [r["value"], r["numerator"], r["denominator"]]
            for r in table.to_pylist()
        }

    from_paths, from_store = figures(paths), figures(store)
    assert from_paths.keys() == from_store.keys()
    # Parallel float sums may differ in the last bits from run to run, never more.
    assert from_paths == {
        key: [pytest.approx(v, rel=1e-12) if v is not None else None for v in values]
        for key, values in from_store.items()
    }
