"""Excel workbooks: the one writer every download and every ``--excel`` / ``--out`` file uses.

Every sheet looks the same: a bold frozen header row, numbers as numbers, text as text, and
column widths that fit Chinese (a CJK character takes two columns). A sheet may carry number
formats per column, native Excel bar charts over its first table (``Chart``: Excel draws them,
they follow the cells) and further tables below the first (``Block``). Text is always a text cell:
a complaint description or a plan name that begins with ``=``, ``+``, ``-`` or ``@`` would
otherwise be a formula Excel runs when the file is opened (CSV/formula injection), so such
cells are written as strings with Excel's quote prefix, never as formulas.
"""

from __future__ import annotations

import io
import os
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What Excel (and LibreOffice) read as the start of a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Excel caps a sheet title at 31 characters and forbids a few characters in it.
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})
MIN_WIDTH, MAX_WIDTH = 8, 60


@dataclass(frozen=True, slots=True)
class Chart:
    """A native Excel bar chart over one of the sheet's tables (``table``: 0 the first, 1 the
    first ``Block`` …): categories from column ``labels``, one series per column in
    ``values`` (0-based column indexes). It is drawn beside its table."""

    title: str
    labels: int
    values: Sequence[int]
    table: int = 0


@dataclass(frozen=True, slots=True)
class Block:
    """A further table on the same sheet, below the first after a blank row."""

    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    number_formats: Sequence[str | None] = ()


@dataclass(frozen=True, slots=True)
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]
    # Excel number formats per column (``"0.0%"``, ``"#,##0"``; None leaves the cell General).
    number_formats: Sequence[str | None] = ()
    charts: Sequence[Chart] = ()
    more: Sequence[Block] = ()


def display_width(value: Any) -> int:
    """Columns the value takes on screen: wide and full-width (CJK) characters count two; a
    multi-line text, its longest line."""
    text = "" if value is None else str(value)
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.splitlines()
        ),
        default=0,
    )


def _cell_value(value: Any) -> Any:
    # Control characters make openpyxl refuse the whole workbook: drop them, keep the text.
    return ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value


def _write_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    number_formats: Sequence[str | None],
    widths: list[int],
) -> tuple[int, int]:
    """Appends a bold header and the rows; returns the header's row and the last row."""
    sheet.append([_cell_value(h) for h in headers])
    top = sheet.max_row
    for cell in sheet[top]:
        cell.font = Font(bold=True)
    for index, header in enumerate(headers):
        _widen(widths, index, display_width(header))
    for row in rows:
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
            elif index < len(number_formats) and number_formats[index] and cell.value is not None:
                cell.number_format = number_formats[index]
        for index, value in enumerate(values):
            _widen(widths, index, display_width(value))
    return top, sheet.max_row


def _widen(widths: list[int], index: int, width: int) -> None:
    if index < len(widths):
        widths[index] = max(widths[index], width)
    else:
        widths.append(width)


def _add_chart(sheet: Worksheet, spec: Chart, span: tuple[int, int], anchor_column: int) -> None:
    top, last = span
    chart = BarChart()
    chart.type = "bar"  # horizontal: category names (branches) stay readable
    chart.style = 10
    chart.title = spec.title
    chart.height = max(7.5, 0.55 * (last - top) + 2)
    chart.width = 16
    for column in spec.values:
        data = Reference(sheet, min_col=column + 1, min_row=top, max_row=last)
        chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=spec.labels + 1, min_row=top + 1, max_row=last))
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # the first row at the top, as in the table
    sheet.add_chart(chart, f"{get_column_letter(anchor_column)}{top + 1}")


def _write_sheet(sheet: Worksheet, spec: Sheet) -> None:
    sheet.title = spec.title.translate(_TITLE_FORBIDDEN)[:31] or "Sheet1"
    widths: list[int] = []
    spans = [_write_table(sheet, spec.headers, spec.rows, spec.number_formats, widths)]
    sheet.freeze_panes = "A2"
    for block in spec.more:
        sheet.append([])
        spans.append(_write_table(sheet, block.headers, block.rows, block.number_formats, widths))
    beside: dict[int, int] = {}  # charts already drawn beside each table
    for chart in spec.charts:
        top, last = spans[chart.table]
        if last > top:  # a table with rows
            offset = beside.get(chart.table, 0)
            beside[chart.table] = offset + 1
            _add_chart(sheet, chart, (top, last), len(widths) + 2 + 10 * offset)
    for index, width in enumerate(widths, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = min(MAX_WIDTH, max(MIN_WIDTH, width + 2))


def workbook(sheets: Sequence[Sheet]) -> Workbook:
    book = Workbook()
    first = book.active
    assert first is not None
    for index, spec in enumerate(sheets):
        _write_sheet(first if index == 0 else book.create_sheet(), spec)
    return book


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    buffer = io.BytesIO()
    workbook(sheets).save(buffer)
    return buffer.getvalue()


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Written beside the target and renamed, so a crash never leaves half a workbook."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(workbook_bytes(sheets))
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)


def attachment(filename: str) -> str:
    """``Content-Disposition`` for a download named ``filename`` (Chinese included): the
    UTF-8 name in RFC 5987's ``filename*``, and a plain ``filename`` for old clients — the
    name itself when it is plain ASCII, else a neutral one with the same extension."""
    suffix = Path(filename).suffix if Path(filename).suffix.isascii() else ""
    plain = filename.isascii() and not any(c in filename for c in '"\\;\r\n')
    fallback = filename if plain else f"sqm{suffix}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def workbook_response(filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment(filename)
    return response


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A one-sheet workbook download: what every table a page shows exports to."""
    return workbook_response(filename, [Sheet(title, headers, rows)])


def wants_xlsx(request: HttpRequest) -> bool:
    return bool(request.GET.get("format") == "xlsx")
