"""Bulk intake from CSV and Excel: good rows become work orders, bad rows go to a rejected file
with their reason, and the same file imported again creates nothing."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sqm.complaints.exchange import importing
from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import at

pytestmark = pytest.mark.django_db

HEADER = ["外部单号", "受理渠道", "投诉类别", "严重程度", "客户标识", "联系电话", "分公司",
          "客户级别", "投诉内容", "受理时间", "关联对象"]  # fmt: skip
ROWS = [
    ["BSS-1", "hotline", "bills.overcharge", "high", "C1", "13900000001", "NJ", "gold",
     "2月账单多扣20元", "2026-03-02 10:00", "bill:B202602"],
    ["", "信函", "网速慢", "较重", "C2", "", "NJ", "", "来信反映网速慢", "2026-03-02 11:30", ""],
    ["BSS-3", "fax", "bills.overcharge", "high", "C3", "", "NJ", "", "传真投诉", "", ""],
    ["BSS-4", "hotline", "bills.overcharge", "high", "", "", "NJ", "", "没有客户", "", ""],
    ["BSS-5", "hotline", "coverage.no_signal", "low", "C5", "", "WX", "", "无锡的单", "", ""],
    ["BSS-6", "hotline", "coverage.no_signal", "low", "C6", "", "NJ", "", "时间坏了",
     "昨天下午", ""],
    # Listed before its earlier twin: the import creates in time order, so this is the repeat.
    ["BSS-8", "hotline", "bills.overcharge", "high", "C1", "", "NJ", "", "又多扣了",
     "2026-03-20 09:00", ""],
]  # fmt: skip


def _csv(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> Path:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def _rejected(report: importing.ImportReport) -> dict[str, str]:
    assert report.rejected_path is not None
    with open(report.rejected_path, encoding="utf-8-sig") as handle:
        return {row["_row"]: row["_reason"] for row in csv.DictReader(handle)}


def test_good_rows_become_work_orders_and_bad_rows_get_their_reason(
    tmp_path: Path, people: Any
) -> None:
    report = importing.import_file(people["handler_a"], _csv(tmp_path / "in.csv", ROWS))
    assert report.rows == 7 and len(report.created) == 3 and report.rejected == 4
    reasons = _rejected(report)
    assert set(reasons) == {"4", "5", "6", "7"}
    assert "受理渠道" in reasons["4"] and "客户标识" in reasons["5"]
    assert "南京" not in reasons["6"] and "无锡" in reasons["6"]
    assert "受理时间" in reasons["7"]
    first = WorkOrder.objects.get(external_id="BSS-1")
    assert first.owner == people["handler_a"] and first.created_at == at(2, 10)
    assert first.tier.code == "gold" and first.related[0]["id"] == "B202602"
    letter = WorkOrder.objects.get(customer_id="C2")
    assert (letter.channel, letter.category, letter.severity) == (
        "letter",
        "mobile_internet.slow",
        "medium",
    )
    assert letter.external_id.startswith("ROW-")
    assert WorkOrder.objects.get(external_id="BSS-8").repeat_of == first


def test_importing_the_same_file_again_creates_nothing(tmp_path: Path, people: Any) -> None:
    path = _csv(tmp_path / "in.csv", ROWS)
    importing.import_file(people["handler_a"], path)
    again = importing.import_file(people["handler_a"], path)
    assert again.created == [] and again.duplicates == 3 and again.rejected == 4
    assert WorkOrder.objects.count() == 3


def test_an_excel_file_is_read_like_a_csv(tmp_path: Path, people: Any) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(
        ["X-1", "营业厅", "bills.unclear_bill", "low", "C9", 13912345678, "NJ", "",
         "看不懂账单", datetime(2026, 3, 2, 9, 15), ""]
    )  # fmt: skip
    sheet.append([None] * len(HEADER))  # blank rows are ignored
    path = tmp_path / "in.xlsx"
    book.save(path)
    report = importing.import_file(people["handler_a"], path)
    assert len(report.created) == 1 and report.rejected == 0 and report.rejected_path is None
    wo = WorkOrder.objects.get(external_id="X-1")
    assert wo.channel == "hall" and wo.customer_phone == "13912345678"
    assert wo.created_at == at(2, 9, 15)


def test_a_gbk_csv_from_chinese_windows_is_read(tmp_path: Path, people: Any) -> None:
    path = _csv(tmp_path / "gbk.csv", ROWS[:2], encoding="gb18030")
    assert len(importing.import_file(people["handler_a"], path).created) == 2


def test_line_breaks_inside_a_quoted_cell_are_kept(tmp_path: Path, people: Any) -> None:
    text = "2月账单多扣20元\n客户要求退款\r\n并道歉"
    row = ["BSS-9", "hotline", "bills.overcharge", "high", "C9", "", "NJ", "", text,
           "2026-03-02 10:00", ""]  # fmt: skip
    report = importing.import_file(people["handler_a"], _csv(tmp_path / "in.csv", [row, ROWS[0]]))
    assert (report.rows, len(report.created), report.rejected) == (2, 2, 0)
    assert WorkOrder.objects.get(external_id="BSS-9").description == text


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (["受理渠道", "投诉类别"], "缺少必填列"),
        ([*HEADER, "心情"], "未知的列"),
    ],
)
def test_a_file_with_wrong_headers_is_refused_whole(
    tmp_path: Path, people: Any, header: list[str], message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(",".join(header) + "\n", encoding="utf-8")
    with pytest.raises(importing.ImportFileError, match=message):
        importing.import_file(people["handler_a"], path)


def test_other_formats_and_read_only_users_are_refused(tmp_path: Path, people: Any) -> None:
    with pytest.raises(importing.ImportFileError, match="xlsx"):
        importing.import_file(people["handler_a"], tmp_path / "in.json")
    with pytest.raises(PermissionDenied):
        importing.import_file(people["executive"], _csv(tmp_path / "in.csv", ROWS))
