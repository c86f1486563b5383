"""Excel workbooks: the one writer every download and every ``--excel`` / ``--out`` file uses.

Every sheet looks the same: a bold frozen header row, numbers as numbers, text as text, and
column widths that fit Chinese (a CJK character takes two columns). Text is always a text cell:
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
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence[Any]]


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


def _write_sheet(sheet: Worksheet, spec: Sheet) -> None:
    sheet.title = spec.title.translate(_TITLE_FORBIDDEN)[:31] or "Sheet1"
    headers = [_cell_value(h) for h in spec.headers]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [display_width(h) for h in headers]
    for row in spec.rows:
        values = [_cell_value(v) for v in row]
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
                cell.data_type = "s"  # text, never a formula
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        for index, value in enumerate(values):
            width = display_width(value)
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
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
