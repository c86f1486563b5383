"""The matrix and an indicator page in the system's Chromium: the analyst sees the province and
draws the Plotly charts; a branch manager gets the same pages cut to their own branch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from tests.conftest import CAST_PASSWORD, chromium

ARTIFACTS = Path(__file__).resolve().parents[1] / "e2e" / "artifacts"
SL15 = "hotline_service_level_15s"

pytestmark = pytest.mark.browser


@pytest.fixture
def browser(chromium_path: str) -> Iterator[Any]:
    with chromium(chromium_path) as launched:
        yield launched


@pytest.fixture
def figures(transactional_db: None, cast: dict[str, Any], stored_results: None) -> Iterator[None]:
    # Stored before Playwright starts (see tests/spam/test_browser.py on greenlet connections).
    yield
    connections.close_all()


def _signed_in(browser: Any, base: str, who: str) -> tuple[Any, list[str]]:
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector(".topbar")
    return page, outside


def test_the_analyst_opens_the_matrix_then_an_indicator_with_its_charts(
    figures: None, live_server: Any, browser: Any
) -> None:
    page, outside = _signed_in(browser, live_server.url, "analyst")
    page.goto(f"{live_server.url}/indicators/")
    page.wait_for_selector("#matrix")
    rows = page.locator("#matrix tbody tr")
    assert rows.count() == 14  # the province and the 13 branches
    assert page.locator('#matrix tr[data-row="NJ"] .light-chip').count() == 3
    page.locator(f'#indicator-table tr[data-indicator="{SL15}"] a').click()
    page.wait_for_selector("#trend-chart .main-svg")
    page.wait_for_selector("#branch-chart .main-svg")
    assert page.locator("h1").inner_text() == "15秒服务水平"
    # Plotly drew one line per series: the province and the dashed target need none here.
    assert page.locator("#trend-chart .scatterlayer .trace").count() >= 1
    # A bar per branch with calls: NJ, WX, SZ and SQ (whose calls never queued: no value).
    assert page.locator("#branch-chart .bars .point").count() == 4
    assert page.locator("#by-branch tbody tr").count() == 4
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "indicator_page_analyst.png"), full_page=True)
    assert outside == []


def test_a_branch_manager_sees_the_same_pages_cut_to_their_branch(
    figures: None, live_server: Any, browser: Any
) -> None:
    page, outside = _signed_in(browser, live_server.url, "manager_a")
    page.goto(f"{live_server.url}/indicators/")
    page.wait_for_selector("#matrix")
    assert page.locator("#matrix tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.row)"
    ) == ["province", "NJ"]
    page.goto(f"{live_server.url}/indicators/i/{SL15}/")
    page.wait_for_selector("#trend-chart .main-svg")
    # The trend compares the province with the manager's own branch, and nothing else.
    legend = page.locator("#trend-chart .legendtext").all_text_contents()
    assert "南京" in legend and "无锡" not in legend
    assert page.locator("#by-branch tbody tr").evaluate_all(
        "rows => rows.map(r => r.dataset.code)"
    ) == ["NJ"]
    page.screenshot(path=str(ARTIFACTS / "indicator_page_manager.png"), full_page=True)
    assert outside == []
