"""Excel downloads: every table a page shows can be taken away as ``.xlsx``.

One writer for the whole product, so every workbook looks the same: a bold frozen header row,
numbers as numbers (never text), and column widths that fit Chinese labels.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Excel caps a sheet title at 31 characters and forbids a few characters in it.
_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\"})


def _display_width(value: Any) -> int:
    text = "" if value is None else str(value)
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)  # CJK glyphs are two columns wide


def workbook_bytes(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title.translate(_TITLE_FORBIDDEN)[:31] or "Sheet1"
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = [_display_width(h) for h in headers]
    for row in rows:
        values = list(row)
        sheet.append(values)
        widths = [max(w, _display_width(v)) for w, v in zip(widths, values, strict=False)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(8, width + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    filename: str, title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    response = HttpResponse(workbook_bytes(title, headers, rows), content_type=XLSX_TYPE)
    # RFC 6266: an ASCII fallback plus the UTF-8 name, so Chinese file names survive.
    response["Content-Disposition"] = (
        f"attachment; filename=\"sqm.xlsx\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def wants_xlsx(request: Any) -> bool:
    return bool(request.GET.get("format") == "xlsx")
