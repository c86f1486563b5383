"""The indicator specification: what an indicator *is*, kept apart from the engine that computes it.

Every declaration is a frozen pydantic model that refuses unknown keys, and the indicator
itself is a union keyed on ``kind``: a ratio carries a numerator and a denominator, a
percentile carries ``q``, and nothing carries fields it does not use. The spec holds only
*names* (columns, filters, dimensions); what those names mean lives in the semantic models
(``semantic.py``) and the cross-checks between the two are separate rules (``validation.py``).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SNAKE_CASE = r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$"

Dimension = Literal["branch", "hall", "channel", "tier", "agent", "factor", "day", "week", "month"]
DIMENSIONS: tuple[Dimension, ...] = (
    "branch",
    "hall",
    "channel",
    "tier",
    "agent",
    "factor",
    "day",
    "week",
    "month",
)
TIME_DIMENSIONS: frozenset[str] = frozenset({"day", "week", "month"})

Group = Literal["perception", "operations", "complaint"]
GROUP_LABELS: dict[str, tuple[str, str]] = {
    "perception": ("客户感知指标", "Customer perception"),
    "operations": ("内部运营指标", "Internal operations"),
    "complaint": ("投诉指标", "Complaints"),
}

Direction = Literal["higher", "lower", "neutral"]
Unit = Literal[
    "percent",
    "count",
    "seconds",
    "minutes",
    "hours",
    "milliseconds",
    "score_5",
    "score_10",
    "score_100",
    "points_10",
    "per_10k",
    "per_10k_customers",
    "per_million_customers",
    "people",
]
UNIT_LABELS: dict[str, tuple[str, str]] = {
    "percent": ("%", "%"),
    "count": ("个/次", "count"),
    "seconds": ("秒", "seconds"),
    "minutes": ("分钟", "minutes"),
    "hours": ("小时", "hours"),
    "milliseconds": ("毫秒", "milliseconds"),
    "score_5": ("分(1–5)", "score (1–5)"),
    "score_10": ("分(1–10)", "score (1–10)"),
    "score_100": ("分(0–100)", "score (0–100)"),
    "points_10": ("分差(10分制)", "points on the 10-point scale"),
    "per_10k": ("每万件", "per 10,000"),
    "per_10k_customers": ("每万客户", "per 10,000 customers"),
    "per_million_customers": ("每百万客户", "per 1,000,000 customers"),
    "people": ("人", "people"),
}


class Strict(BaseModel):
    """Frozen and closed: a misspelt key is an error, never a silently ignored option."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Measure(Strict):
    """One aggregate over the rows of a source that pass every named filter."""

    agg: Literal["count", "sum", "mean", "count_distinct"]
    column: str | None = None  # ``count`` without a column counts rows
    filters: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _column_when_needed(self) -> Measure:
        if self.agg != "count" and self.column is None:
            raise ValueError(f"a {self.agg} measure needs a column")
        return self


class Values(Strict):
    """The values of one column over the rows that pass every named filter (nulls ignored)."""

    column: str
    filters: tuple[str, ...] = ()


class Target(Strict):
    """A goal with the place it comes from; ``tiers`` limits it to figures cut by those tiers."""

    bound: Literal["at_least", "at_most"]
    value: float
    source: str = Field(min_length=3)
    tiers: tuple[str, ...] = ()


class _Indicator(Strict):
    id: str = Field(pattern=SNAKE_CASE)
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    group: Group
    # One of the 19 perception factors; null only for figures that span every factor
    # (overall satisfaction), which the validation rules allow for nothing else.
    factor: str | None
    source: str
    unit: Unit
    direction: Direction
    targets: tuple[Target, ...] = ()
    department: str
    dimensions: tuple[Dimension, ...]
    definition_zh: str = Field(min_length=1)
    definition_en: str = Field(min_length=1)

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source,)


class RatioIndicator(_Indicator):
    """numerator ÷ denominator × scale (scale 100 for a percentage, written out explicitly)."""

    kind: Literal["ratio"]
    numerator: Measure
    denominator: Measure
    scale: float = Field(default=1.0, gt=0)


class MeanIndicator(_Indicator):
    kind: Literal["mean"]
    values: Values


class PercentileIndicator(_Indicator):
    kind: Literal["percentile"]
    values: Values
    q: float = Field(gt=0, lt=1)


class CountIndicator(_Indicator):
    kind: Literal["count"]
    measure: Measure


class MaxIndicator(_Indicator):
    kind: Literal["max"]
    values: Values


class PerCustomersIndicator(_Indicator):
    """A measure on its source per 10,000 (or 1,000,000) active customers of the snapshot."""

    kind: Literal["per_customers"]
    numerator: Measure
    per: Literal[10_000, 1_000_000]

    @property
    def sources(self) -> tuple[str, ...]:
        return (self.source, "customers")


class DifferenceIndicator(_Indicator):
    """mean(minuend) − mean(subtrahend), e.g. our satisfaction minus the competitors'."""

    kind: Literal["difference"]
    minuend: Values
    subtrahend: Values


Indicator = Annotated[
    RatioIndicator
    | MeanIndicator
    | PercentileIndicator
    | CountIndicator
    | MaxIndicator
    | PerCustomersIndicator
    | DifferenceIndicator,
    Field(discriminator="kind"),
]
KINDS: tuple[str, ...] = (
    "ratio",
    "mean",
    "percentile",
    "count",
    "max",
    "per_customers",
    "difference",
)


class Catalog(Strict):
    indicators: tuple[Indicator, ...]

    def get(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.indicators)

    def only(self, ids: set[str] | frozenset[str]) -> Catalog:
        """A sub-catalog with the named indicators (already validated as part of this one)."""
        return Catalog.model_construct(indicators=tuple(i for i in self.indicators if i.id in ids))


def measures_of(indicator: Indicator) -> tuple[Measure | Values, ...]:
    """Every measure or value set an indicator reads from its own source."""
    match indicator:
        case RatioIndicator():
            return (indicator.numerator, indicator.denominator)
        case MeanIndicator() | PercentileIndicator() | MaxIndicator():
            return (indicator.values,)
        case CountIndicator():
            return (indicator.measure,)
        case PerCustomersIndicator():
            return (indicator.numerator,)
        case DifferenceIndicator():
            return (indicator.minuend, indicator.subtrahend)
