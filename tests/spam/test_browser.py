"""A spam reviewer signs in through the real form in the system's Chromium, opens the riskiest
case from the queue, reads its evidence and confirms it; the htmx panel shows the suspension."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections

from sqm.spam.models import SenderCase, Suspension
from tests.conftest import CAST_PASSWORD, browser_page

ARTIFACTS = Path(__file__).resolve().parents[1] / "e2e" / "artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path) as opened:
        yield opened


@pytest.fixture
def riskiest(transactional_db: None, people: dict[str, Any], make_case: Callable[..., Any]) -> Any:
    # Made before Playwright starts: ORM calls from the test body run in Playwright's greenlet
    # context, where Django opens a connection of its own (closed at the end of the test).
    make_case("13900000002", risk=0.62)
    return make_case("13912345678", risk=0.97)


def test_a_reviewer_confirms_a_case_and_sees_the_suspension_order(
    riskiest: Any, live_server: Any, page: Any
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )
    page.goto(f"{live_server.url}/spam/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "spam_reviewer")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#case-table")

    assert page.locator("h1").inner_text() == "垃圾短信审核队列"
    rows = page.locator("#case-table tbody tr")
    assert rows.count() == 2
    assert "139****5678" in rows.first.inner_text()  # riskiest first, number masked
    rows.first.locator("a").click()
    page.wait_for_selector("#evidence-messages")
    assert "代开各类发票" in page.locator("#evidence-messages").inner_text()
    assert page.locator("#case-status").inner_text() == "待审核"

    # Without the confirmation box the server refuses and the panel says why.
    note = "代开发票广告,多人举报"
    page.fill("#decision-panel textarea[name=note]", note)
    page.click("#confirm-button")
    page.wait_for_selector("#decision-panel .notice-danger")
    assert "请勾选确认" in page.locator("#decision-panel").inner_text()
    assert page.locator("#decision-panel textarea[name=note]").input_value() == note

    page.check("#confirm-suspension input[name=confirmed]")
    page.click("#confirm-button")
    # On to the next case: wait for another case's address (the decided case's own address
    # matches a wildcard at once, before htmx has redirected).
    decided = f"/spam/cases/{riskiest.pk}/"
    page.wait_for_url(lambda url: "/spam/cases/" in url and not url.endswith(decided))
    assert "139****0002" in page.inner_text("#main")
    assert "已确认违规,已下发停机指令" in page.locator(".messages").inner_text()
    page.goto(f"{live_server.url}/spam/cases/{riskiest.pk}/")
    assert page.locator("#case-status").inner_text() == "已停机"
    assert "spam_reviewer" in page.locator("#reviews").inner_text()
    assert page.locator("#suspension-notice").count() == 1
    assert page.locator("#confirm-button").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "spam_case_confirmed.png"), full_page=True)

    assert outside == []
    try:
        assert SenderCase.objects.get(pk=riskiest.pk).status == "suspended"
        assert Suspension.objects.get().confirmed_by == ["spam_reviewer"]
    finally:
        connections.close_all()  # see ``riskiest``: PostgreSQL could not drop the test database
