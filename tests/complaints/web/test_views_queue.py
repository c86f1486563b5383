"""The queue pages: tabs with counts, filters, paging, the clock column, bulk assignment,
the Excel export of exactly what is shown, and intake through the web form."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from sqm.complaints import services
from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor

pytestmark = pytest.mark.django_db
QUEUE = "/complaints/"


def _html(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _numbers(html: str, orders: list[Any]) -> set[str]:
    return {o.number for o in orders if f'data-number="{o.number}"' in html}


@pytest.fixture
def orders(make_order: MakeOrder, people: dict[str, Any]) -> dict[str, Any]:
    """A small province: NJ orders in several states, one WX order."""
    fresh = timezone.now() - timedelta(minutes=5)
    made = {
        "mine": make_order("handler_a", created_at=fresh),
        "late": make_order("handler_a", severity="high"),  # created in March: long overdue
        "other": make_order("manager_a", created_at=fresh, channel="app", severity="low"),
        "wuxi": make_order("handler_b", branch="WX", created_at=fresh),
    }
    services.escalate(people["manager_a"], made["other"].number, reason="客户要求升级")
    made["repeat"] = make_order(
        "handler_a", customer_id=made["mine"].customer_id, created_at=timezone.now()
    )
    return made


def test_a_handler_starts_on_their_own_queue_with_counts_on_every_tab(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("handler_a"), QUEUE)
    assert 'data-queue="mine" class="is-active"' in html
    counts = services.queue_counts(orders["mine"].owner)
    for key, count in counts.items():
        assert f'data-queue="{key}"' in html
        assert f'<span class="count">{count}</span>' in html
    shown = _numbers(html, list(orders.values()))
    assert shown == {orders["mine"].number, orders["late"].number, orders["repeat"].number}


@pytest.mark.parametrize(
    "queue, expected",
    [
        ("branch", {"mine", "late", "other", "repeat"}),
        ("overdue", {"late"}),
        ("due_soon", set()),
        ("escalated", {"other"}),
        ("repeats", {"repeat"}),
        ("all", {"mine", "late", "other", "repeat"}),
    ],
)
def test_each_queue_shows_its_work_orders_within_the_branch(
    queue: str, expected: set[str], orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("manager_a"), f"{QUEUE}?queue={queue}")
    assert _numbers(html, list(orders.values())) == {orders[k].number for k in expected}


def test_another_branchs_manager_sees_none_of_them(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("manager_b"), f"{QUEUE}?queue=all")
    assert _numbers(html, list(orders.values())) == {orders["wuxi"].number}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("channel=app", {"other"}),
        ("severity=high", {"late"}),
        ("level=escalated", {"other"}),
        ("status=new", {"mine", "late", "other", "repeat", "wuxi"}),
        ("status=closed", set()),
        ("factor=mobile_internet", {"mine", "late", "other", "repeat", "wuxi"}),
        ("category=bills.overcharge", set()),
        ("branch=WX", {"wuxi"}),
        ("q=C000001", {"mine", "repeat"}),
    ],
)
def test_the_filters_narrow_the_queue(
    query: str, expected: set[str], orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("analyst"), f"{QUEUE}?queue=all&{query}")
    assert _numbers(html, list(orders.values())) == {orders[k].number for k in expected}


def test_the_date_filter_keeps_the_orders_created_between_two_days_inclusive(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    today = timezone.localdate().isoformat()
    march = f"{QUEUE}?queue=all&branch=NJ&created_from=2026-03-02&created_to=2026-03-02"
    assert _numbers(_html(client_for("analyst"), march), list(orders.values())) == {
        orders["late"].number
    }
    recent = f"{QUEUE}?queue=all&branch=NJ&created_from=2026-03-03&created_to={today}"
    assert _numbers(_html(client_for("analyst"), recent), list(orders.values())) == {
        orders[k].number for k in ("mine", "other", "repeat")
    }


def test_a_reversed_or_unreadable_date_is_named_and_the_other_filters_still_hold(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(
        client_for("analyst"),
        f"{QUEUE}?queue=all&branch=WX&created_from=2026-03-05&created_to=2026-03-01",
    )
    assert 'id="filter-errors"' in html and "结束日期早于开始日期" in html
    assert _numbers(html, list(orders.values())) == {orders["wuxi"].number}
    html = _html(client_for("analyst"), f"{QUEUE}?queue=all&branch=WX&created_from=March")
    assert 'id="filter-errors"' in html
    assert _numbers(html, list(orders.values())) == {orders["wuxi"].number}


def test_the_queue_names_say_what_they_hold(orders: dict[str, Any], client_for: ClientFor) -> None:
    html = _html(client_for("manager_a"), QUEUE)
    assert ">已超时<" in html and ">即将超时<" in html and ">本分公司<" in html
    # A province role belongs to no branch: its open orders are the province's.
    html = _html(client_for("analyst"), QUEUE)
    assert ">全部在办<" in html and ">本分公司<" not in html


def test_a_branch_bound_person_cannot_filter_their_way_into_another_branch(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("manager_a"), f"{QUEUE}?queue=all&branch=WX")
    assert orders["wuxi"].number not in html


def test_the_clock_column_says_how_late_or_how_long_is_left(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("manager_a"), f"{QUEUE}?queue=all")
    assert 'class="clock clock-breached"' in html and "超时" in html  # the March order
    assert 'class="clock clock-running"' in html and "剩余" in html  # the fresh ones


def test_phone_numbers_are_masked_in_the_queue(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("admin"), f"{QUEUE}?queue=all")
    assert "13912345678" not in html and "139****5678" in html


def test_long_queues_are_paged(make_order: MakeOrder, client_for: ClientFor) -> None:
    for _ in range(52):
        make_order("handler_a")
    client = client_for("handler_a")
    first = _html(client, f"{QUEUE}?queue=all")
    assert first.count('name="numbers"') == 50 and "page=2" in first
    assert _html(client, f"{QUEUE}?queue=all&page=2").count('name="numbers"') == 2


def test_bulk_assign_gives_the_checked_work_orders_to_one_person(
    orders: dict[str, Any], client_for: ClientFor, people: dict[str, Any]
) -> None:
    numbers = [orders["mine"].number, orders["late"].number]
    response = client_for("manager_a").post(
        f"{QUEUE}bulk-assign/",
        {"numbers": numbers, "assignee": people["supervisor_a"].pk, "next": "/complaints/"},
        follow=True,
    )
    assert response.status_code == 200
    assert "已将 2 张工单分配给 supervisor_a" in response.content.decode()
    assignees = set(WorkOrder.objects.filter(number__in=numbers).values_list("assignee", flat=True))
    assert assignees == {people["supervisor_a"].pk}


def test_bulk_assign_skips_what_the_person_cannot_see(
    orders: dict[str, Any], client_for: ClientFor, people: dict[str, Any]
) -> None:
    client_for("manager_a").post(
        f"{QUEUE}bulk-assign/",
        {"numbers": [orders["wuxi"].number], "assignee": people["supervisor_a"].pk},
    )
    assert WorkOrder.objects.get(pk=orders["wuxi"].pk).assignee == people["handler_b"]


def test_bulk_assign_offers_only_people_of_the_branch(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("manager_a"), QUEUE)
    assert "supervisor_a" in html and "handler_b" not in html


def test_the_executive_reads_the_queue_but_gets_no_checkboxes_or_intake(
    orders: dict[str, Any], client_for: ClientFor, people: dict[str, Any]
) -> None:
    client = client_for("executive")
    html = _html(client, f"{QUEUE}?queue=all")
    assert orders["wuxi"].number in html
    assert 'name="numbers"' not in html and "/complaints/new/" not in html
    assert client.get("/complaints/new/").status_code == 403
    response = client.post(
        f"{QUEUE}bulk-assign/",
        {"numbers": [orders["mine"].number], "assignee": people["handler_a"].pk},
    )
    assert response.status_code == 403


def test_a_spam_reviewer_has_no_complaint_pages(client_for: ClientFor) -> None:
    assert client_for("spam_reviewer").get(QUEUE).status_code == 403


def test_the_export_holds_exactly_the_filtered_queue(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    response = client_for("analyst").get(f"{QUEUE}export/?queue=all&channel=hotline&branch=NJ")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    assert "complaints-all-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "工单号" and "联系电话" in rows[0]
    numbers = {row[0] for row in rows[1:]}
    assert numbers == {orders[k].number for k in ("mine", "late", "repeat")}
    phones = {row[rows[0].index("联系电话")] for row in rows[1:]}
    assert phones == {"139****5678"}


def test_the_export_link_carries_the_current_filters(
    orders: dict[str, Any], client_for: ClientFor
) -> None:
    html = _html(client_for("analyst"), f"{QUEUE}?queue=escalated&severity=low")
    assert "/complaints/export/?queue=escalated&amp;severity=low&amp;format=xlsx" in html


def test_the_intake_form_records_a_complaint_owned_by_its_recorder(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    client = client_for("handler_a")
    form = _html(client, "/complaints/new/")
    assert 'name="description"' in form and "收费误差" in form and "无锡" not in form
    response = client.post(
        "/complaints/new/",
        {
            "channel": "hall",
            "category": "bills.overcharge",
            "severity": "high",
            "customer_id": "C424242",
            "customer_phone": "13800001111",
            "branch": people["handler_a"].sqm_profile.branch_id,
            "bill": "B-2026-03",
            "number": "13800001111",
            "description": "3月账单多收了20元",
        },
        follow=True,
    )
    order = WorkOrder.objects.get(customer_id="C424242")
    assert response.redirect_chain[-1][0] == f"/complaints/{order.number}/"
    assert order.owner == people["handler_a"] and order.channel == "hall"
    assert {"role": "bill", "type": "CustomerBill", "id": "B-2026-03"} in order.related
    html = response.content.decode()
    assert "你是首问负责人" in html and "13800001111" not in html  # related number masked too


def test_the_intake_form_explains_what_is_missing(client_for: ClientFor) -> None:
    response = client_for("handler_a").post("/complaints/new/", {"channel": "hall"})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert WorkOrder.objects.count() == 0


def test_the_intake_form_refuses_another_branchs_hall(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    from sqm.org.models import Branch, Hall

    response = client_for("analyst").post(
        "/complaints/new/",
        {
            "channel": "hall",
            "category": "bills.overcharge",
            "severity": "low",
            "customer_id": "C1",
            "branch": Branch.objects.get(code="NJ").pk,
            "hall": Hall.objects.filter(branch__code="WX").first().pk,
            "description": "x",
        },
    )
    assert "营业厅不属于所选分公司" in response.content.decode()
    assert WorkOrder.objects.count() == 0
