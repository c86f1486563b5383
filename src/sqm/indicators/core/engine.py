"""The indicator engine: every indicator of the catalog for one period and one cut.

``compute`` runs one grouped aggregation per source (see ``query.py``), then turns the wide
per-source results into one long table — a row per indicator and dimension value — with the
value, its numerator and denominator, the target that applies and whether it was met.
"""

from __future__ import annotations

import glob
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from sqm.events.core.store import EventStore
from sqm.indicators.core.backends import open_session
from sqm.indicators.core.query import (
    ROWS,
    SNAPSHOT_KEY,
    SourcePlan,
    active_customers_key,
    build_query,
    dimension_alias,
    plan_source,
)
from sqm.indicators.core.semantic import SemanticModel
from sqm.indicators.core.semantic_sources import SEMANTIC_MODELS
from sqm.indicators.core.spec import (
    DIMENSIONS,
    TIME_DIMENSIONS,
    Catalog,
    Indicator,
    PerCustomersIndicator,
)
from sqm.indicators.core.targets import attach_targets
from sqm.lib.periods import Period, as_period

CUSTOMERS = "customers"


class EventFiles(Protocol):
    """Which Parquet files hold a source's rows for a range of days."""

    def files(self, source: str, first_day: date, last_day: date) -> list[str]: ...

    def snapshot_files(self, source: str, last_day: date) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class StoreFiles:
    """Day partitions prune the scan before the engine sees a row."""

    store: EventStore

    def files(self, source: str, first_day: date, last_day: date) -> list[str]:
        days = [d for d in self.store.days(source) if first_day <= d <= last_day]
        return [str(f) for d in days for f in self.store.files(source, d)]

    def snapshot_files(self, source: str, last_day: date) -> list[str]:
        days = [d for d in self.store.days(source) if d <= last_day]
        return [str(f) for f in self.store.files(source, max(days))] if days else []


@dataclass(frozen=True, slots=True)
class PathFiles:
    """Explicit files or globs per source; the query's time filter does all the selecting."""

    paths: Mapping[str, Sequence[str | Path]]

    def files(self, source: str, first_day: date, last_day: date) -> list[str]:
        found: list[str] = []
        for pattern in self.paths.get(source, ()):
            found.extend(sorted(glob.glob(str(pattern))))
        return found

    def snapshot_files(self, source: str, last_day: date) -> list[str]:
        return self.files(source, last_day, last_day)


@dataclass(frozen=True, slots=True)
class Skipped:
    indicator: str
    reason: str


@dataclass(frozen=True, slots=True)
class SourceQuery:
    source: str
    sql: str
    seconds: float
    groups: int
    plan: str | None = None  # the engine's physical plan, when asked for
    scan_marker: str = "READ_PARQUET"  # how the engine's plan shows a Parquet scan

    @property
    def parquet_scans(self) -> int | None:
        return None if self.plan is None else self.plan.count(self.scan_marker)


@dataclass(frozen=True, slots=True)
class Computation:
    table: pa.Table
    skipped: tuple[Skipped, ...]
    queries: tuple[SourceQuery, ...]


def result_schema(by: Sequence[str]) -> pa.Schema:
    return pa.schema(
        [("indicator", pa.string())]
        + [(d, pa.string()) for d in by]
        + [
            ("period", pa.string()),
            ("value", pa.float64()),
            ("numerator", pa.float64()),
            ("denominator", pa.float64()),
            ("target", pa.float64()),
            ("status", pa.string()),
        ]
    )


def compute(
    events: EventStore | EventFiles | Mapping[str, Sequence[str | Path]],
    catalog: Catalog,
    period: Period | str,
    by: Sequence[str] = (),
    scope_branches: frozenset[str] | None = None,
    backend: str = "duckdb",
) -> pa.Table:
    """Every indicator of ``catalog`` for ``period``, cut by ``by``, within the scope."""
    return run(events, catalog, period, by, scope_branches, backend).table


