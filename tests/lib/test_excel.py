"""One Excel writer: bold frozen header, numbers as numbers, user text as text (never a
formula), widths that fit Chinese, and downloads that keep their Chinese names."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from urllib.parse import unquote

import openpyxl
import pytest

from sqm.lib.excel import (
    Sheet,
    attachment,
    display_width,
    workbook_bytes,
    write_workbook,
    xlsx_response,
)


def _book(*sheets: Sheet) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(workbook_bytes(list(sheets))))


def test_the_header_is_bold_and_frozen_and_numbers_stay_numbers() -> None:
    sheet = _book(Sheet("指标", ["branch", "value"], [["NJ", 0.953], ["WX", 12]])).active
    assert sheet is not None
    assert sheet.title == "指标" and sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert [c.value for c in sheet[2]] == ["NJ", 0.953] and sheet["B3"].data_type == "n"


@pytest.mark.parametrize(
    "typed", ['=HYPERLINK("https://elsewhere.example","x")', "+1+1", "-2+3", "@SUM(A1)"]
)
def test_text_that_looks_like_a_formula_is_written_as_text(typed: str) -> None:
    sheet = _book(Sheet("complaints", ["description"], [[typed]])).active
    assert sheet is not None
    cell = sheet["A2"]
    assert cell.value == typed and cell.data_type == "s" and cell.quotePrefix


def test_columns_are_as_wide_as_their_chinese_text() -> None:
    name = "营业厅排队等候时长满意度"  # 12 characters, 24 columns on screen
    sheet = _book(Sheet("s", ["name", "n"], [[name, 1]])).active
    assert sheet is not None
    assert display_width(name) == 24 and display_width("abc") == 3
    assert sheet.column_dimensions["A"].width == 26
    assert sheet.column_dimensions["B"].width == 8  # never narrower than a number needs


def test_several_sheets_keep_their_order_and_control_characters_do_not_break_the_file() -> None:
    book = _book(Sheet("index", ["a"], [[1]]), Sheet("drivers:1", ["b"], [["bell\x07 rings"]]))
    assert book.sheetnames == ["index", "drivers 1"]
    assert book["drivers 1"]["A2"].value == "bell rings"


def test_a_workbook_file_is_written_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    write_workbook(target, [Sheet("index", ["a"], [[1]])])
    assert openpyxl.load_workbook(target)["index"]["A2"].value == 1
    assert [p.name for p in tmp_path.iterdir()] == ["report.xlsx"]


def test_a_chinese_file_name_survives_the_download() -> None:
    header = attachment("指标矩阵-2026-10.xlsx")
    assert header.startswith('attachment; filename="sqm.xlsx"; ')
    encoded = header.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == "指标矩阵-2026-10.xlsx" and encoded.isascii()
    assert attachment("satisfaction-all.xlsx") == (
        "attachment; filename=\"satisfaction-all.xlsx\"; filename*=UTF-8''satisfaction-all.xlsx"
    )


def test_the_response_is_a_workbook_download() -> None:
    response = xlsx_response("队列.xlsx", "队列", ["a"], [[1]])
    assert response["Content-Type"].endswith("spreadsheetml.sheet")
    assert "filename*=UTF-8''%E9%98%9F%E5%88%97.xlsx" in response["Content-Disposition"]
    assert openpyxl.load_workbook(BytesIO(response.content))["队列"]["A2"].value == 1
