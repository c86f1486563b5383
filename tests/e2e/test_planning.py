"""An analyst plans in the system's Chromium: a week's hotline staffing from a demo month of
events, drawn by the bundled plotly.js, checked by simulation; then the halls' counters and
opening hours, and staggered billing. No request leaves the server. Screenshots for the README
land in docs/screenshots/planning-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD, browser_page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # not committed
# The "small" demo (26 halls, ~22,000 calls a week, ~7 s to generate): a realistic picture
# for the README; "tiny" has four halls and a handful of agents.
SCALE, MONTH, PERIOD = "small", "2026-11", "2026-12-01..2026-12-07"
SLOW_MS = 120_000  # a plan is computed while the page waits (seconds; more on a busy CI)
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path, height=1000) as opened:
        opened.set_default_timeout(SLOW_MS)
        yield opened


@pytest.fixture
def analyst(transactional_db: None, cast: dict[str, Any], data_dir: Path) -> Any:
    # Made before Playwright starts (ORM calls inside its greenlet get a connection of their own).
    from sqm.demo.core.generator import generate_month

    generate_month(data_dir, scale=SCALE, month=MONTH, seed=7)
    return cast["analyst"]


def _traces(page: Any, chart: str) -> list[str]:
    names: list[str] = page.evaluate(
        f"() => document.getElementById('{chart}').data.map(t => t.name)"
    )
    return names


def _screenshot(page: Any, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the top bar is sticky: shoot from the top
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _new_plan(page: Any, base: str, kind: str, fields: dict[str, str]) -> None:
    page.goto(f"{base}/planning/")
    if page.locator(f"#new-{kind} details[open]").count() == 0:
        page.click(f"#new-{kind} summary")
    for name, value in fields.items():
        page.fill(f"#{kind}-form [name={kind}-{name}]", value)
    page.click(f"#{kind}-submit")


def test_an_analyst_plans_the_hotline_the_halls_and_the_bill_cycles(
    analyst: Any, live_server: Any, page: Any
) -> None:
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.goto(f"{base}/planning/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#hotline-form")
    assert page.locator("h1").inner_text() == "容量规划"
    assert page.locator(".nav-item.is-active").inner_text() == "容量规划"
    # The period suggested is the week after the data.
    assert page.input_value("[name=hotline-period]") == PERIOD

    # A week's hotline staffing: the requirement per interval and tier, agents on a 2nd axis.
    page.fill("[name=hotline-name]", "十二月第一周热线")
    page.click("#hotline-submit")
    page.wait_for_selector("#requirement-chart .main-svg")
    assert "已生成方案“十二月第一周热线”" in page.locator(".messages").inner_text()
    assert _traces(page, "requirement-chart") == [
        "普通来电",
        "VIP 来电",
        "在线座席(接电话)",
        "排班座席(含折损)",
    ]
    page.wait_for_selector("#error-chart .main-svg")
    assert int(page.locator("[data-figure-key=peak_agents] .stat-value").inner_text()) > 5
    hotline_url = page.url

    # The simulation check, beside what the staffing promised.
    page.click("#simulate-submit")
    page.wait_for_selector("#simulation-table")
    page.wait_for_selector("#simulation-chart .main-svg")
    assert "已完成仿真验证" in page.locator(".messages").inner_text()
    rows = page.locator("#simulation-table tbody tr")
    assert rows.count() == 4
    assert "%" in rows.first.locator("td").nth(1).inner_text()
    _screenshot(page, "planning-hotline.png")

    # The halls: counters and collectors per hour of a chosen day, and opening hours.
    _new_plan(page, base, "halls", {"period": PERIOD, "name": "十二月第一周营业厅"})
    page.wait_for_selector("#heatmap-chart .main-svg")
    page.click("#heatmap .day-tabs li:nth-child(6) a")  # Sunday 6 December
    page.wait_for_selector("#heatmap .day-tabs li:nth-child(6) a.is-active")
    page.wait_for_selector("#profile-chart .main-svg")
    assert page.locator("#halls tbody tr").count() > 10
    assert page.locator("#opening-hours tbody tr").count() >= 2
    _screenshot(page, "planning-halls.png")

    # Staggered billing: the daily load before and after, each peak marked.
    _new_plan(page, base, "billing", {"cycles": "4", "name": "四期出账"})
    page.wait_for_selector("#load-chart .main-svg")
    assert _traces(page, "load-chart")[::2] == ["现行出账(调整前)", "分期出账(调整后)"]
    assert page.locator("#segments tbody tr").count() >= 2
    _screenshot(page, "planning-billing.png")

    # Back on the list: the three plans, the hotline one marked as simulated.
    page.goto(f"{base}/planning/")
    assert page.locator("#plans-hotline tbody tr").count() == 1
    assert "已仿真" in page.locator("#plans-hotline").inner_text()
    assert page.locator("#plans-halls tbody tr[data-plan]").count() == 1
    assert page.locator("#plans-billing tbody tr[data-plan]").count() == 1
    page.screenshot(path=str(ARTIFACTS / "planning-index.png"), full_page=True)
    page.goto(hotline_url)
    page.wait_for_selector("#requirement-chart .main-svg")
    assert outside == []
