"""Compiling the indicators of one source into one grouped aggregation (one scan).

The plan for a source lists every distinct measure its indicators need (shared measures are
computed once: fifteen calls indicators divide by the same "queued" count), and the query is

    scan → scope filter → base filter → [window columns on a widened range] → period filter
         → derived columns → dimensions → GROUP BY dimensions, all measures as conditional
           aggregates (COUNT(*) FILTER (WHERE …)) → values (numerator × scale / NULLIF(den, 0))

Values of ``per_customers`` indicators need a second source (the customer snapshot) and are
finished by the engine after both queries have run.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir

from sqm.indicators.core.semantic import SemanticModel
from sqm.indicators.core.spec import (
    CountIndicator,
    DifferenceIndicator,
    Indicator,
    MaxIndicator,
    MeanIndicator,
    Measure,
    PercentileIndicator,
    PerCustomersIndicator,
    RatioIndicator,
    Values,
)
from sqm.lib.periods import Period

Aggregation = Literal["count", "sum", "mean", "count_distinct", "quantile", "max"]
ROWS = "rows_in_group"
SNAPSHOT_KEY = "snapshot_at_key"
ACTIVE_CUSTOMERS_FILTER = "active"


@dataclass(frozen=True, slots=True)
class MeasureKey:
    """One aggregate; equal keys are computed once per query."""

    agg: Aggregation
    column: str | None
    filters: tuple[str, ...]
    q: float | None = None


@dataclass(frozen=True, slots=True)
class Outputs:
    """Where an indicator's figures are in the query result (column aliases)."""

    value: str | None  # None: finished by the engine (per_customers)
    numerator: str | None
    denominator: str | None


@dataclass(frozen=True, slots=True)
class SourcePlan:
    model: SemanticModel
    indicators: tuple[Indicator, ...]
    measures: dict[MeasureKey, str]
    outputs: dict[str, Outputs]
    group_by: tuple[str, ...]


def dimension_alias(dimension: str) -> str:
    return f"by_{dimension}"


def _key(measure: Measure | Values, agg: Aggregation, q: float | None = None) -> MeasureKey:
    # Filters are a conjunction: their order does not change the measure.
    return MeasureKey(agg, measure.column, tuple(sorted(set(measure.filters))), q)


def _keys_of(indicator: Indicator) -> tuple[tuple[str, MeasureKey], ...]:
    """(role, measure) pairs an indicator needs from its own source."""
    match indicator:
        case RatioIndicator():
            return (
                ("numerator", _key(indicator.numerator, indicator.numerator.agg)),
                ("denominator", _key(indicator.denominator, indicator.denominator.agg)),
            )
        case MeanIndicator():
            return (
                ("numerator", _key(indicator.values, "sum")),
                ("denominator", _key(indicator.values, "count")),
            )
        case PercentileIndicator():
            return (
                ("value", _key(indicator.values, "quantile", indicator.q)),
                ("denominator", _key(indicator.values, "count")),
            )
        case MaxIndicator():
            return (
                ("value", _key(indicator.values, "max")),
                ("denominator", _key(indicator.values, "count")),
            )
        case CountIndicator():
            return (("numerator", _key(indicator.measure, indicator.measure.agg)),)
        case PerCustomersIndicator():
            return (("numerator", _key(indicator.numerator, indicator.numerator.agg)),)
        case DifferenceIndicator():
            return (
                ("minuend_sum", _key(indicator.minuend, "sum")),
                ("minuend_count", _key(indicator.minuend, "count")),
                ("subtrahend_sum", _key(indicator.subtrahend, "sum")),
                ("subtrahend_count", _key(indicator.subtrahend, "count")),
            )


def measure_alias(key: MeasureKey) -> str:
    """A column name that reads as the measure, e.g. count_rows_where_queued."""
    agg = key.agg if key.q is None else f"p{key.q * 100:g}".replace(".", "_")
    name = f"{agg}_{key.column or 'rows'}"
    return f"{name}_where_{'_and_'.join(key.filters)}" if key.filters else name


def value_alias(indicator_id: str) -> str:
    return f"value__{indicator_id}"


def plan_source(
    model: SemanticModel,
    indicators: Sequence[Indicator],
    group_by: Sequence[str],
    extra_measures: Sequence[MeasureKey] = (),
) -> SourcePlan:
    measures: dict[MeasureKey, str] = {}

    def alias(key: MeasureKey) -> str:
        if key not in measures:
            name = measure_alias(key)
            taken = set(measures.values())
            measures[key] = name if name not in taken else f"{name}_{len(measures)}"
        return measures[key]

    outputs: dict[str, Outputs] = {}
    for indicator in indicators:
        roles = {role: alias(key) for role, key in _keys_of(indicator)}
        # per_customers values need the customer snapshot: the engine finishes them.
        value = None if isinstance(indicator, PerCustomersIndicator) else value_alias(indicator.id)
        outputs[indicator.id] = Outputs(value, roles.get("numerator"), roles.get("denominator"))
    for key in extra_measures:
        alias(key)
    return SourcePlan(model, tuple(indicators), measures, outputs, tuple(group_by))


