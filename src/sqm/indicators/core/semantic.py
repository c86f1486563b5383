"""Semantic models: what the names in the catalog mean, per event source, as Ibis expressions.

A semantic model gives one source its dimensions (dimension name → column), its derived
columns (row-level, e.g. ``wait_s``), its window columns (computed over neighbouring rows,
e.g. ``repeat_within_48h``) and its named filters. Everything is written with Ibis
operations that both DuckDB and PySpark compile (date_diff in milliseconds, interval
arithmetic, lead/lag/min over windows, unnest), so the same catalog runs on either backend.

The declarations live in ``semantic_contacts.py`` (calls, hall visits) and
``semantic_sources.py`` (the rest, and the registry ``SEMANTIC_MODELS``); this module holds the
types and the helpers they share.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Literal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from sqm.events.core.schemas import Source

ColumnKind = Literal["numeric", "boolean", "string", "timestamp", "date"]
RowExpression = Callable[[ir.Table], ir.Value]
Predicate = Callable[[ir.Table], ir.BooleanValue]


@dataclass(frozen=True, slots=True)
class Described:
    """A name with its meaning in both languages (rendered into docs/indicators.md)."""

    name: str
    kind: ColumnKind
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class DerivedColumn:
    doc: Described
    expression: RowExpression


@dataclass(frozen=True, slots=True)
class NamedFilter:
    name: str
    predicate: Predicate
    zh: str
    en: str


@dataclass(frozen=True, slots=True)
class WindowStage:
    """Columns that need neighbouring rows (the same customer's next call, the same hall's
    queue). They are computed on a time range widened by ``lookback``/``lookahead`` *before*
    the period filter, so a call on the last day of the month still sees the next day's calls."""

    columns: tuple[Described, ...]
    apply: Callable[[ir.Table], ir.Table]
    lookback: timedelta = timedelta(0)
    lookahead: timedelta = timedelta(0)


@dataclass(frozen=True, slots=True)
class SemanticModel:
    source: Source
    # dimension name -> column (raw or derived); day/week/month come from the time column
    dimensions: Mapping[str, str]
    derived: tuple[DerivedColumn, ...] = ()
    filters: tuple[NamedFilter, ...] = ()
    window: WindowStage | None = None
    # Rows that never count (e.g. calls flagged as excluded): dropped before windows.
    base_filter: NamedFilter | None = None
    # A snapshot source is read at its latest snapshot on or before the period's end instead
    # of over the period (customers: a month-end picture, not a stream of events).
    snapshot: bool = False
    grain_zh: str = ""
    grain_en: str = ""
    _filters: Mapping[str, NamedFilter] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_filters", {f.name: f for f in self.filters})

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def time_column(self) -> str:
        return self.source.time_column

    # -- names, for the validation rules and the docs ------------------------------------
    @property
    def column_kinds(self) -> Mapping[str, ColumnKind]:
        kinds: dict[str, ColumnKind] = {f.name: _kind_of(f.type) for f in self.source.schema}
        if self.window is not None:
            kinds.update({c.name: c.kind for c in self.window.columns})
        kinds.update({d.doc.name: d.doc.kind for d in self.derived})
        return kinds

    @property
    def filter_names(self) -> frozenset[str]:
        return frozenset(self._filters)

    @property
    def dimension_names(self) -> frozenset[str]:
        time = frozenset() if self.snapshot else frozenset({"day", "week", "month"})
        return frozenset(self.dimensions) | time

    def filter(self, name: str) -> NamedFilter:
        return self._filters[name]

    # -- expressions ---------------------------------------------------------------------
    def dimension_expression(self, table: ir.Table, dimension: str) -> ir.Value:
        time = table[self.time_column]
        if dimension == "day":
            return time.date()
        if dimension == "week":  # weeks start on Monday on both backends
            return time.truncate("W").date()
        if dimension == "month":
            return time.truncate("M").date()
        return table[self.dimensions[dimension]]

    def add_derived(self, table: ir.Table) -> ir.Table:
        # One mutate per column: a derived column may build on an earlier one.
        for column in self.derived:
            table = table.mutate(**{column.doc.name: column.expression(table)})
        return table

    def predicate(self, table: ir.Table, names: tuple[str, ...]) -> ir.BooleanValue | None:
        """The AND of the named filters, or None when there are none (aggregate all rows)."""
        result: ir.BooleanValue | None = None
        for name in names:
            condition = self._filters[name].predicate(table)
            result = condition if result is None else result & condition
        return result


def _kind_of(data_type: pa.DataType) -> ColumnKind:
    if pa.types.is_boolean(data_type):
        return "boolean"
    if pa.types.is_integer(data_type) or pa.types.is_floating(data_type):
        return "numeric"
    if pa.types.is_timestamp(data_type):
        return "timestamp"
    if pa.types.is_date(data_type):
        return "date"
    return "string"


# -- expression helpers shared by the declarations ----------------------------------------
def seconds_between(later: ir.TimestampValue, earlier: ir.TimestampValue) -> ir.FloatingValue:
    """Exact to the millisecond on DuckDB and Spark (epoch seconds would truncate on Spark)."""
    milliseconds: ir.IntegerValue = later.delta(earlier, unit="millisecond")
    return milliseconds.cast("float64") / 1000.0


def within(
    later: ir.TimestampValue, earlier: ir.TimestampValue, limit: timedelta
) -> ir.BooleanValue:
    """True when ``later`` exists and falls no more than ``limit`` after ``earlier``."""
    return later.notnull() & (later <= earlier + interval(limit))


def interval(span: timedelta) -> ir.IntervalScalar:
    """The span in its largest whole unit, so the SQL reads ``INTERVAL '48' HOUR``."""
    seconds = int(span.total_seconds())
    for unit, size in (("days", 86_400), ("hours", 3_600), ("minutes", 60)):
        if seconds % size == 0:
            return ibis.interval(**{unit: seconds // size})
    return ibis.interval(seconds=seconds)


def is_true(column: ir.BooleanValue) -> ir.BooleanValue:
    """A nullable flag counted as true only when it is true (null means 'not known to be')."""
    return column.fill_null(False)


def named_filter(name: str, predicate: Predicate, zh: str, en: str) -> NamedFilter:
    return NamedFilter(name, predicate, zh, en)


def derived_column(
    name: str, kind: ColumnKind, zh: str, en: str, expression: RowExpression
) -> DerivedColumn:
    return DerivedColumn(Described(name, kind, zh, en), expression)


def registry(*models: SemanticModel) -> dict[str, SemanticModel]:
    return {m.name: m for m in models}
