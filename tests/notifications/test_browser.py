"""A branch manager signs in in the system's Chromium, sees the bell's count, opens the
notifications page, marks one read and then all read over htmx: the bell follows without a
reload, and branch B's notification never shows. The README's screenshot lands in
docs/screenshots/notifications.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sqm.notifications import services
from tests.conftest import CAST_PASSWORD, browser_page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path) as opened:
        opened.set_default_timeout(30_000)
        yield opened


@pytest.fixture
def notified(transactional_db: None, cast: dict[str, Any]) -> None:
    # Made before Playwright starts (ORM calls inside its greenlet get a connection of their own).
    for title in ("南京营业厅排队超时", "南京回访率未达标", "南京投诉超期"):
        services.notify(cast["manager_a"], "overdue", title, "/tracing/", branch="NJ")
    services.notify(cast["manager_b"], "overdue", "无锡热线接通率", "/tracing/", branch="WX")


def test_a_manager_reads_notifications_and_the_bell_follows(
    notified: None, live_server: Any, page: Any
) -> None:
    outside: list[str] = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", "manager_a")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#notification-bell")
    assert page.locator("#notification-bell .bell-count").inner_text() == "3"

    page.click("#notification-bell")
    page.wait_for_selector("#notification-table")
    assert page.locator("h1").inner_text() == "通知"
    table = page.locator("#notification-table").inner_text()
    assert "南京投诉超期" in table and "无锡热线接通率" not in table
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "notifications.png"))

    page.locator("#notification-table tr.is-unread button.mark-read").first.click()
    page.wait_for_selector("#notification-table tr.is-read")
    page.wait_for_selector("#notification-bell .bell-count:text-is('2')")

    page.click("#mark-all-read")
    page.wait_for_selector("#notification-table tr.is-read >> nth=2")
    page.wait_for_selector("#notification-bell:not(:has(.bell-count))")
    assert page.locator("#notification-table tr.is-unread").count() == 0
    assert outside == []
