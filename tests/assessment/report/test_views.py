"""The report's page and downloads, per role: the province or any branch for the analyst, only
their own branch's version for a branch manager."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from urllib.parse import unquote

import openpyxl
import pytest
from pypdf import PdfReader

from tests.assessment.conftest import month_figures, store_month
from tests.conftest import ANONYMOUS, ClientFor

PAGE = "/assessment/report/"


@pytest.fixture
def march(simple_scheme: None) -> None:
    store_month("2026-03", month_figures(90.0))


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages)


def test_the_analyst_downloads_the_province_pdf_with_every_branch(
    march: None, client_for: ClientFor
) -> None:
    response = client_for("analyst").get(f"{PAGE}monthly.pdf?month=2026-03")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "月度服务质量分析报告-2026-03-全省.pdf" in unquote(response["Content-Disposition"])
    text = _text(response.content)
    assert "南京" in text and "无锡" in text and "宿迁" in text


def test_the_workbook_download_has_a_sheet_per_section(march: None, client_for: ClientFor) -> None:
    response = client_for("analyst").get(f"{PAGE}monthly.xlsx?month=2026-03&branch=WX")
    assert response.status_code == 200
    book = openpyxl.load_workbook(BytesIO(response.content))
    assert len(book.sheetnames) == 10 and "13+N排名" in book.sheetnames
    assert "WX" in unquote(response["Content-Disposition"])


def test_a_branch_manager_gets_their_branch_version_and_no_other(
    march: None, client_for: ClientFor
) -> None:
    manager = client_for("manager_a")
    page = manager.get(PAGE).content.decode()
    assert 'value="NJ"' in page and 'value="WX"' not in page and "全省</option>" not in page
    text = _text(manager.get(f"{PAGE}monthly.pdf?month=2026-03").content)
    assert "南京" in text and "无锡" not in text
    assert manager.get(f"{PAGE}monthly.pdf?month=2026-03&branch=WX").status_code == 403
    assert manager.get(f"{PAGE}monthly.xlsx?month=2026-03&branch=WX").status_code == 403


def test_the_page_offers_the_analyst_the_province_and_every_branch(
    march: None, client_for: ClientFor
) -> None:
    page = client_for("analyst").get(PAGE).content.decode()
    assert "全省</option>" in page and page.count('<option value="') >= 14
    assert 'id="download-pdf"' in page and 'id="download-xlsx"' in page


def test_strangers_sign_in_first_and_unknown_months_or_branches_are_not_found(
    march: None, client_for: ClientFor, people: dict[str, Any]
) -> None:
    assert client_for(ANONYMOUS).get(f"{PAGE}monthly.pdf?month=2026-03").status_code == 302
    analyst = client_for("analyst")
    assert analyst.get(f"{PAGE}monthly.pdf?month=2025-01").status_code == 404
    assert analyst.get(f"{PAGE}monthly.pdf?month=2026-03&branch=NOPE").status_code == 404


def test_the_page_speaks_english_when_asked(march: None, client_for: ClientFor) -> None:
    client = client_for("analyst")
    client.cookies["django_language"] = "en"
    page = client.get(PAGE).content.decode()
    assert "Monthly service quality report" in page and "Download PDF" in page
