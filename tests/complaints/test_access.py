"""Who sees and who changes which work orders: every role of the cast, one table."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from sqm.complaints import services
from sqm.complaints.access import sees
from sqm.complaints.models import Callback, WorkOrder
from tests.complaints.conftest import MakeOrder, at

pytestmark = pytest.mark.django_db

# Work orders: NJ network (mobile internet), NJ finance (billing error), WX network.
NJ_NET, NJ_BILL, WX_NET = "nj_net", "nj_bill", "wx_net"
EVERY = {NJ_NET, NJ_BILL, WX_NET}
SEES = {
    "analyst": EVERY,
    "manager_a": {NJ_NET, NJ_BILL},
    "manager_b": {WX_NET},
    "handler_a": {NJ_NET, NJ_BILL},
    "handler_b": {WX_NET},
    "supervisor_a": {NJ_NET, NJ_BILL},
    "liaison": {NJ_NET, WX_NET},  # the network department's work, in every branch
    "billing_liaison": set(),  # customer-service center: nothing is with them yet
    "executive": EVERY,
    "admin": EVERY,
    "spam_reviewer": set(),
}
WRITERS = {"analyst", "manager_a", "manager_b", "handler_a", "handler_b", "supervisor_a"}
WRITERS |= {"liaison", "billing_liaison", "admin"}


@pytest.fixture
def orders(make_order: MakeOrder) -> dict[str, Any]:
    return {
        NJ_NET: make_order(actor="handler_a"),
        NJ_BILL: make_order(actor="handler_a", category="bills.overcharge"),
        WX_NET: make_order(actor="handler_b", branch="WX"),
    }


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_sees_exactly_its_work_orders(
    who: str, people: dict[str, Any], orders: dict[str, Any]
) -> None:
    names = {v.number: k for k, v in orders.items()}
    visible = {
        names[n] for n in services.visible_work_orders(people[who]).values_list("number", flat=True)
    }
    assert visible == SEES[who]
    assert {k for k, wo in orders.items() if sees(people[who], wo)} == SEES[who]
    assert services.queue_counts(people[who])["all"] == len(SEES[who])


def test_an_anonymous_visitor_sees_nothing(orders: dict[str, Any]) -> None:
    assert not services.visible_work_orders(AnonymousUser()).exists()
    assert services.queue_counts(AnonymousUser())["all"] == 0
    assert not services.queue(AnonymousUser(), "all").exists()


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_changes_only_what_it_sees_and_may_write(
    who: str, people: dict[str, Any], orders: dict[str, Any]
) -> None:
    for key, wo in orders.items():
        if who in WRITERS and key in SEES[who]:
            assert services.transition(people[who], wo.number, "acknowledge").status == (
                "acknowledged"
            )
        elif who not in WRITERS:
            with pytest.raises(PermissionDenied):
                services.transition(people[who], wo.number, "acknowledge")
        else:
            with pytest.raises(WorkOrder.DoesNotExist):
                services.transition(people[who], wo.number, "acknowledge")
        assert services.can_write(people[who]) == (who in WRITERS)


def test_manager_b_can_neither_read_nor_touch_nanjing_work_orders(
    people: dict[str, Any], orders: dict[str, Any]
) -> None:
    manager_b, number = people["manager_b"], orders[NJ_NET].number
    for call in (
        lambda: services.get_visible(manager_b, number),
        lambda: services.add_note(manager_b, number, "看看"),
        lambda: services.escalate(manager_b, number, reason="x"),
        lambda: services.assign(manager_b, number, manager_b),
        lambda: services.reveal_phone(manager_b, number, "回访"),
    ):
        with pytest.raises(WorkOrder.DoesNotExist):
            call()
    assert services.bulk_assign(manager_b, [number], manager_b) == 0
    assert WorkOrder.objects.get(number=number).version == 1


def test_the_executive_reads_everything_and_changes_nothing(
    people: dict[str, Any], orders: dict[str, Any], make_order: MakeOrder
) -> None:
    executive, number = people["executive"], orders[NJ_NET].number
    assert services.get_visible(executive, number).number == number
    with pytest.raises(PermissionDenied):
        make_order(actor="executive")
    for call in (
        lambda: services.add_note(executive, number, "关注"),
        lambda: services.escalate(executive, number, reason="x"),
        lambda: services.bulk_assign(executive, [number], people["manager_a"]),
    ):
        with pytest.raises(PermissionDenied):
            call()


def test_a_liaison_works_on_what_is_with_their_department_until_it_moves_on(
    people: dict[str, Any], orders: dict[str, Any]
) -> None:
    liaison, number = people["liaison"], orders[NJ_NET].number
    services.add_note(liaison, number, "已安排路测")
    services.transfer(liaison, number, to_department="csc", reason="非网络原因,转客服中心")
    with pytest.raises(WorkOrder.DoesNotExist):
        services.get_visible(liaison, number)
    assert services.get_visible(people["billing_liaison"], number).department.code == "csc"


def test_only_handlers_managers_and_administrators_may_reveal_phones(
    people: dict[str, Any],
) -> None:
    allowed = {who for who in SEES if services.may_reveal_phone(people[who])}
    assert allowed == {"manager_a", "manager_b", "handler_a", "handler_b", "admin"}


def test_a_superuser_without_a_profile_administers(
    orders: dict[str, Any], django_user_model: Any
) -> None:
    root = django_user_model.objects.create_superuser("root", "root@example.com", "pw-12345678")
    assert services.visible_work_orders(root).count() == 3
    assert services.transition(root, orders[WX_NET].number, "acknowledge").version == 2


def test_callbacks_are_scoped_by_branch(people: dict[str, Any]) -> None:
    from sqm.org.models import Branch

    for code in ("NJ", "WX"):
        Callback.objects.create(
            call_id=f"CALL-{code}",
            branch=Branch.objects.get(code=code),
            abandoned_at=at(2, 10),
            due_at=at(2, 12),
        )

    def seen(who: str) -> set[str]:
        return set(services.visible_callbacks(people[who]).values_list("call_id", flat=True))

    assert seen("manager_a") == {"CALL-NJ"} and seen("manager_b") == {"CALL-WX"}
    assert seen("analyst") == {"CALL-NJ", "CALL-WX"}
    assert seen("liaison") == set() and seen("spam_reviewer") == set()
