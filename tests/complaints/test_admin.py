"""The Django admin shows work orders and callbacks with every phone number masked, to
everyone, superusers included (sqm.complaints.admin): the one way to a full number is the
audited "show number" on the work order's page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from sqm.complaints.models import Callback
from sqm.org.models import AuditLog, Branch
from tests.complaints.conftest import MONDAY, PHONE, MakeOrder

pytestmark = pytest.mark.django_db
TYPED = "13812345678"  # a number the customer gave in the complaint's text
FIXED = "025-84561234"


@pytest.fixture
def admin_client(people: Any) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("root", password="x" * 12))
    return client


def _pages(client: Client, prefix: str, pk: int, search: str) -> list[str]:
    return [
        client.get(f"/admin/complaints/{prefix}/").content.decode(),
        client.get(f"/admin/complaints/{prefix}/", {"q": search}).content.decode(),
        client.get(f"/admin/complaints/{prefix}/{pk}/change/").content.decode(),
    ]


def test_work_orders_show_masked_numbers_in_the_list_the_search_and_the_detail(
    make_order: MakeOrder, admin_client: Client
) -> None:
    order = make_order(
        "handler_a",
        description=f"客户要求回电 {TYPED},或打座机 {FIXED}",
        related=[{"role": "number", "type": "LogicalResource", "id": "13700001111"}],
    )
    listing, search, detail = _pages(admin_client, "workorder", order.pk, order.customer_id)
    assert order.number in listing and order.number in search and order.number in detail
    for html in (listing, search, detail):
        assert PHONE not in html and "139****5678" in html
    assert TYPED not in detail and "138****5678" in detail
    assert "84561234" not in detail and "025-****1234" in detail
    assert "13700001111" not in detail and "137****1111" in detail
    assert "客户要求回电" in detail
    assert not AuditLog.objects.filter(action="phone.reveal").exists()


def test_callbacks_show_masked_numbers_in_the_list_the_search_and_the_detail(
    admin_client: Client,
) -> None:
    callback = Callback.objects.create(
        call_id="CALL-42",
        customer_id="C42",
        phone=PHONE,
        branch=Branch.objects.get(code="NJ"),
        abandoned_at=MONDAY,
        due_at=MONDAY + timedelta(hours=2),
        note=f"客户改用 {TYPED} 联系",
    )
    listing, search, detail = _pages(admin_client, "callback", callback.pk, "CALL-42")
    for html in (listing, search, detail):
        assert "CALL-42" in html and PHONE not in html and "139****5678" in html
    assert TYPED not in detail and "138****5678" in detail
