"""A branch manager signs in through the real form in the system's Chromium and reads the home
page, in Chinese and then in English. Screenshots land in tests/e2e/artifacts/ (not committed)."""

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
    page.wait_for_selector("#org-tree")

    # Chinese, with 南京 and its halls shown (its one branch opens by itself) and no 无锡.
    assert page.locator("h1").inner_text() == "首页"
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    tree = page.locator("#org-tree")
    assert "南京" in tree.inner_text()
    for hall in PROVINCE.halls_of("NJ"):
        assert page.get_by_text(hall.name_zh, exact=True).is_visible()
    html = page.content()
    leaked = [h.name_zh for h in PROVINCE.halls_of("WX") if h.name_zh in html]
    assert not leaked and "无锡" not in html and "WX-H" not in html
    assert "分公司服务经理" in page.locator(".topbar").inner_text()
    assert "热线来电" in page.locator("#sources").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home_zh.png"), full_page=True)

    # The language switch posts to set_language and comes back to the same page in English.
    page.click(".topbar button[value=en]")
    page.wait_for_selector("html[lang=en]")
    assert page.locator("h1").inner_text() == "Home"
    for label in ("Organisation", "Loaded data", "Recent ingests", "Sign out", "Nanjing"):
        assert label in page.inner_text("body"), label
    assert "Branch service manager" in page.locator(".topbar").inner_text()
    page.screenshot(path=str(ARTIFACTS / "home_en.png"), full_page=True)

    # Everything came from the live server: no CDN, no web font, nothing outside.
    assert outside == []


def test_the_analyst_sees_the_province_folded_and_opens_a_branch(
    transactional_db: None,
    cast: dict[str, Any],
    data_dir: Path,
    live_server: Any,
    page: Any,
) -> None:
    page.context.add_cookies(
        [{"name": "django_language", "value": "zh-hans", "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", "analyst")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#org-tree")

    branches = page.locator("#org-tree details.branch")
    assert branches.count() == len(PROVINCE.branches) == 13
    wuxi_hall = PROVINCE.halls_of("WX")[0].name_zh
    assert not page.get_by_text(wuxi_hall, exact=True).is_visible()  # folded
    page.locator("#org-tree summary", has_text="无锡").click()
    assert page.get_by_text(wuxi_hall, exact=True).is_visible()
    assert "全省" in page.locator(".topbar").inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "home_analyst_zh.png"), full_page=True)
