"""The monthly report, built and read back: the PDF's text names every section and all 13
branches, the workbook has a sheet per section with the ranking sorted by score, and a branch
version shows that branch against the province and no other branch."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader

from sqm.assessment.report import build, figures
from tests.assessment.conftest import BRANCHES, store_month

MONTH = "2026-03"
SECTIONS = (
    ("概况", "本月概况"),
    ("指标矩阵", "指标矩阵"),
    ("投诉", "投诉分析"),
    ("溯源", "投诉溯源：信号与案例"),
    ("改进", "改进措施落实"),
    ("满意度", "客户满意度"),
    ("热线与营业厅", "热线与营业厅"),
    ("垃圾短信", "垃圾短信治理"),
    ("13+N排名", "“13+N”考核排名"),
    ("下月重点", "下月工作重点"),
)
NAMES = {
    "NJ": "南京",
    "WX": "无锡",
    "XZ": "徐州",
    "CZ": "常州",
    "SZ": "苏州",
    "NT": "南通",
    "LYG": "连云港",
    "HA": "淮安",
    "YC": "盐城",
    "YZ": "扬州",
    "ZJ": "镇江",
    "TZ": "泰州",
    "SQ": "宿迁",
}


def _spread(province: float, first: float, step: float) -> dict[str | None, float | None]:
    return {None: province, **{code: first + step * n for n, code in enumerate(BRANCHES)}}


def _figures(shift: float) -> dict[str, dict[str | None, float | None]]:
    """Every branch different, so that the ranking has an order to check."""
    return {
        "hotline_first_contact_resolution_rate": _spread(86.0 - 2 * shift, 91.0 - shift, -1.2),
        "satisfaction_overall_score": _spread(7.5, 8.6, -0.1),
        "complaints_per_10k_customers": _spread(20.0 + 3 * shift, 12.0 + shift, 1.5),
        "complaint_escalation_rate": _spread(5.0, 3.0, 0.4),
        "hotline_service_level_15s": _spread(80.0, 88.0, -1.0),
        "hall_served_within_10min_rate": _spread(90.0, 95.0, -1.0),
    }


@pytest.fixture
def march(simple_scheme: None) -> None:
    store_month("2026-02", _figures(1.0))
    store_month(MONTH, _figures(0.0))


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def _book(xlsx: bytes) -> Any:
    return openpyxl.load_workbook(BytesIO(xlsx))


def test_the_province_report_names_every_section_and_all_13_branches(
    march: None, data_dir: Path
) -> None:
    built = build.build(figures.province_reader(), MONTH)
    text = _pdf_text(built.pdf)
    for _sheet, title in SECTIONS:
        assert title in text, title
    for name in NAMES.values():
        assert name in text, name
    assert "目录" in text and "第 1 页" in text


def test_the_workbook_has_a_sheet_per_section_and_the_ranking_sorted_by_score(
    march: None, data_dir: Path
) -> None:
    book = _book(build.build(figures.province_reader(), MONTH).xlsx)
    assert book.sheetnames == [sheet for sheet, _title in SECTIONS]
    ranking = book["13+N排名"]
    assert ranking.freeze_panes == "A2"
    headers = [c.value for c in ranking[1]]
    score, unit = headers.index("得分"), headers.index("单位")
    rows = list(ranking.iter_rows(min_row=2, max_row=14, values_only=True))
    assert sorted(row[unit] for row in rows) == sorted(NAMES.values())
    scores = [row[score] for row in rows]
    assert scores == sorted(scores, reverse=True) and len(set(scores)) > 1
    assert [row[0] for row in rows] == list(range(1, 14))  # ranks 1…13
    assert ranking._charts, "the branch scores are charted natively"


def test_the_matrix_sheet_lights_every_branch_and_charts_the_red_counts(
    march: None, data_dir: Path
) -> None:
    sheet = _book(build.build(figures.province_reader(), MONTH).xlsx)["指标矩阵"]
    names = [row[0] for row in sheet.iter_rows(min_row=2, max_row=15, values_only=True)]
    assert names == ["全省", *NAMES.values()]
    assert len(sheet._charts) == 1


def test_the_summary_writes_three_sentences_from_the_figures(march: None, data_dir: Path) -> None:
    summary = build.build(figures.province_reader(), MONTH).report.sections[0]
    assert len(summary.sentences) == 3
    # The province's complaints per 10k customers fell 23 → 20 (13 %), its FCR rose 84 → 86
    # (2.4 %): the sentence names the bigger move, its direction and whether it is better.
    assert "变化最大的是万客户投诉率，下降 3.00（改善 13.0%）" in summary.sentences[1]
    assert "红灯指标" in summary.sentences[2]


def test_a_branch_version_shows_the_branch_against_the_province_and_no_other_branch(
    march: None, data_dir: Path
) -> None:
    built = build.build(figures.province_reader(), MONTH, "NJ")
    text = _pdf_text(built.pdf)
    assert "南京" in text and "全省" in text
    for code, name in NAMES.items():
        if code != "NJ":
            assert name not in text, name
    ranking = _book(built.xlsx)["13+N排名"]
    rows = list(ranking.iter_rows(min_row=2, values_only=True))
    assert rows[0][1] == "南京" and rows[0][0] == 1  # NJ leads both FCR and satisfaction


def test_a_branch_manager_reading_gets_no_other_branch_even_in_the_province_version(
    march: None, data_dir: Path, cast: dict[str, Any]
) -> None:
    """Built with a branch user's scope, the province tables hold only what they may see."""
    built = build.build(cast["manager_a"], MONTH, "NJ")
    text = _pdf_text(built.pdf)
    assert "无锡" not in text and "南京" in text


