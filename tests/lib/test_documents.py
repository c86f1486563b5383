"""PDF documents in Chinese: A4, a table of contents, page numbers, embedded CJK fonts, and
content that is never read as markup."""

from __future__ import annotations

import datetime as dt
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sqm.lib.documents import (
    BarChart,
    Bullets,
    Document,
    DocumentError,
    FontsMissing,
    Heading,
    Note,
    Paragraph,
    Series,
    Table,
    render_pdf,
    write_pdf,
)

A4 = (595.28, 841.89)  # points
WHEN = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def _document(*blocks: object) -> Document:
    return Document(
        title="月度服务质量分析报告",
        subtitle="2026年11月",
        author="品质管理部",
        date="2026-12-01",
        blocks=list(blocks),  # type: ignore[arg-type]
    )


def _text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(BytesIO(pdf)).pages]


def _fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for font in resources["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(descriptor["/FontName"]).split("+")[-1])
    return names


def test_a_chinese_document_reads_back_with_its_headings_tables_and_charts() -> None:
    pdf = render_pdf(
        _document(
            Heading("本月概况"),
            Paragraph("客户满意度指数为 82.4，较上月提升 1.2 分。"),
            Heading("关键指标", 2),
            Table(["指标", "本月"], [["满意度", "82.4"]], tones=[["green", None]]),
            Heading("投诉"),
            BarChart("每万客户投诉", ["南京", "无锡"], [Series("本月", [3.2, None])]),
            Note("本月无数据"),
            Bullets(["第一项", "第二项"]),
        ),
        timestamp=WHEN,
    )
    pages = _text(pdf)
    whole = "\n".join(pages)
    for text in (
        "本月概况",
        "客户满意度指数",
        "满意度",
        "每万客户投诉",
        "南京",
        "本月无数据",
        "第二项",
    ):
        assert text in whole
    assert "目录" in pages[1] and "投诉" in pages[1]  # the contents follow the cover
    # Page numbers count from the contents page and name the total.
    assert "第 1 页 / 共 3 页" in pages[1] and "第 3 页 / 共 3 页" in pages[3]


def test_the_pages_are_a4_and_the_chinese_fonts_are_embedded() -> None:
    pdf = render_pdf(_document(Heading("概况"), Paragraph("正文")), timestamp=WHEN)
    box = PdfReader(BytesIO(pdf)).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)
    assert {"NotoSansSC-Regular", "NotoSerifSC-Regular"} <= _fonts(pdf)


def test_text_that_looks_like_markup_prints_as_written() -> None:
    typed = '#import "x": * 和 *粗体* $x^2$ <label> @ref // 注释 ]'
    pdf = render_pdf(_document(Heading(typed), Paragraph(typed)), timestamp=WHEN)
    assert "\n".join(_text(pdf)).count("*粗体*") >= 2


def test_the_same_content_and_timestamp_give_the_same_bytes() -> None:
    document = _document(Heading("概况"), Paragraph("正文"))
    assert render_pdf(document, timestamp=WHEN) == render_pdf(document, timestamp=WHEN)


def test_a_row_longer_than_its_headers_is_refused() -> None:
    with pytest.raises(DocumentError, match="more cells"):
        render_pdf(_document(Table(["a"], [["1", "2"]])))


def test_a_chart_series_must_have_one_value_per_label() -> None:
    with pytest.raises(DocumentError, match="one value per label"):
        render_pdf(_document(BarChart("x", ["南京", "无锡"], [Series("本月", [1.0])])))


def test_a_written_pdf_replaces_the_file_whole(tmp_path: Path) -> None:
    target = tmp_path / "报告.pdf"
    write_pdf(target, _document(Heading("概况")), timestamp=WHEN)
    assert target.read_bytes().startswith(b"%PDF") and list(tmp_path.iterdir()) == [target]


def test_without_a_chinese_font_the_render_stops_with_the_remedy(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Neither the fonts wheel nor the system's Noto CJK: a clear error, never empty boxes."""
    from sqm.lib import documents

    monkeypatch.setitem(sys.modules, "pylopdf_fonts_zh_cn", None)  # the import fails
    monkeypatch.setattr(documents, "SYSTEM_CJK", tmp_path)
    documents._fonts.cache_clear()
    try:
        with pytest.raises(FontsMissing, match="pylopdf-fonts-zh-cn"):
            render_pdf(_document(Heading("概况")))
    finally:
        documents._fonts.cache_clear()
