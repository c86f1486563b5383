"""A sheet may carry number formats, native bar charts over its first table, and further
tables below it; the header stays bold and frozen."""

from __future__ import annotations

from io import BytesIO

import openpyxl

from sqm.lib.excel import Block, Chart, Sheet, workbook_bytes


def test_a_sheet_carries_a_native_chart_number_formats_and_a_second_table() -> None:
    sheet = Sheet(
        "排名",
        ["单位", "得分", "占比"],
        [["南京", 92.5, 0.4], ["无锡", 88.0, 0.35]],
        number_formats=[None, "0.00", "0.0%"],
        charts=[Chart("得分", labels=0, values=[1])],
        more=[Block(["说明"], [["=不是公式"]])],
    )
    book = openpyxl.load_workbook(BytesIO(workbook_bytes([sheet])))
    written = book["排名"]
    assert written.freeze_panes == "A2" and written["A1"].font.bold
    assert written["B2"].number_format == "0.00" and written["C3"].number_format == "0.0%"
    assert written["A5"].value == "说明" and written["A5"].font.bold  # after a blank row
    assert written["A6"].value == "=不是公式" and written["A6"].data_type == "s"
    (chart,) = written._charts
    assert chart.series[0].val.numRef.f == "'排名'!$B$2:$B$3"
    assert chart.series[0].tx.strRef.f == "'排名'!B1"  # named by its header
    assert chart.series[0].cat.numRef.f == "'排名'!$A$2:$A$3"  # categories: the names


def test_a_sheet_with_no_rows_draws_no_chart() -> None:
    sheet = Sheet("空", ["单位", "得分"], [], charts=[Chart("得分", labels=0, values=[1])])
    book = openpyxl.load_workbook(BytesIO(workbook_bytes([sheet])))
    assert book["空"]._charts == []


def test_a_chart_can_draw_a_table_below_the_first_beside_that_table() -> None:
    sheet = Sheet(
        "热线",
        ["项目", "数量"],
        [["来话", 100]],
        charts=[Chart("满意度", labels=0, values=[1], table=1)],
        more=[Block(["单位", "得分"], [["南京", 8.1], ["无锡", 7.9]])],
    )
    book = openpyxl.load_workbook(BytesIO(workbook_bytes([sheet])))
    (chart,) = book["热线"]._charts
    # The first table takes rows 1–2, a blank row, then the block's header on 4 and rows 5–6.
    assert chart.series[0].val.numRef.f == "'热线'!$B$5:$B$6"
    assert chart.series[0].cat.numRef.f == "'热线'!$A$5:$A$6"
