"""A branch manager downloads the monthly report in the system's Chromium: the page offers only
their branch, and the PDF the button gives is that branch against the province."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from tests.assessment.conftest import month_figures, store_month
from tests.conftest import CAST_PASSWORD, browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path) as opened:
        opened.set_default_timeout(60_000)
        yield opened


@pytest.fixture
def march(transactional_db: None, cast: dict[str, Any], data_dir: Path) -> None:
    # Made before Playwright starts (ORM calls inside its greenlet get a connection of their own).
    from sqm.assessment import services
    from tests.assessment.conftest import SIMPLE

    services.save_scheme(SIMPLE, "2026-01", "测试", now_month="2026-01")
    store_month("2026-03", month_figures(90.0))


def test_a_branch_manager_downloads_their_branch_report(
    march: None, live_server: Any, page: Any, tmp_path: Path
) -> None:
    page.goto(f"{live_server.url}/assessment/report/")
    page.fill("input[name=username]", "manager_a")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#download-pdf")
    assert page.locator("#report-branch option").all_inner_texts() == ["南京"]
    with page.expect_download() as download:
        page.click("#download-pdf")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "月度服务质量分析报告-2026-03-NJ.pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(saved).pages)
    assert "南京" in text and "全省" in text and "无锡" not in text
