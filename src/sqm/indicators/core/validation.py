"""Validation rules for a catalog, one function per concern (MetricFlow style).

The pydantic models check each declaration on its own; these rules check what needs the
whole catalog or the outside world: unique ids, known factors and departments, and that every
name a declaration uses exists in its source's semantic model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Protocol

from sqm.indicators.core.spec import (
    SNAKE_CASE,
    TIME_DIMENSIONS,
    Catalog,
    Measure,
    PerCustomersIndicator,
    RatioIndicator,
    Values,
    measures_of,
)
from sqm.org.core.factors import FACTOR_CODES
from sqm.org.core.province import PROVINCE

DEPARTMENT_CODES: frozenset[str] = frozenset(d.code for d in PROVINCE.departments)
TIER_CODES: frozenset[str] = PROVINCE.tier_codes()
CUSTOMERS_SOURCE = "customers"
# Only these figures may span every factor instead of belonging to one.
CROSS_FACTOR_UNITS = frozenset({"score_10", "points_10"})


class ModelNames(Protocol):
    """What a rule needs to know about a semantic model: names, never expressions."""

    @property
    def column_kinds(self) -> Mapping[str, str]: ...

    @property
    def filter_names(self) -> frozenset[str]: ...

    @property
    def dimension_names(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class Issue:
    indicator: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.indicator}: {self.message} [{self.rule}]"


class CatalogError(ValueError):
    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        super().__init__("invalid indicator catalog:\n" + "\n".join(f"  {i}" for i in issues))


Models = Mapping[str, ModelNames]
Rule = Callable[[Catalog, Models], Iterator[Issue]]


def ids_are_unique_snake_case(catalog: Catalog, models: Models) -> Iterator[Issue]:
    for indicator_id, count in Counter(catalog.ids).items():
        if count > 1:
            yield Issue(indicator_id, "unique-id", f"declared {count} times")
        if not re.match(SNAKE_CASE, indicator_id):
            yield Issue(indicator_id, "unique-id", "id is not snake_case")


def factors_are_known(catalog: Catalog, models: Models) -> Iterator[Issue]:
    for i in catalog.indicators:
        if i.factor is None:
            if i.unit not in CROSS_FACTOR_UNITS:
                yield Issue(
                    i.id, "factor", "only survey scores may span every factor (factor: null)"
                )
        elif i.factor not in FACTOR_CODES:
            yield Issue(i.id, "factor", f"unknown perception factor {i.factor!r}")


def departments_are_known(catalog: Catalog, models: Models) -> Iterator[Issue]:
    for i in catalog.indicators:
        if i.department not in DEPARTMENT_CODES:
            yield Issue(i.id, "department", f"unknown department {i.department!r}")


def sources_are_known(catalog: Catalog, models: Models) -> Iterator[Issue]:
    for i in catalog.indicators:
        for source in i.sources:
            if source not in models:
                yield Issue(i.id, "source", f"no semantic model for source {source!r}")


def references_exist(catalog: Catalog, models: Models) -> Iterator[Issue]:
    """Every column and filter a measure names exists in the source's semantic model."""
    for i in catalog.indicators:
        model = models.get(i.source)
        if model is None:
            continue
        for measure in measures_of(i):
            if measure.column is not None and measure.column not in model.column_kinds:
                yield Issue(i.id, "reference", f"unknown column {measure.column!r} in {i.source}")
            for name in measure.filters:
                if name not in model.filter_names:
                    yield Issue(i.id, "reference", f"unknown filter {name!r} in {i.source}")


def aggregations_fit_columns(catalog: Catalog, models: Models) -> Iterator[Issue]:
    """sum, mean, percentile and max need numbers; booleans are counted through filters."""
    for i in catalog.indicators:
        model = models.get(i.source)
        if model is None:
            continue
        for measure in measures_of(i):
            needs_number = isinstance(measure, Values) or (
                isinstance(measure, Measure) and measure.agg in ("sum", "mean")
            )
            kind = model.column_kinds.get(measure.column or "")
            if needs_number and kind is not None and kind != "numeric":
                yield Issue(
                    i.id, "aggregation", f"column {measure.column!r} is {kind}, not numeric"
                )


def dimensions_are_supported(catalog: Catalog, models: Models) -> Iterator[Issue]:
    for i in catalog.indicators:
        model = models.get(i.source)
        if model is None:
            continue
        allowed = set(model.dimension_names)
        if isinstance(i, PerCustomersIndicator):
            # The denominator is a snapshot: only dimensions both sources carry, plus time
            # (every day of the period is divided by the same snapshot).
            customers = models.get(CUSTOMERS_SOURCE)
            shared = customers.dimension_names if customers is not None else frozenset()
            allowed = (allowed & shared) | (allowed & TIME_DIMENSIONS)
        for dimension in i.dimensions:
            if dimension not in allowed:
                yield Issue(i.id, "dimension", f"{i.source} cannot be cut by {dimension!r}")
        if len(set(i.dimensions)) != len(i.dimensions):
            yield Issue(i.id, "dimension", "a dimension is listed twice")


def targets_match_direction(catalog: Catalog, models: Models) -> Iterator[Issue]:
    for i in catalog.indicators:
        general = [t for t in i.targets if not t.tiers]
        if len(general) > 1:
            yield Issue(i.id, "target", "more than one target for all tiers")
        for target in i.targets:
            expected = {"higher": "at_least", "lower": "at_most"}.get(i.direction)
            if expected is None:
                yield Issue(i.id, "target", "a neutral indicator (a volume) has no target")
            elif target.bound != expected:
                yield Issue(i.id, "target", f"direction {i.direction} needs an {expected} target")
            if i.unit == "percent" and not 0 <= target.value <= 100:
                yield Issue(i.id, "target", f"percent target {target.value} outside 0–100")
            unknown = set(target.tiers) - TIER_CODES
            if unknown:
                yield Issue(i.id, "target", f"unknown tiers {sorted(unknown)}")
            if target.tiers and "tier" not in i.dimensions:
                yield Issue(i.id, "target", "a per-tier target needs the tier dimension")


def percentages_are_scaled(catalog: Catalog, models: Models) -> Iterator[Issue]:
    """A percentage is a ratio × 100, written out; a ×100 ratio is always a percentage."""
    for i in catalog.indicators:
        scaled_by_100 = isinstance(i, RatioIndicator) and i.scale == 100
        if i.unit == "percent" and not scaled_by_100:
            yield Issue(i.id, "percent", "a percentage must be a ratio with scale: 100")
        if scaled_by_100 and i.unit != "percent":
            yield Issue(i.id, "percent", "a ratio scaled ×100 must have unit percent")
        if isinstance(i, PerCustomersIndicator):
            expected = {10_000: "per_10k_customers", 1_000_000: "per_million_customers"}[i.per]
            if i.unit != expected:
                yield Issue(i.id, "percent", f"per {i.per} customers needs unit {expected}")


RULES: tuple[Rule, ...] = (
    ids_are_unique_snake_case,
    factors_are_known,
    departments_are_known,
    sources_are_known,
    references_exist,
    aggregations_fit_columns,
    dimensions_are_supported,
    targets_match_direction,
    percentages_are_scaled,
)


def issues_of(catalog: Catalog, models: Models) -> list[Issue]:
    return [issue for rule in RULES for issue in rule(catalog, models)]


def check(catalog: Catalog, models: Models) -> Catalog:
    issues = issues_of(catalog, models)
    if issues:
        raise CatalogError(issues)
    return catalog
