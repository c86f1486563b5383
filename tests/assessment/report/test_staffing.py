"""The report's staffing plan against actual (section 热线与营业厅): saved hotline and halls plans
that staff days of the month beside the month's figures, computed by hand, in the PDF and the
workbook, for the province and for a branch version."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from sqm.assessment.report import build, figures
from sqm.planning import services as planning
from tests.assessment.conftest import store_month
from tests.assessment.report.test_monthly import _figures
from tests.planning.test_month_plans import halls_payload, hotline_payload

MONTH = "2026-03"  # 31 days; the plans cover 31 March and 1 April
SHEET = "热线与营业厅"


@pytest.fixture
def planned_march(simple_scheme: None) -> None:
    actual = _figures(0.0)  # hotline 15 s service level: province 80 %, NJ 88 %
    actual["hotline_queued"] = {None: 3100.0}  # 100 a day reached the queue
    actual["hotline_occupancy_rate"] = {None: 70.0}
    actual["hall_visits"] = {None: 1240.0, "NJ": 620.0, "WX": 310.0}  # 40, 20, 10 a day
    store_month(MONTH, actual)
    planning.save_plan(hotline_payload("2026-03-31"), name="热线三月末")
    planning.save_plan(halls_payload(None, "2026-03-31"), name="全省营业厅三月末")
    planning.save_plan(halls_payload("WX", "2026-03-31"), name="无锡营业厅三月末")


def _rows(xlsx: bytes) -> dict[str, list[Any]]:
    """The sheet's rows by their first cell."""
    sheet = openpyxl.load_workbook(BytesIO(xlsx))[SHEET]
    return {str(r[0]): list(r) for r in sheet.iter_rows(values_only=True) if r and r[0]}


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_the_province_report_sets_each_plan_beside_the_months_figures(
    planned_march: None, data_dir: Path
) -> None:
    built = build.build(figures.province_reader(), MONTH)
    rows = _rows(built.xlsx)
    # 31 March only: 60 calls, (4 + 5) agents × ½ h, occupancy 10 800 s / 16 200 s, VIP level
    # 90 % planned; actual: 3 100 calls / 31 days, occupancy 70 %, 15 s level 80 % < 85 %.
    hotline = rows["热线三月末"]
    assert hotline[1:9] == ["全省", 1, 60.0, 100.0, 4.5, 5, pytest.approx(200 / 3), 70.0]
    assert hotline[9:] == ["85% / 15 秒", pytest.approx(90.0), 80.0]
    # Both halls on 31 March: 34 visits, 4 counter-hours, at most 2 counters in one hour,
    # (0.9 × 10 + 0.8 × 20 + 0.5 × 4) / 34 within 10 minutes; actual 1 240 / 31 a day.
    halls = rows["全省营业厅三月末"]
    assert halls[1:7] == ["全省", 1, 34.0, 40.0, 4.0, 2]
    assert halls[7:10] == ["90% / 10 分钟", pytest.approx(2700 / 34), 90.0]
    wuxi = rows["无锡营业厅三月末"]
    assert wuxi[1:5] == ["无锡", 1, 4.0, 10.0] and wuxi[9] == 94.0

    section = next(s for s in built.report.sections if s.key == SHEET)
    hotline_table = next(t for t in section.tables if t.rows and t.rows[0][0] == "热线三月末")
    assert hotline_table.tones is not None and hotline_table.tones[0][-1] == "red"
    assert any(
        "计划日均人工来话 60 通，本月实际日均 100 通（+67%）" in s for s in section.sentences
    )
    # The PDF's narrow columns wrap the names; its text read without line breaks.
    text = _pdf_text(built.pdf).replace("\n", "")
    assert "热线三月末全省 1 60.0 100.0 4.5 5 66.7% 70.0% 85% / 15 秒90.0% 80.0%" in text
    assert "全省营业厅三月末全省 1 34.0 40.0 4.0 2 90% / 10 分钟79.4% 90.0%" in text
    assert "实际时限内叫号率 94.0%，达到方案目标 90%" in text


def test_a_branch_version_shows_its_own_halls_and_no_other_branchs_plan(
    planned_march: None, data_dir: Path
) -> None:
    built = build.build(figures.province_reader(), MONTH, "NJ")
    rows = _rows(built.xlsx)
    assert "无锡营业厅三月末" not in rows and "热线三月末" not in rows
    # The province plan narrowed to NJ's hall: 30 visits, 3 counter-hours, 25 / 30 within.
    nanjing = rows["全省营业厅三月末"]
    assert nanjing[1:7] == ["南京", 1, 30.0, 20.0, 3.0, 2]
    assert nanjing[8:10] == [pytest.approx(2500 / 30), 95.0]
    assert "无锡" not in _pdf_text(built.pdf)


def test_a_month_without_a_saved_plan_says_how_to_save_one(
    simple_scheme: None, data_dir: Path
) -> None:
    store_month(MONTH, _figures(0.0))
    built = build.build(figures.province_reader(), MONTH)
    section = next(s for s in built.report.sections if s.key == SHEET)
    assert any("没有覆盖 2026-03 的已保存排班方案" in s for s in section.sentences)
