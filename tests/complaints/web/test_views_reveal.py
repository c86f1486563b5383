""" "Show number" (web.detail.reveal_phone): a reason is required, every refusal is logged as
denied, and one user's reveals are limited per hour (settings.SQM_REVEALS_PER_HOUR)."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.org.models import AuditLog
from tests.complaints.conftest import PHONE, MakeOrder
from tests.complaints.web.conftest import ClientFor

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def order(make_order: MakeOrder) -> Any:
    return make_order("handler_a")


def _reveal(client: Any, order: Any, data: dict[str, str]) -> Any:
    return client.post(f"/complaints/{order.number}/phone/", data, headers=HTMX)


def _denials(order: Any) -> list[tuple[str, str]]:
    rows = AuditLog.objects.filter(action="phone.reveal_denied", object_id=order.number)
    return [(e.actor_username, e.detail["refused"]) for e in rows]


def test_the_page_asks_for_a_reason_instead_of_sending_a_default_one(
    order: Any, client_for: ClientFor
) -> None:
    html = client_for("handler_a").get(f"/complaints/{order.number}/").content.decode()
    assert 'id="reveal-reason"' in html and 'type="hidden" name="reason"' not in html


@pytest.mark.parametrize("data", [{}, {"reason": ""}, {"reason": "   "}])
def test_a_reveal_without_a_reason_is_refused_and_logged(
    order: Any, client_for: ClientFor, data: dict[str, str]
) -> None:
    response = _reveal(client_for("handler_a"), order, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert PHONE not in body and "139****5678" in body and "原因" in body
    assert not AuditLog.objects.filter(action="phone.reveal").exists()
    assert _denials(order) == [("handler_a", "no_reason")]


def test_a_role_that_sees_no_work_orders_is_refused_403_and_logged(
    order: Any, client_for: ClientFor
) -> None:
    response = _reveal(client_for("spam_reviewer"), order, {"reason": "好奇"})
    assert response.status_code == 403 and PHONE not in response.content.decode()
    assert _denials(order) == [("spam_reviewer", "role")]


def test_a_work_order_out_of_scope_is_refused_404_and_logged(
    order: Any, client_for: ClientFor
) -> None:
    response = _reveal(client_for("manager_b"), order, {"reason": "回访"})
    assert response.status_code == 404 and PHONE not in response.content.decode()
    assert _denials(order) == [("manager_b", "scope")]


def test_reveals_past_the_hourly_limit_are_refused_logged_and_explained(
    order: Any, client_for: ClientFor, settings: Any
) -> None:
    settings.SQM_REVEALS_PER_HOUR = 3
    handler = client_for("handler_a")
    for _ in range(3):
        assert _reveal(handler, order, {"reason": "回访客户"}).status_code == 200
    response = _reveal(handler, order, {"reason": "回访客户"})
    assert response.status_code == 429
    body = response.content.decode()
    assert PHONE not in body and "一小时内最多查看 3 个完整号码" in body
    assert _denials(order) == [("handler_a", "rate_limit")]
    assert AuditLog.objects.filter(action="phone.reveal").count() == 3
    # The limit is per user: a colleague still may.
    other = _reveal(client_for("manager_a"), order, {"reason": "核实"})
    assert other.status_code == 200 and PHONE in other.content.decode()
