"""A complaint handler takes one complaint through its whole life in the system's Chromium:
intake through the web form, acknowledge, start, resolve, and the return visit that closes it
with the customer's confirmation and satisfaction; then reads the timeline. Every step posts
with htmx and the block re-renders in place. Screenshots for the README land in
docs/screenshots/complaints-*.png."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from sqm.org.core.roles import Role
from tests.conftest import CAST_PASSWORD, browser_page

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
pytestmark = pytest.mark.browser


@pytest.fixture
def page(chromium_path: str) -> Iterator[Any]:
    with browser_page(chromium_path, height=1000) as opened:
        yield opened


@pytest.fixture
def handler(transactional_db: None, cast: dict[str, Any], data_dir: Path) -> Any:
    # Made before Playwright starts (ORM calls inside its greenlet get a connection of their own).
    from sqm.complaints.workdays import calendars
    from sqm.org.users import create_user

    calendars.clear_cache()  # no calendar cached by an earlier test in this process
    user = create_user(
        "handler_a",
        Role.COMPLAINT_HANDLER,
        branch="NJ",
        password=CAST_PASSWORD,
        display_name="王晓明",
    )
    _colleagues_work(user)
    return user


def _colleagues_work(user: Any) -> None:
    """A few other open work orders, so the queue looks like a working day's."""
    from django.utils import timezone

    from sqm.complaints import services

    now = timezone.now()
    for hours, category, severity, customer in (
        (70, "mobile_internet.slow", "medium", "C20250917"),  # the 48 h promise is broken
        (40, "business_hall.long_wait", "low", "C20250311"),  # first reply due soon
        (2, "handsets.defect", "high", "C20260412"),
    ):
        services.create_work_order(
            user,
            channel="hall" if "hall" in category else "hotline",
            category=category,
            severity=severity,
            customer_id=customer,
            customer_phone="1380000" + customer[-4:],
            branch="NJ",
            description="客户来电反映问题,详见通话记录",
            created_at=now - timedelta(hours=hours),
        )


def _step(page: Any, action: str, note: str, status: str) -> None:
    page.fill("#transition-form textarea[name=note]", note)
    page.click(f"#transition-form button[data-action={action}]")
    page.wait_for_selector(f"#work-order[data-status={status}]")


def test_a_complaint_goes_from_intake_to_confirmed_closure(
    handler: Any, live_server: Any, page: Any
) -> None:
    outside: list[str] = []
    page.on(
        "request",
        lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url),
    )
    page.goto(f"{live_server.url}/complaints/new/")
    assert "/login/" in page.url
    page.fill("input[name=username]", "handler_a")
    page.fill("input[name=password]", CAST_PASSWORD)
    page.click("button[type=submit].button-primary")
    page.wait_for_selector("#intake-form")

    # Intake: the employee who takes the call records it and becomes its first-ask owner.
    page.select_option("select[name=channel]", "hotline")
    page.select_option("select[name=category]", "bills.overcharge")
    page.select_option("select[name=severity]", "high")
    page.fill("input[name=customer_id]", "C20260001")
    page.fill("input[name=customer_phone]", "13912345678")
    page.fill("input[name=bill]", "B202611-0042")
    page.fill("textarea[name=description]", "11月账单多扣了30元流量包费用,客户未订购该流量包")
    assert page.locator("select[name=branch] option:checked").inner_text().startswith("南京")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "complaints-intake.png"), full_page=True)
    page.click("#intake-submit")
    page.wait_for_selector("#work-order[data-status=new]")
    assert "你是首问负责人" in page.locator(".messages").inner_text()
    number = page.locator("h1").inner_text().split()[-1]
    assert number.startswith("TT")
    assert page.locator("#wo-owner").inner_text() == "王晓明"
    assert page.locator("#wo-assignee").inner_text() == "王晓明"
    assert "139****5678" in page.locator("#customer-phone").inner_text()

    # A refusal comes back in place with its reason (htmx swaps the 400 too).
    page.click("#escalate-form button[type=submit]")
    page.wait_for_selector("#action-error")
    assert "请检查填写内容" in page.locator("#action-error").inner_text()

    # The lifecycle, one htmx step at a time; only the allowed steps are ever offered.
    assert page.locator("#transition-form button[data-action=resolve]").count() == 0
    _step(page, "acknowledge", "已致电客户,核实扣费记录", "acknowledged")
    _step(page, "start", "转计费核查", "in_progress")
    _step(page, "resolve", "确认误扣,已按双倍返还60元", "resolved")
    assert page.locator("#transition-form button[data-action=start]").count() == 0

    # The return visit: the customer confirms and is satisfied.
    page.select_option("#closure-form select[name=outcome]", "confirmed")
    page.select_option("#closure-form select[name=satisfaction]", "5")
    page.fill("#closure-form textarea[name=note]", "回访客户,确认已到账,表示满意")
    page.click("#closure-submit")
    page.wait_for_selector("#work-order[data-status=closed]")
    assert page.locator("#wo-status").inner_text() == "已关闭"
    assert "客户已确认" in page.locator("#wo-closure").inner_text()
    assert "满意度 5/5" in page.locator("#wo-closure").inner_text()
    assert page.locator("#closure-form").count() == 0

    # The timeline holds every step in order, each with who did it and what they wrote.
    events = page.locator("#timeline li")
    titles = [events.nth(i).locator(".what").inner_text() for i in range(events.count())]
    assert titles == [
        "受理登记",
        "受理 → 已受理",
        "开始处理 → 处理中",
        "解决 → 已解决",
        "用户确认关闭 → 已关闭",
    ]
    timeline = page.locator("#timeline").inner_text()
    assert "确认误扣,已按双倍返还60元" in timeline and "王晓明" in timeline
    page.screenshot(path=str(SCREENSHOTS / "complaints-detail.png"), full_page=True)

    # Back in the queue, the closed work order is in "all", with its met clock.
    page.goto(f"{live_server.url}/complaints/?queue=all")
    row = page.locator(f"tr[data-number={number}]")
    assert "已关闭" in row.inner_text() and "按时完成" in row.inner_text()
    page.screenshot(path=str(SCREENSHOTS / "complaints-queue.png"), full_page=True)
    assert outside == []
