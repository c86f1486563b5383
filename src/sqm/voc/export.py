"""The satisfaction report as an Excel workbook (openpyxl): one sheet per view."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

HEADER = Font(bold=True)


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = HEADER
    for row in rows:
        sheet.append(row)
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 40)


def workbook(report: dict[str, Any]) -> Workbook:
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    index = report["index"]
    _sheet(
        book,
        "index",
        ["month", "respondents", "pls_index", "overall_score"],
        [
            [m["month"], m["respondents"], m.get("index"), m["overall_score"]]
            for m in index["months"]
        ],
    )
    _sheet(
        book,
        "drivers",
        ["rank", "factor", "name_zh", "importance", "performance", "quadrant", "priority"],
        [
            [
                f["rank"],
                f["factor"],
                f["name_zh"],
                f["importance"],
                f["performance"],
                f["quadrant"],
                f["priority"],
            ]
            for f in report["drivers"]["factors"]
        ],
    )
    _sheet(
        book,
        "gaps",
        ["factor", "expectation", "perception", "gap", "performance", "answers"],
        [
            [
                g["factor"],
                g["expectation"],
                g["perception"],
                g["gap"],
                g["performance"],
                g["answers"],
            ]
            for g in report["gaps"]
        ],
    )
    competitors = report["competitors"]
    operators = competitors["operators"]
    _sheet(
        book,
        "competitors",
        ["factor", *operators, "leader", "gap_to_leader"],
        [
            [r["factor"], *[r["scores"].get(o) for o in operators], r["leader"], r["gap_to_leader"]]
            for r in competitors["factors"]
        ],
    )
    _sheet(
        book,
        "trend",
        ["period", "ours", "leader", "leader_score", "gap", "target_gap", "met"],
        [
            [
                t["period"],
                t["ours"],
                t["leader"],
                t["leader_score"],
                t["gap"],
                competitors["target_gap"],
                t["met"],
            ]
            for t in competitors["trend"]
        ],
    )
    _sheet(
        book,
        "provider_gaps",
        ["gap", "indicator", "name_zh", "value", "target", "status"],
        [
            [g["code"], i["indicator"], i["name_zh"], i["value"], i["target"], i["status"]]
            for g in report["provider_gaps"]
            for i in g["indicators"]
        ],
    )
    return book


def write_workbook(report: dict[str, Any], path: Path) -> None:
    # Written beside the target and renamed, so a crash never leaves half a workbook.
    partial = path.with_name(f".{path.name}.partial")
    workbook(report).save(partial)
    partial.replace(path)


def workbook_bytes(report: dict[str, Any]) -> bytes:
    buffer = BytesIO()
    workbook(report).save(buffer)
    return buffer.getvalue()
