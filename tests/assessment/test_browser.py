"""An analyst reads the 13+N ranking in the system's Chromium: the 13 branches by rank, another
month and the departments swapped in by htmx, then a branch's scorecard with every item, what
cost it the most, its score by month drawn, and the drill-down to the indicator page. No
request leaves the server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from sqm.indicators.services import indicator
from tests.assessment.conftest import month_figures, store_month
from tests.conftest import CAST_PASSWORD, browser_page

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path) as opened:
        opened.set_default_timeout(30_000)
        yield opened


@pytest.fixture
def months(transactional_db: None, cast: dict[str, Any]) -> None:
    # Made before Playwright starts (ORM calls inside its greenlet get a connection of their own).
    from sqm.assessment import services
    from tests.assessment.conftest import SIMPLE

    services.save_scheme(SIMPLE, "2026-01", "测试", now_month="2026-01")
    store_month("2026-02", month_figures(87.0))
    store_month("2026-03", month_figures(90.0))


def test_an_analyst_reads_the_ranking_and_a_branch_scorecard(
    months: None, live_server: Any, page: Any
) -> None:
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.goto(f"{base}/assessment/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#ranking-table")
    rows = page.locator("#ranking-table tbody tr[data-unit]")
    assert rows.count() == 13
    assert rows.first.get_attribute("data-unit") == "NJ"  # March: 99 points
    scores = [float(s) for s in page.locator("#ranking-table td.score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    page.wait_for_function("document.getElementById('ranking-chart').data !== undefined")

    # Another month over htmx: the table alone is replaced, and the address follows.
    page.select_option("#month-select", "2026-02")
    page.wait_for_selector("#ranking-table tbody tr[data-unit='WX'][data-rank='1']")
    assert "month=2026-02" in page.url
    page.click("a.asm-tab[data-kind='department']")
    page.wait_for_selector("#ranking-table[data-kind='department']")
    assert page.locator("#ranking-table tbody tr[data-unit]").count() == 2
    page.click("a.asm-tab[data-kind='branch']")
    page.wait_for_selector("#ranking-table[data-kind='branch']")

    page.click("#ranking-table tr[data-unit='NJ'] a")
    page.wait_for_selector("#items")
    assert page.locator("#rank").inner_text() == "2/13"
    assert page.locator("#items tbody tr[data-indicator]").count() == 2
    costliest = page.locator("#costliest li").all_inner_texts()
    assert len(costliest) == 1 and "12.00" in costliest[0]
    page.wait_for_function("document.getElementById('trend-chart').data !== undefined")
    months_drawn = page.evaluate("document.getElementById('trend-chart').data[0].x")
    assert months_drawn == ["2026-02", "2026-03"]

    page.click("#costliest li a")
    page.wait_for_url("**/indicators/i/hotline_first_contact_resolution_rate/**")
    assert "period=2026-02" in page.url
    assert (
        page.locator("h1").inner_text()
        == indicator("hotline_first_contact_resolution_rate").name_zh
    )
    assert outside == []