def run(
    events: EventStore | EventFiles | Mapping[str, Sequence[str | Path]],
    catalog: Catalog,
    period: Period | str,
    by: Sequence[str] = (),
    scope_branches: frozenset[str] | None = None,
    backend: str = "duckdb",
    explain: bool = False,
) -> Computation:
    """Like ``compute``, with the skipped indicators, the SQL each source ran and, with
    ``explain``, each query's physical plan."""
    by = _checked_dimensions(by)
    when = as_period(period)
    by_source, skipped = _split_by_source(catalog, by)
    if scope_branches is not None and not scope_branches:
        return Computation(result_schema(by).empty_table(), tuple(skipped), ())
    wide, queries, no_data = _query_sources(
        _event_files(events), by_source, by, when, scope_branches, backend, explain
    )
    skipped += no_data

    customers = wide.get(CUSTOMERS)
    active = _active_customers(customers) if customers else None
    parts: list[pa.Table] = []
    for plan, result in wide.values():
        for indicator in plan.indicators:
            if isinstance(indicator, PerCustomersIndicator) and active is None:
                skipped.append(Skipped(indicator.id, f"no customer snapshot up to {when.label}"))
                continue
            parts.append(_long(indicator, plan, result, by, when, active))
    table = pa.concat_tables(parts) if parts else result_schema(by).empty_table()
    return Computation(table, tuple(skipped), tuple(queries))


def _split_by_source(
    catalog: Catalog, by: Sequence[str]
) -> tuple[dict[str, list[Indicator]], list[Skipped]]:
    """The indicators each source computes for this cut, and those the cut rules out."""
    by_source: dict[str, list[Indicator]] = defaultdict(list)
    skipped: list[Skipped] = []
    for indicator in catalog.indicators:
        missing = [d for d in by if d not in indicator.dimensions]
        if missing:
            skipped.append(Skipped(indicator.id, f"cannot be cut by {', '.join(missing)}"))
        else:
            by_source[indicator.source].append(indicator)
    needs_snapshot = any(
        isinstance(i, PerCustomersIndicator) for group in by_source.values() for i in group
    )
    if needs_snapshot:
        by_source.setdefault(CUSTOMERS, [])  # the denominators, even with no own indicator
    return by_source, skipped


def _query_sources(
    files: EventFiles,
    by_source: Mapping[str, list[Indicator]],
    by: Sequence[str],
    period: Period,
    scope: frozenset[str] | None,
    backend: str,
    explain: bool,
) -> tuple[dict[str, tuple[SourcePlan, pa.Table]], list[SourceQuery], list[Skipped]]:
    """One grouped aggregation per source with data; the wide result of each."""
    wide: dict[str, tuple[SourcePlan, pa.Table]] = {}
    queries: list[SourceQuery] = []
    skipped: list[Skipped] = []
    session = open_session(backend)
    try:
        for source in sorted(by_source):
            model = SEMANTIC_MODELS[source]
            indicators = by_source[source]
            selected = _files_for(files, model, period)
            if not selected:
                skipped += [
                    Skipped(i.id, f"no {source} data for {period.label}") for i in indicators
                ]
                continue
            plan = _plan(model, indicators, by)
            table = session.read_parquet(selected, model.source.schema)
            expression = build_query(table, plan, period, scope)
            started = time.perf_counter()
            result, sql = session.execute(expression)
            elapsed = time.perf_counter() - started
            if model.snapshot:
                result = _latest_snapshot(result)
            plan_text = session.explain(sql) if explain else None
            marker = session.capabilities.scan_marker
            queries.append(SourceQuery(source, sql, elapsed, result.num_rows, plan_text, marker))
            wide[source] = (plan, result)
    finally:
        session.close()
    return wide, queries, skipped


# -- planning ------------------------------------------------------------------------------
def _checked_dimensions(by: Sequence[str]) -> list[str]:
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimensions {unknown}; choose from {list(DIMENSIONS)}")
    if len(set(by)) != len(by):
        raise ValueError(f"a dimension is repeated in {list(by)}")
    return list(by)


