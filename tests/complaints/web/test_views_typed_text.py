"""A phone number typed into a complaint's description or notes is masked on the work order's
page for roles that may not reveal numbers, in the description and along the timeline; roles
with the reveal right read it whole."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.complaints import services
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor

pytestmark = pytest.mark.django_db
TYPED = "13812345678"
MASKED = "138****5678"
FIXED = "0512-87654321"


@pytest.fixture
def order(make_order: MakeOrder, people: Any) -> Any:
    order = make_order("handler_a", description=f"客户说白天打 {TYPED},晚上打座机 {FIXED}")
    services.add_note(people["handler_a"], order.number, text=f"客户又留了号码{TYPED}")
    return order


@pytest.mark.parametrize("who", ["analyst", "executive", "supervisor_a"])
def test_roles_without_the_reveal_right_read_typed_numbers_masked(
    who: str, order: Any, client_for: ClientFor
) -> None:
    html = client_for(who).get(f"/complaints/{order.number}/").content.decode()
    assert "客户说白天打" in html and "客户又留了号码" in html
    assert TYPED not in html and "87654321" not in html
    assert html.count(MASKED) == 2 and "0512-****4321" in html


@pytest.mark.parametrize("who", ["handler_a", "manager_a"])
def test_roles_with_the_reveal_right_read_them_whole(
    who: str, order: Any, client_for: ClientFor
) -> None:
    html = client_for(who).get(f"/complaints/{order.number}/").content.decode()
    assert html.count(TYPED) == 2 and FIXED in html