def test_a_month_without_figures_says_so_instead_of_failing(
    reference: None, data_dir: Path
) -> None:
    built = build.build(figures.province_reader(), "2026-05")
    text = _pdf_text(built.pdf)
    assert "尚无指标计算结果" in text
    assert _book(built.xlsx).sheetnames == [sheet for sheet, _title in SECTIONS]


@pytest.mark.parametrize(
    ("month", "branch", "message"),
    [("2026-3", None, "YYYY-MM"), ("2026-13", None, "out of range"), (MONTH, "XX", "no branch")],
)
def test_bad_input_is_refused_with_the_reason(
    reference: None, month: str, branch: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        build.build(figures.province_reader(), month, branch)


def test_improvement_actions_show_completion_and_overdue_by_department(
    march: None, data_dir: Path, people: dict[str, Any]
) -> None:
    from datetime import date

    from sqm.improvement import services as improvement

    improvement.create_action(
        people["analyst"],
        title="缩短南京营业厅排队时长",
        owner_department="market",
        branch="NJ",
        deadline=date(2026, 3, 20),
        owner=None,
        today=date(2026, 3, 2),
    )
    built = build.build(figures.province_reader(), MONTH)
    sheet = _book(built.xlsx)["改进"]
    headers = [c.value for c in sheet[1]]
    (row,) = sheet.iter_rows(min_row=2, max_row=2, values_only=True)
    assert row[0] == "市场部" and row[headers.index("逾期")] == 1
    assert row[headers.index("本月到期")] == 1 and row[headers.index("完成率")] == 0
    focus = built.report.sections[-1]
    assert any(line.startswith("改进措施：市场部（1 项）有逾期") for line in focus.bullets)


def test_every_chart_of_the_pdf_is_a_native_chart_of_the_workbook(
    march: None, data_dir: Path
) -> None:
    built = build.build(figures.province_reader(), MONTH)
    book = _book(built.xlsx)
    for section in built.report.sections:
        assert len(book[section.key]._charts) == len(section.charts), section.key
    charted = {s.key for s in built.report.sections if s.charts}
    assert {"指标矩阵", "投诉", "满意度", "热线与营业厅", "13+N排名"} <= charted


@pytest.mark.parametrize(
    ("value", "kind", "shown"),
    [
        (-0.001, "signed", "0.00"),
        (17.494, "signed", "+17.49"),
        (-2.3, "signed", "-2.30"),
        (140, "number2", "140"),
        (0.286, "share", "28.6%"),
        (98.32, "percent", "98.3%"),
        (None, "count", "—"),
    ],
)
def test_values_are_written_as_the_reader_expects(value: Any, kind: Any, shown: str) -> None:
    from sqm.assessment.report.model import written

    assert written(value, kind) == shown
