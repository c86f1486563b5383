"""The complaint queue fits a 1440 px screen in Chinese and in English (issue 23): nothing
scrolls sideways and the deadline column is on screen. Bounded: one browser, three page loads
(the province analyst, who also sees the branch column, in both languages; a handler with the
bulk-assign checkboxes in English)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tests.complaints.conftest import MakeOrder
from tests.conftest import CAST_PASSWORD, browser_page

pytestmark = pytest.mark.browser
WIDTH = 1440


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path) as opened:
        yield opened


@pytest.fixture
def busy_queue(transactional_db: None, people: dict[str, Any], make_order: MakeOrder) -> None:
    """Long category names, escalated and overdue orders in two branches: the widest rows."""
    from sqm.complaints import services

    now = timezone.now()
    for hours, category, branch in (
        (120, "business_hall.long_wait", "NJ"),
        (70, "bills.overcharge", "NJ"),
        (30, "mobile_internet.slow", "WX"),
        (2, "handsets.defect", "NJ"),
    ):
        actor = "handler_a" if branch == "NJ" else "handler_b"
        order = make_order(
            actor, category=category, branch=branch, created_at=now - timedelta(hours=hours)
        )
    services.escalate(people["manager_a"], order.number, reason="客户要求升级")


def _sign_in(page: Any, base: str, who: str, language: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#worklist")


def test_the_queue_fits_1440_px_in_both_languages_with_the_deadline_on_screen(
    busy_queue: None, data_dir: Path, live_server: Any, page: Any
) -> None:
    measured = {}
    for who, language in (("analyst", "zh-hans"), ("analyst", "en"), ("handler_a", "en")):
        _sign_in(page, live_server.url, who, language)
        page.goto(f"{live_server.url}/complaints/?queue=all")
        page.wait_for_selector("#work-orders tbody tr[data-number]")
        width = page.evaluate("document.documentElement.scrollWidth")
        deadline = page.locator("#deadline-column").bounding_box()
        measured[(who, language)] = width
        assert width <= WIDTH, (who, language, width)
        assert deadline is not None and deadline["x"] + deadline["width"] <= WIDTH, (who, language)
    assert page.locator("html").get_attribute("lang") == "en"
    assert len(measured) == 3
