"""The report's two files from the same sections: the PDF (``sqm.lib.documents``) and the
workbook (``sqm.lib.excel``: one sheet per section, native Excel charts, frozen headers)."""

from __future__ import annotations

from typing import Any

from sqm.assessment.report.model import (
    EXCEL_FORMATS,
    Chart,
    Report,
    Section,
    Table,
    written,
)
from sqm.lib import documents, excel

TITLE = "月度服务质量分析报告"


def _pdf_table(table: Table) -> documents.Table:
    return documents.Table(
        headers=table.headers,
        rows=[
            [written(v, c.kind) for v, c in zip(row, table.columns, strict=False)]
            for row in table.rows
        ],
        tones=table.tones,
        numeric=[c.kind != "text" for c in table.columns],
        caption=table.caption,
    )


def _numbers(values: list[Any]) -> list[float | None]:
    return [float(v) if isinstance(v, int | float) else None for v in values]


def _pdf_chart(chart: Chart) -> documents.BarChart:
    labels = [str(row[chart.label]) for row in chart.table.rows]
    series = []
    for column in chart.values:
        values = [row[column] for row in chart.table.rows]
        kind = chart.table.columns[column].kind
        series.append(
            documents.Series(
                chart.table.columns[column].header,
                _numbers(values),
                [written(v, kind) for v in values],
            )
        )
    return documents.BarChart(chart.title, labels, series)


def _pdf_blocks(section: Section) -> list[documents.Block]:
    blocks: list[documents.Block] = [documents.Heading(section.title)]
    blocks += [documents.Paragraph(s) for s in section.sentences]
    if section.note:
        blocks.append(documents.Note(section.note))
    for table in section.tables:
        blocks.append(_pdf_table(table))
        # Each chart right under the table it draws.
        blocks += [_pdf_chart(chart) for chart in section.charts if chart.table is table]
    if section.bullets:
        blocks.append(documents.Bullets(section.bullets))
    return blocks


def document(report: Report, generated: str) -> documents.Document:
    blocks: list[documents.Block] = []
    for section in report.sections:
        blocks += _pdf_blocks(section)
    return documents.Document(
        title=TITLE,
        subtitle=f"{report.month} · {report.scope_name}",
        author="品质管理部",
        date=f"生成于 {generated}",
        blocks=blocks,
    )


def _formats(table: Table) -> list[str | None]:
    return [EXCEL_FORMATS.get(c.kind) for c in table.columns]


def _raw(table: Table) -> list[list[Any]]:
    # The workbook keeps numbers as numbers; "—" is the PDF's way of writing none.
    return [list(row) for row in table.rows]


def sheets(report: Report) -> list[excel.Sheet]:
    found = []
    for section in report.sections:
        tables = list(section.tables)
        texts = [*section.sentences, *([section.note] if section.note else []), *section.bullets]
        if tables:
            first, rest = tables[0], tables[1:]
            # Each chart over its own table (by identity: two tables may hold equal rows).
            place = {id(t): n for n, t in enumerate(tables)}
            charts = [
                excel.Chart(c.title, c.label, c.values, place[id(c.table)])
                for c in section.charts
                if id(c.table) in place
            ]
            more = [excel.Block(t.headers, _raw(t), _formats(t)) for t in rest]
            if texts:
                more.append(excel.Block(["说明"], [[t] for t in texts]))
            found.append(
                excel.Sheet(section.key, first.headers, _raw(first), _formats(first), charts, more)
            )
        else:
            found.append(excel.Sheet(section.key, ["说明"], [[t] for t in texts]))
    return found
