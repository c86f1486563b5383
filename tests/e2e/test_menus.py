"""Every role signs in through the real form in Chromium, finds links to its work on its home
page and opens every entry of its menu, once each: no entry may answer 403 or 404, and every
page — a refusal included — carries the site's layout (issue 23). Bounded: one page load per
menu entry, one refused page per role."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CAST_PASSWORD, browser_page

pytestmark = pytest.mark.browser

# One person per role of the standing cast; the page each may not open.
ROLES = {
    "admin": None,
    "analyst": "/inventory/",
    "manager_a": "/inventory/",
    "liaison": "/spam/",
    "handler_a": "/spam/",
    "supervisor_a": "/voc/",
    "spam_reviewer": "/complaints/",
    "executive": "/spam/",
}


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path) as opened:
        yield opened


def _has_layout(page: Any) -> bool:
    return bool(page.locator("header.topbar").count() and page.locator("nav.sidebar").count())


def _sign_in(page: Any, base: str, who: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#worklist")


def test_every_role_opens_every_menu_entry_and_meets_refusals_inside_the_site(
    transactional_db: None,
    people: dict[str, Any],
    data_dir: Path,
    live_server: Any,
    page: Any,
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    failures: list[str] = []
    for who, refused in ROLES.items():
        _sign_in(page, live_server.url, who)
        if not page.locator("#worklist a").count():
            failures.append(f"{who}: the home page has no link to the role's work")
        entries = page.locator("nav.sidebar a.nav-item").evaluate_all(
            "links => links.map(a => a.getAttribute('href'))"
        )
        assert entries and entries[0] == "/", who
        for href in entries:
            response = page.goto(f"{live_server.url}{href}")
            status = response.status if response else 0
            if status in (403, 404) or status >= 500:
                failures.append(f"{who}: menu entry {href} answered {status}")
            elif not _has_layout(page):
                failures.append(f"{who}: {href} has no site layout")
        if refused is None:
            continue
        assert refused not in entries, f"{who}'s menu offers {refused}"
        response = page.goto(f"{live_server.url}{refused}")
        assert response is not None and response.status == 403, (who, refused)
        if not (_has_layout(page) and page.locator("#refusal-home").count()):
            failures.append(f"{who}: the refusal of {refused} has no layout or way back")
    assert not failures, failures
    assert not errors, errors
