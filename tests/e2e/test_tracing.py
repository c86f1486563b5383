"""An analyst traces a problem in the system's Chromium: the watch list of two demo months,
a signal with its chart, a case opened from it in one click, its root cause and measures, the
intervention date and the effect chart; then the demo's case of the planted fix, whose measure
really worked. No request leaves the server. Screenshots for the README land in
docs/screenshots/tracing-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD, browser_page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"  # not committed
# Two "small" demo months (the planted fix lowers one branch's mobile-internet complaints early
# in the second); "tiny" has too few complaints for a readable effect chart.
SCALE, MONTHS, SEED = "small", ("2026-10", "2026-11"), 7
SLOW_MS = 60_000
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path, height=1000) as opened:
        opened.set_default_timeout(SLOW_MS)
        yield opened


@pytest.fixture
def demo(transactional_db: None, cast: dict[str, Any], data_dir: Path) -> str:
    """Two demo months, detected, and the demo's case of the planted fix; its number.
    Made before Playwright starts (ORM calls inside its greenlet get a connection of their own)."""
    from sqm.demo.core.generator import generate_month
    from sqm.tracing.demo import seed_tracing

    for month in MONTHS:
        generate_month(data_dir, scale=SCALE, month=month, seed=SEED, fix_month=MONTHS[-1])
    seeded = seed_tracing(data_dir, MONTHS)
    assert seeded.case is not None
    return seeded.case


def _screenshot(page: Any, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")  # the top bar is sticky: shoot from the top
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def _traces(page: Any, chart: str) -> list[str]:
    names: list[str] = page.evaluate(
        f"() => document.getElementById('{chart}').data.map(t => t.name).filter(n => n)"
    )
    return names


def test_an_analyst_goes_from_a_signal_to_a_case_and_its_effect(
    demo: str, live_server: Any, page: Any
) -> None:
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    page.goto(f"{base}/tracing/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#signals")
    assert page.locator(".nav-item.is-active").inner_text() == "投诉溯源"
    assert page.locator("#signals tbody tr[data-signal] svg.spark").count() >= 3
    scores = [float(s) for s in page.locator("#signals td.score").all_inner_texts()]
    assert scores == sorted(scores, reverse=True)
    _screenshot(page, "tracing-signals.png")

    # The strongest signal placed in a branch: its chart, then a case in one click.
    page.select_option("#signal-filters select[name=kind]", "abnormal_change")
    page.click("#signal-filters button[type=submit]")
    page.wait_for_selector("#signals tbody tr[data-branch]:not([data-branch=''])")
    page.click("#signals tbody tr[data-branch]:not([data-branch='']) td a >> nth=0")
    page.wait_for_selector("#signal-figure .main-svg")
    assert _traces(page, "signal-figure") == ["期望区间", "期望值", "观测值"]
    page.click("#open-case")
    page.wait_for_selector("#case")
    assert "已立案" in page.locator(".messages").inner_text()
    assert page.locator("#case-signals tbody tr").count() == 1

    # Root cause, a measure, the stages, the intervention date: the effect appears.
    page.select_option("#root-cause-form [name=root_cause_class]", "execution_process")
    page.fill("#root-cause-form [name=root_cause_text]", "夜班基站巡检未按规程执行")
    page.select_option("#root-cause-form [name=lead_department]", "network")
    page.click("#save-root-cause")
    page.wait_for_selector("#root-cause strong")
    page.fill("#measure-form [name=title]", "恢复夜班巡检并考核")
    page.click("#add-measure")
    page.wait_for_selector("#measure-table tr[data-measure]")
    page.click("#stage-form button[data-stage=investigating]")
    page.wait_for_selector("#case[data-stage=investigating]")
    page.fill("#case-form [name=intervention_date]", "2026-11-15")
    page.click("#save-case")
    page.wait_for_selector("#effect-figure .main-svg")
    assert _traces(page, "effect-figure") == ["本单位(整改对象)", "对照组(其他分公司)"]
    kinds = page.locator("#events li").evaluate_all("items => items.map(i => i.dataset.kind)")
    assert kinds[:2] == ["created", "signal_linked"] and kinds[-2:] == ["stage", "updated"]
    assert "analyst (analyst)" in page.locator("#events").inner_text()

    # The demo's case: the planted fix really worked, against the other branches.
    page.goto(f"{base}/tracing/cases/{demo}/")
    page.wait_for_selector("#effect-figure .main-svg")
    assert page.locator("#effect-verdict").inner_text().startswith("显著下降")
    assert page.locator("#effect-value").inner_text().startswith("-")
    assert page.locator("#effect-satisfaction").inner_text().startswith("满意度")
    assert int(page.locator("#impact-complaints").inner_text()) > 0
    assert "26" in page.locator("#impact-rule").inner_text()
    _screenshot(page, "tracing-case.png")
    page.goto(f"{base}/")
    page.wait_for_selector("#tracing-home")
    assert demo in page.locator("#home-cases").inner_text()
    page.screenshot(path=str(ARTIFACTS / "tracing-home.png"), full_page=True)
    assert outside == []
