"""Resolving an escalated, an overdue or a VIP customer's complaint asks for a confirmation and
a written result, checked on the server (issue 23): an ordinary, on-time one resolves as before."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from sqm.complaints import services
from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def _acknowledged(make_order: MakeOrder, **fields: Any) -> Any:
    order = make_order("handler_a", created_at=timezone.now() - timedelta(hours=1), **fields)
    services.transition(order.owner, order.number, "acknowledge")
    return WorkOrder.objects.get(pk=order.pk)


def _resolve(client: Any, order: Any, **data: str) -> Any:
    form = {"action": "resolve", **data}
    return client.post(f"/complaints/{order.number}/transition/", form, headers=HTMX)


def _status(order: Any) -> str:
    return str(WorkOrder.objects.get(pk=order.pk).status)


@pytest.fixture
def diamond(make_order: MakeOrder) -> Any:
    return _acknowledged(make_order, tier="diamond")


def test_the_page_asks_for_the_confirmation_on_a_vip_complaint_only(
    diamond: Any, make_order: MakeOrder, client_for: ClientFor
) -> None:
    client = client_for("handler_a")
    assert (
        'id="confirm-resolution"' in client.get(f"/complaints/{diamond.number}/").content.decode()
    )
    ordinary = _acknowledged(make_order)
    assert (
        'id="confirm-resolution"'
        not in client.get(f"/complaints/{ordinary.number}/").content.decode()
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"note": "已退费"}, "请勾选确认"),
        ({"confirmed": "yes"}, "须填写处理结果说明"),
        ({"confirmed": "yes", "note": "  "}, "须填写处理结果说明"),
    ],
)
def test_a_vip_complaint_is_not_resolved_without_confirmation_and_result(
    diamond: Any, client_for: ClientFor, data: dict[str, str], reason: str
) -> None:
    response = _resolve(client_for("handler_a"), diamond, **data)
    assert response.status_code == 400 and reason in response.content.decode()
    assert _status(diamond) == "acknowledged"


def test_with_both_the_vip_complaint_is_resolved(diamond: Any, client_for: ClientFor) -> None:
    response = _resolve(client_for("handler_a"), diamond, note="已双倍返还", confirmed="yes")
    assert response.status_code == 200 and _status(diamond) == "resolved"


def test_an_escalated_or_overdue_complaint_needs_them_too(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    client = client_for("handler_a")
    escalated = _acknowledged(make_order)
    services.escalate(escalated.owner, escalated.number, reason="客户要求升级")
    overdue = make_order("handler_a", created_at=timezone.now() - timedelta(days=40))
    services.transition(overdue.owner, overdue.number, "acknowledge")
    for order in (escalated, overdue):
        assert _resolve(client, order, note="已处理").status_code == 400
        assert _status(order) == "acknowledged"


def test_an_ordinary_complaint_on_time_resolves_as_before(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    ordinary = _acknowledged(make_order)
    assert _resolve(client_for("handler_a"), ordinary).status_code == 200
    assert _status(ordinary) == "resolved"
