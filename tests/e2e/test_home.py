"""A branch manager signs in through the real form in the system's Chromium and reads their
home work list, in Chinese and then in English; an administrator opens the inventory.
Screenshots land in tests/e2e/artifacts/ (not committed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sqm.org.core.province import PROVINCE
from tests.conftest import CAST_PASSWORD, browser_page
from tests.web.sample_data import load_sample

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    # An English-language browser on purpose: SQM must still open in Chinese.
    with browser_page(chromium_path, locale="en-US") as opened:
        yield opened


def test_a_branch_manager_signs_in_and_sees_only_their_branch(
    transactional_db: None,
    cast: dict[str, Any],
    data_dir: Path,
    live_server: Any,
    page: Any,
) -> None:
    load_sample(data_dir)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )
    ARTIFACTS.mkdir(exist_ok=True)

    page.goto(f"{live_server.url}/")
    assert "/login/" in page.url
    page.screenshot(path=str(ARTIFACTS / "login_zh.png"))
    page.fill("input[name=username]", "manager_a")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#worklist")

    # Chinese: the branch's work list, 南京 named, nothing of 无锡.
    assert page.locator("h1").inner_text() == "首页"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert page.locator("#home-raised").is_visible() and page.locator("#home-appeals").is_visible()
    html = page.content()
    leaked = [h.name_zh for h in PROVINCE.halls_of("WX") if h.name_zh in html]
    assert not leaked and "无锡" not in html and "WX-H" not in html
    assert "南京" in page.locator(".topbar").inner_text()
    assert "分公司服务经理" in page.locator(".topbar").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home_zh.png"), full_page=True)

    # The language switch posts to set_language and comes back to the same page in English.
    page.click(".topbar button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Home"
    for label in ("Overdue and escalated work orders", "Appeals to the regulator", "Sign out"):
        assert label in page.inner_text("body"), label
    assert "Branch service manager" in page.locator(".topbar").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home_en.png"), full_page=True)

    # Everything came from the live server: no CDN, no web font, nothing outside.
    assert outside == []


def test_the_administrator_s_inventory_shows_the_province_folded_and_opens_a_branch(
    transactional_db: None,
    people: dict[str, Any],
    data_dir: Path,
    live_server: Any,
    page: Any,
) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#home-administration")
    page.click("#home-administration a[href='/inventory/']")
    page.wait_for_selector("#org-tree")

    branches = page.locator("#org-tree details.branch")
    assert branches.count() == len(PROVINCE.branches) == 13
    wuxi_hall = PROVINCE.halls_of("WX")[0].name_zh
    assert not page.get_by_text(wuxi_hall, exact=True).is_visible()  # folded
    page.locator("#org-tree summary", has_text="无锡").click()
    assert page.get_by_text(wuxi_hall, exact=True).is_visible()
    assert "全省" in page.locator(".topbar").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "inventory_zh.png"), full_page=True)