def active_customers_key() -> MeasureKey:
    return MeasureKey("count", None, (ACTIVE_CUSTOMERS_FILTER,))


# -- the query -----------------------------------------------------------------------------
def restrict(
    table: ir.Table, model: SemanticModel, period: Period, scope: frozenset[str] | None
) -> ir.Table:
    """The source's rows that count for the period, with window and derived columns."""
    t = table
    if scope is not None:
        # Pushed into the scan: a branch manager's query never reads another branch's rows.
        t = t.filter(t.branch.isin(sorted(scope)))
    if model.base_filter is not None:
        t = t.filter(model.base_filter.predicate(t))
    time = model.time_column
    if model.snapshot:
        # Every snapshot up to the period's end; the engine keeps the latest (one scan, no
        # subquery: the snapshot time is a grouping key, see SNAPSHOT_KEY).
        t = t.filter(t[time] < period.end)
    elif model.window is not None:
        window = model.window
        t = t.filter(
            (t[time] >= period.start - window.lookback) & (t[time] < period.end + window.lookahead)
        )
        t = window.apply(t)
        t = t.filter((t[time] >= period.start) & (t[time] < period.end))
    else:
        t = t.filter((t[time] >= period.start) & (t[time] < period.end))
    return model.add_derived(t)


def _aggregate(t: ir.Table, model: SemanticModel, key: MeasureKey) -> ir.Scalar:
    where = model.predicate(t, key.filters)
    if key.column is None:
        return t.count(where=where)
    column = t[key.column]
    match key.agg:
        case "count":
            return column.count(where=where)
        case "count_distinct":
            return column.nunique(where=where)
        case "sum":
            # A sum over no rows is NULL in SQL; as a numerator it means zero.
            return ibis.coalesce(column.sum(where=where), 0)
        case "mean":
            return column.mean(where=where)
        case "quantile":
            return column.quantile(key.q, where=where)
        case "max":
            return column.max(where=where)


def _as_float(value: ir.Value) -> ir.Value:
    return value.cast("float64")


def _ratio(numerator: ir.Value, denominator: ir.Value, scale: float = 1.0) -> ir.Value:
    """numerator × scale ÷ denominator; a zero denominator gives NULL, never 0 or an error."""
    scaled = _as_float(numerator) * scale if scale != 1.0 else _as_float(numerator)
    return scaled / _as_float(denominator).nullif(0)


def _values(aggregated: ir.Table, plan: SourcePlan) -> dict[str, ir.Value]:
    values: dict[str, ir.Value] = {}
    for indicator in plan.indicators:
        roles = {role: plan.measures[key] for role, key in _keys_of(indicator)}
        a = {role: aggregated[name] for role, name in roles.items()}
        match indicator:
            case RatioIndicator():
                value = _ratio(a["numerator"], a["denominator"], indicator.scale)
            case MeanIndicator():
                value = _ratio(a["numerator"], a["denominator"])
            case PercentileIndicator() | MaxIndicator():
                value = _as_float(a["value"])
            case CountIndicator():
                value = _as_float(a["numerator"])
            case DifferenceIndicator():
                value = _ratio(a["minuend_sum"], a["minuend_count"]) - _ratio(
                    a["subtrahend_sum"], a["subtrahend_count"]
                )
            case PerCustomersIndicator():
                continue
        values[value_alias(indicator.id)] = value
    return values


def build_query(
    table: ir.Table, plan: SourcePlan, period: Period, scope: frozenset[str] | None
) -> ir.Table:
    """ONE grouped aggregation over ``table`` computing every measure of the plan."""
    model = plan.model
    t = restrict(table, model, period, scope)
    keys = {dimension_alias(d): model.dimension_expression(t, d) for d in plan.group_by}
    if model.snapshot:
        keys[SNAPSHOT_KEY] = t[model.time_column]
    if keys:
        t = t.mutate(**keys)
    metrics = {ROWS: t.count()}
    metrics.update({alias: _aggregate(t, model, key) for key, alias in plan.measures.items()})
    grouped = t.group_by(list(keys)).aggregate(**metrics) if keys else t.aggregate(**metrics)
    return grouped.mutate(**_values(grouped, plan))
