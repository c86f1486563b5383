"""The report as data, before it is a PDF or a workbook: sections of sentences, tables with
typed columns and charts over a table's columns. ``pdf`` and ``workbook`` render the same
sections, so the two files always carry the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqm.lib import formats

# How a column's raw values are written in the PDF; the workbook keeps the raw value with the
# matching Excel number format.
Kind = Literal["text", "count", "number1", "number2", "percent", "share", "signed"]
Tone = Literal["red", "amber", "green", "grey"]

EXCEL_FORMATS: dict[str, str] = {
    "count": "#,##0",
    "number1": "#,##0.0",
    "number2": "#,##0.00",
    "percent": '0.0"%"',  # the indicators' percent unit is already 0–100
    "share": "0.0%",  # a share in [0, 1]
    "signed": "+0.00;-0.00;0.00",
}


@dataclass(frozen=True, slots=True)
class Column:
    header: str
    kind: Kind = "text"


@dataclass(frozen=True, slots=True)
class Table:
    columns: Sequence[Column]
    rows: Sequence[Sequence[Any]]
    tones: Sequence[Sequence[Tone | None]] | None = None
    caption: str | None = None

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


@dataclass(frozen=True, slots=True)
class Chart:
    """Bars over one table: labels from column ``label``, one series per column in ``values``."""

    title: str
    table: Table
    label: int
    values: Sequence[int]


@dataclass(slots=True)
class Section:
    key: str  # the workbook's sheet name
    title: str
    sentences: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    note: str | None = None  # what is missing and why
    follow_up: list[str] = field(default_factory=list)  # lines for next month's focus


@dataclass(frozen=True, slots=True)
class Report:
    month: str
    branch: str | None  # the branch of a branch version
    scope_name: str  # 全省 or the branch's name
    sections: Sequence[Section]


def written(value: Any, kind: Kind) -> str:
    """A raw value as the PDF shows it."""
    if value is None:
        return formats.NO_VALUE
    if kind == "text":
        return str(value)
    if isinstance(value, int) and kind in ("number1", "number2"):
        return formats.count(value)  # a count in a column of measures stays whole
    if kind == "count":
        return formats.count(value)
    if kind == "number1":
        return formats.number(value, 1)
    if kind == "number2":
        return formats.number(value, 2)
    if kind == "percent":
        return f"{formats.number(value, 1)}%"
    if kind == "share":
        return formats.percent(value)
    if kind == "signed":
        if not isinstance(value, int | float):
            return str(value)
        shown = f"{value:+.2f}"
        return "0.00" if shown in ("+0.00", "-0.00") else shown  # no signed zero
    return str(value)


def unit_kind(unit: str) -> Kind:
    """An indicator's unit as a column kind (the indicator pages' ``format_value`` rule:
    percentages and durations to one decimal, counts whole, scores to two)."""
    if unit == "percent":
        return "percent"
    if unit in ("count", "people"):
        return "count"
    if unit in ("seconds", "minutes", "hours", "milliseconds"):
        return "number1"
    return "number2"
