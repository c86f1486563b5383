"""From a red indicator to a verified action item, in the system's Chromium: the analyst opens
a service meeting whose agenda holds the month's red hall wait in 南京, records a decision on
it (an action item bound to the indicator), the 南京 manager adds evidence and marks it done,
the analyst's verification is refused while the figure is red and goes through with an
override reason. The agenda is reordered over htmx on the way. The README's screenshot lands in
docs/screenshots/improvement.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.conftest import CAST_PASSWORD, browser_page
from tests.improvement.conftest import store_results

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path, height=1000) as opened:
        opened.set_default_timeout(30_000)
        opened.on("dialog", lambda dialog: dialog.accept())
        yield opened


@pytest.fixture
def red(transactional_db: None, people: dict[str, Any]) -> date:
    """Last month's results with 南京's hall wait red; today's date. Made before Playwright
    starts (ORM calls inside its greenlet get a connection of their own)."""
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    store_results(
        last_month,
        [
            ("hall_mean_wait_minutes", None, 8.0, None),
            ("hall_mean_wait_minutes", "NJ", 16.0, None),
            ("hall_mean_wait_minutes", "WX", 8.0, None),
        ],
    )
    return today


def sign_in(page: Any, base: str, who: str) -> None:
    page.goto(f"{base}/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#main")


def test_a_red_indicator_becomes_a_decision_an_action_evidence_and_a_verification(
    red: date, live_server: Any, page: Any
) -> None:
    base = live_server.url
    outside: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
    sign_in(page, base, "analyst")
    page.goto(f"{base}/improvement/meetings/")
    page.fill("input[name=day]", red.isoformat())
    page.fill("input[name=chair_name]", "王副总")
    page.click("#create-meeting")

    # The agenda built itself: the red hall wait of 南京, with its accountable department.
    topic = page.locator("#agenda li[data-kind=red_indicator]")
    assert "南京" in topic.inner_text()
    page.fill("#topic-form input[name=title]", "春节服务保障")
    page.click("#topic-form button[type=submit]")
    page.wait_for_selector("#agenda li[data-kind=added]")
    added = page.locator("#agenda li[data-kind=added] button[aria-label='上移']")
    added.click()
    page.wait_for_function("document.querySelectorAll('#agenda li')[0].dataset.kind === 'added'")

    topic = page.locator("#agenda li[data-kind=red_indicator]")
    topic.locator("button.decide").click()
    assert page.input_value("#decision-form [name=indicator]") == "hall_mean_wait_minutes"
    assert page.input_value("#decision-form [name=branch]") == "NJ"
    page.fill("#decision-form [name=text]", "南京营业厅高峰时段增开窗口")
    page.fill("#decision-form [name=deadline]", (red + timedelta(days=20)).isoformat())
    page.fill("#decision-form [name=target]", "10")
    page.click("#record-decision")
    page.wait_for_selector("#decision-table a.code")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(SCREENSHOTS / "improvement.png"), full_page=True)
    action_url = page.locator("#decision-table a.code").get_attribute("href")

    # The 南京 manager works on it in a browser of their own.
    other = page.context.browser.new_context(viewport={"width": 1440, "height": 1000})
    manager = other.new_page()
    manager.set_default_timeout(30_000)
    sign_in(manager, base, "manager_a")
    manager.goto(f"{base}{action_url}")
    manager.fill("#evidence-form [name=note]", "高峰时段已增开两个窗口，排队记录见附件")
    manager.click("#add-evidence")
    manager.wait_for_selector("#evidence-list li[data-kind=note]")
    manager.click("#step-complete")
    manager.wait_for_selector("#action[data-status=done]")
    other.close()

    # The quality department verifies: refused while 南京's figure is red, then overridden.
    page.goto(f"{base}{action_url}")
    page.click("#step-verify")
    page.wait_for_selector(".message-error")
    assert "尚未达标" in page.locator(".message-error").inner_text()
    page.fill("#override-reason", "新窗口本月启用，下月数据复核")
    page.click("#step-verify")
    page.wait_for_selector("#action[data-status=verified]")
    events = page.locator("#events").inner_text()
    assert "manager_a" in events and "强制关闭" in events
    assert outside == []
