"""The tables the indicator pages offer as Excel (``?format=xlsx``): headers and rows, built
here so a page only picks the table and answers with ``sqm.lib.excel.xlsx_response``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from sqm.indicators import dashboards
from sqm.indicators.templatetags.indicator_format import unit_label
from sqm.lib.language import localized_name


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: Iterable[Sequence[Any]]


def overview(table: Iterable[tuple[Any, Any, Any]]) -> Table:
    """The province's figure of each indicator (the overview's ``table``)."""
    headers = [_("指标"), _("名称"), _("分组"), _("单位"), _("值")]
    headers += [_("分子"), _("分母"), _("目标"), _("达标")]
    return Table(
        headers,
        (
            (
                i.id,
                localized_name(i),
                dashboards.group_label(i.group),
                unit_label(i.unit),
                r.value,
                r.numerator,
                r.denominator,
                r.target,
                r.status,
            )
            for i, r, _lit in table
        ),
    )


def matrix(rows: list[dashboards.MatrixRow]) -> Table:
    """Lights per unit and group: the light and its green, amber and red counts."""
    headers = [_("单位")]
    for _group, label in dashboards.groups():
        headers += [f"{label} · {_('灯色')}", _("绿灯"), _("黄灯"), _("红灯")]
    lines = []
    for row in rows:
        line: list[object] = [row.label or _("全省")]
        for _group, cell in row.cells:
            line += [cell.light, cell.green, cell.amber, cell.red]
        lines.append(line)
    return Table(headers, lines)


def breakdown(breakdown: dashboards.Breakdown) -> Table:
    """One indicator by branch, tier or channel."""
    return Table(
        [_("代码"), _("名称"), _("值"), _("分子"), _("分母"), _("目标"), _("达标"), _("排名")],
        (
            (code, label, f.value, f.numerator, f.denominator, f.target, f.status, f.rank)
            for code, label, f in breakdown.rows
        ),
    )


def branch(figures: dict[str, list[dashboards.Figure]]) -> Table:
    """One branch's figures, every group."""
    return Table(
        [_("指标"), _("名称"), _("值"), _("目标"), _("全省"), _("灯色"), _("排名")],
        (
            (f.indicator.id, f.name, f.value, f.target, f.province, f.light, f.rank)
            for group in figures.values()
            for f in group
        ),
    )


def competitors(rows: Iterable[tuple[Any, Any]]) -> Table:
    """Our figure beside the leading competitor's, with the gap and the verdict."""
    return Table(
        [_("指标"), _("名称"), _("本公司"), _("领先对手"), _("对手值"), _("差距"), _("结论")],
        (
            (i.id, localized_name(i), c.ours, c.leader, c.leader_value, c.gap, c.verdict)
            for i, c in rows
        ),
    )
