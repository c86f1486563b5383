"""An analyst opens the satisfaction dashboard in the system's Chromium: the index, the trend
and the importance-performance map are drawn by the bundled plotly.js (no request leaves the
server), the map has one point per factor, and choosing a branch redraws for that branch."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes
from sqm.voc.intake import import_file
from tests.conftest import CAST_PASSWORD, browser_page
from tests.voc.conftest import synthetic_study

pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path, height=1000) as opened:
        yield opened


@pytest.fixture
def seeded(transactional_db: None, cast: dict[str, Any], data_dir: Path) -> dict[str, Any]:
    path = data_dir / "study.csv"
    synthetic_study().to_csv(path, index=False)
    import_file(data_dir, path, ReferenceCodes.from_province(PROVINCE))
    return cast


def _points(page: Any, chart: str) -> int:
    count: int = page.evaluate(
        f"""() => document.getElementById("{chart}").data
                .filter(t => t.mode === "markers+text")
                .reduce((n, t) => n + t.x.length, 0)"""
    )
    return count


def test_the_dashboard_draws_the_index_trend_and_the_ipa_map(
    seeded: dict[str, Any], live_server: Any, page: Any
) -> None:
    outside: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    page.goto(f"{live_server.url}/voc/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#ipa-chart .main-svg")
    page.wait_for_selector("#trend-chart .main-svg")

    assert page.locator("h1").inner_text() == "客户满意度"
    index = float(page.locator("#satisfaction-index").inner_text())
    assert 0 < index < 100
    assert _points(page, "ipa-chart") == 19
    # The trend has our line for both months of the study.
    assert page.evaluate("() => document.getElementById('trend-chart').data[0].x") == [
        "2026-08",
        "2026-09",
    ]
    first = page.locator("#factor-table tbody tr").first
    assert first.get_attribute("data-factor") == "price_level"
    assert "重点改进" in first.inner_text()
    everyone = int(page.locator("#respondents").inner_text())

    page.select_option("select[name=branch]", "NJ")
    page.wait_for_url("**branch=NJ**")
    page.wait_for_selector("#ipa-chart .main-svg")
    assert int(page.locator("#respondents").inner_text()) < everyone
    assert _points(page, "ipa-chart") == 19
    assert outside == []
    page.screenshot(
        path=str(Path(__file__).resolve().parents[1] / "e2e" / "artifacts" / "voc-dashboard.png"),
        full_page=True,
    )