def _event_files(
    events: EventStore | EventFiles | Mapping[str, Sequence[str | Path]],
) -> EventFiles:
    if isinstance(events, EventStore):
        return StoreFiles(events)
    if isinstance(events, Mapping):
        return PathFiles(events)
    return events


def _files_for(files: EventFiles, model: SemanticModel, period: Period) -> list[str]:
    if model.snapshot:
        return files.snapshot_files(model.name, period.last_day)
    lookback = model.window.lookback if model.window else timedelta(0)
    lookahead = model.window.lookahead if model.window else timedelta(0)
    first = (period.start - lookback).date()
    last = (period.end + lookahead - timedelta(microseconds=1)).date()
    return files.files(model.name, first, last)


def _plan(model: SemanticModel, indicators: Sequence[Indicator], by: Sequence[str]) -> SourcePlan:
    if model.snapshot:
        # The snapshot is also every per_customers denominator: grouped by the cut without
        # its time dimensions (each day of the period divides by the same snapshot).
        group_by = [d for d in by if d not in TIME_DIMENSIONS]
        return plan_source(model, indicators, group_by, extra_measures=[active_customers_key()])
    return plan_source(model, indicators, by)


def _latest_snapshot(result: pa.Table) -> pa.Table:
    if result.num_rows == 0:
        return result
    latest = pc.max(result[SNAPSHOT_KEY])
    return result.filter(pc.equal(result[SNAPSHOT_KEY], latest)).drop_columns([SNAPSHOT_KEY])


def _active_customers(
    customers: tuple[SourcePlan, pa.Table],
) -> dict[tuple[str | None, ...], float]:
    plan, result = customers
    column = plan.measures[active_customers_key()]
    keys = [dimension_alias(d) for d in plan.group_by]
    rows = result.select([*keys, column]).to_pylist()
    return {tuple(_text(r[k]) for k in keys): float(r[column]) for r in rows}


# -- results -------------------------------------------------------------------------------
def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _dimension_column(result: pa.Table, dimension: str) -> pa.Array:
    column = result[dimension_alias(dimension)]
    if dimension in TIME_DIMENSIONS:
        as_time = pc.cast(column, pa.timestamp("s"))
        return pc.strftime(as_time, format="%Y-%m" if dimension == "month" else "%Y-%m-%d")
    return pc.cast(column, pa.string())


def _float_column(result: pa.Table, name: str | None) -> pa.Array:
    if name is None:
        return pa.nulls(result.num_rows, pa.float64())
    return pc.cast(result[name], pa.float64())


def _long(
    indicator: Indicator,
    plan: SourcePlan,
    result: pa.Table,
    by: Sequence[str],
    period: Period,
    active: dict[tuple[str | None, ...], float] | None,
) -> pa.Table:
    result = result.filter(pc.greater(result[ROWS], 0))  # an empty period has no figures
    outputs = plan.outputs[indicator.id]
    dimensions = {d: _dimension_column(result, d) for d in by}
    numerator = _float_column(result, outputs.numerator)
    denominator = _float_column(result, outputs.denominator)
    if isinstance(indicator, PerCustomersIndicator):
        shared = [d for d in by if d not in TIME_DIMENSIONS]
        keys = (
            zip(*(dimensions[d].to_pylist() for d in shared), strict=True)
            if shared
            else (() for _ in range(result.num_rows))
        )
        denominator = pa.array([(active or {}).get(tuple(k)) for k in keys], pa.float64())
        value = pc.divide(pc.multiply(numerator, float(indicator.per)), _null_if_zero(denominator))
    else:
        value = _float_column(result, outputs.value)
    columns: dict[str, pa.Array] = {
        "indicator": pa.array([indicator.id] * result.num_rows, pa.string())
    }
    columns.update(dimensions)
    columns["period"] = pa.array([period.label] * result.num_rows, pa.string())
    columns.update(value=value, numerator=numerator, denominator=denominator)
    target, status = attach_targets(indicator, value, dimensions.get("tier"))
    columns.update(target=target, status=status)
    return pa.table(columns, schema=result_schema(by))


def _null_if_zero(values: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(values, 0.0), pa.scalar(None, pa.float64()), values)
