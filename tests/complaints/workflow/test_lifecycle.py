"""The closed loop of one work order: intake → acknowledged → in progress ⇄ pending customer →
resolved → confirmed and closed (or reopened), with its clocks, escalation and appeals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from sqm.complaints import services
from sqm.complaints.core.states import Action, IllegalTransition, Status, next_status
from sqm.complaints.models import LevelChange, StatusChange, WorkOrder
from tests.complaints.conftest import MONDAY, MakeOrder, at

pytestmark = pytest.mark.django_db


def _step(people: dict[str, Any], wo: Any, action: str, when: Any, **kw: Any) -> Any:
    return services.transition(people["handler_a"], wo.number, action, at=when, **kw)


def test_a_new_work_order_starts_with_its_clocks_and_its_first_ask_owner(
    make_order: MakeOrder, people: dict[str, Any]
) -> None:
    wo = make_order()
    assert wo.status == "new" and wo.level == "ordinary" and wo.version == 1
    assert wo.owner == people["handler_a"] and wo.assignee == people["handler_a"]
    assert wo.number == "TT20260302000001"
    assert wo.first_reply_due == MONDAY + timedelta(hours=48)  # continuous, nights included
    assert wo.first_reply_warn_at == MONDAY + timedelta(hours=48 * 0.8)
    # mobile_internet, medium: 64 working hours of 9 h a day from Monday 10:00.
    assert wo.resolution_due == at(11, 11)
    assert wo.department.code == "network" and wo.factor == "mobile_internet"


def test_the_closed_loop_records_every_step_with_its_time_and_actor(
    make_order: MakeOrder, people: dict[str, Any]
) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(2, 11))
    _step(people, wo, "start", at(2, 12))
    _step(people, wo, "resolve", at(3, 9))
    wo = services.confirm_closure(
        people["handler_a"], wo.number, satisfaction=5, confirmed=True, at=at(3, 10)
    )
    assert wo.status == "closed" and wo.confirmed is True and wo.satisfaction == 5
    assert wo.acknowledged_at == at(2, 11) and wo.first_reply_at == at(2, 11)
    assert wo.resolved_at == at(3, 9) and wo.closed_at == at(3, 10)
    history = list(wo.status_changes.values_list("from_status", "to_status", "action", "actor"))
    actor = people["handler_a"].pk
    assert history == [
        ("new", "acknowledged", "acknowledge", actor),
        ("acknowledged", "in_progress", "start", actor),
        ("in_progress", "resolved", "resolve", actor),
        ("resolved", "closed", "confirm", actor),
    ]
    assert wo.version == 5


def test_an_illegal_transition_is_refused_with_the_allowed_actions(
    make_order: MakeOrder, people: dict[str, Any]
) -> None:
    wo = make_order()
    with pytest.raises(IllegalTransition) as refused:
        _step(people, wo, "resolve", at(2, 11))
    assert "受理" in str(refused.value) and "acknowledge" in str(refused.value)
    assert WorkOrder.objects.get(pk=wo.pk).status == "new"
    assert not StatusChange.objects.filter(work_order=wo).exists()


def test_an_unknown_action_is_a_workflow_error(make_order: MakeOrder, people: Any) -> None:
    wo = make_order()
    with pytest.raises(services.WorkflowError, match="操作"):
        _step(people, wo, "teleport", at(2, 11))


def test_a_stale_version_is_a_concurrent_edit(make_order: MakeOrder, people: Any) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(2, 11), expected_version=1)
    with pytest.raises(services.ConcurrentEdit) as stale:
        _step(people, wo, "start", at(2, 12), expected_version=1)
    assert stale.value.actual == 2 and "刷新" in str(stale.value)


def test_waiting_for_the_customer_pauses_the_resolution_clock(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    due = wo.resolution_due
    _step(people, wo, "acknowledge", at(2, 11))
    wo = _step(people, wo, "wait_customer", at(2, 14))
    assert wo.status == "pending_customer" and wo.paused_since == at(2, 14)
    wo = _step(people, wo, "customer_replied", at(3, 14))  # one working day later
    assert wo.paused_since is None and wo.paused_seconds == 9 * 3600
    assert wo.resolution_due == due + timedelta(days=1)
    assert wo.status == "in_progress"


def test_a_pause_over_a_weekend_costs_only_the_working_hours_it_spans(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(6, 16, 30))  # Friday
    _step(people, wo, "wait_customer", at(6, 16, 30))
    wo = _step(people, wo, "customer_replied", at(9, 9, 30))  # Monday
    assert wo.paused_seconds == 2 * 3600  # Friday 16:30–17:30 and Monday 08:30–09:30


def test_a_dissatisfied_customer_reopens_the_work_order(make_order: MakeOrder, people: Any) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(2, 11))
    _step(people, wo, "resolve", at(2, 15))
    wo = services.confirm_closure(
        people["handler_a"], wo.number, satisfaction=2, confirmed=True, at=at(3, 15)
    )
    assert wo.status == "in_progress" and wo.satisfaction == 2 and wo.confirmed is False
    assert wo.resolved_at is None and wo.closed_at is None
    # The day the customer judged the answer is not charged to us (core.clocks.reopen).
    assert wo.paused_seconds == 9 * 3600
    assert wo.resolution_due == at(12, 11)


def test_closing_without_the_customer_needs_documented_attempts(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(2, 11))
    _step(people, wo, "resolve", at(2, 15))
    with pytest.raises(services.WorkflowError, match="联系尝试"):
        services.confirm_closure(people["handler_a"], wo.number, satisfaction=None, confirmed=False)
    with pytest.raises(services.WorkflowError, match="联系尝试"):
        _step(people, wo, "close_unreachable", at(3, 15))
    attempts = "3月2日16:00、3月3日10:00两次致电,均无人接听"
    wo = services.confirm_closure(
        people["handler_a"], wo.number, satisfaction=None, confirmed=False, note=attempts
    )
    assert wo.status == "closed" and wo.confirmed is False and wo.closure_note == attempts
    assert wo.satisfaction is None


def test_a_confirmation_needs_a_satisfaction_score_and_a_resolved_work_order(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    with pytest.raises(IllegalTransition):
        services.confirm_closure(people["handler_a"], wo.number, satisfaction=5, confirmed=True)
    _step(people, wo, "acknowledge", at(2, 11))
    _step(people, wo, "resolve", at(2, 15))
    with pytest.raises(services.WorkflowError, match="满意度"):
        services.confirm_closure(people["handler_a"], wo.number, satisfaction=6, confirmed=True)


def test_a_closed_work_order_reopens_and_cancelled_stays_cancelled(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(2, 11))
    _step(people, wo, "resolve", at(2, 15))
    services.confirm_closure(people["handler_a"], wo.number, satisfaction=4, confirmed=True)
    assert _step(people, wo, "reopen", None).status == "in_progress"
    other = make_order()
    assert _step(people, other, "cancel", at(2, 11)).cancelled_at == at(2, 11)
    with pytest.raises(IllegalTransition):
        _step(people, other, "acknowledge", at(2, 12))


def test_the_status_history_replays_through_the_core_state_machine(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    for action, when in [
        ("acknowledge", at(2, 11)),
        ("wait_customer", at(2, 12)),
        ("customer_replied", at(3, 12)),
        ("resolve", at(3, 13)),
        ("reopen", at(3, 14)),
        ("resolve", at(3, 15)),
    ]:
        wo = _step(people, wo, action, when)
    status = Status.NEW
    for change in wo.status_changes.all():
        assert change.from_status == status
        status = next_status(status, Action(change.action))
        assert change.to_status == status
    assert status == Status(wo.status) == Status.RESOLVED


def test_escalation_is_one_step_up_and_recorded(make_order: MakeOrder, people: Any) -> None:
    wo = make_order()
    wo = services.escalate(people["manager_a"], wo.number, reason="客户多次来电,情绪激动")
    assert wo.level == "escalated"
    change = LevelChange.objects.get(work_order=wo)
    assert (change.from_level, change.to_level, change.actor) == (
        "ordinary",
        "escalated",
        people["manager_a"],
    )
    with pytest.raises(services.WorkflowError, match="已是"):
        services.escalate(people["manager_a"], wo.number, reason="再次升级")
    with pytest.raises(services.WorkflowError, match="原因"):
        services.escalate(people["manager_a"], make_order().number, reason=" ")


def test_an_appeal_is_refused_before_15_days_without_dissatisfaction(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    with pytest.raises(services.WorkflowError, match="15日"):
        services.appeal(people["handler_a"], wo.number, reason="用户申诉", at=at(10))
    assert WorkOrder.objects.get(pk=wo.pk).level == "ordinary"


def test_an_appeal_is_allowed_after_15_days_without_a_reply(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    wo = services.appeal(people["handler_a"], wo.number, reason="工信部转来申诉", at=at(17, 10))
    assert wo.level == "appeal"
    assert wo.appeal_due == at(17, 10) + timedelta(days=30)


def test_an_appeal_after_a_dissatisfied_closure_reopens_the_work_order(
    make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    _step(people, wo, "acknowledge", at(2, 11))
    _step(people, wo, "resolve", at(2, 15))
    services.confirm_closure(
        people["handler_a"], wo.number, satisfaction=1, confirmed=True, at=at(3, 9)
    )
    _step(people, wo, "resolve", at(3, 10))
    wo = services.appeal(people["handler_a"], wo.number, reason="对处理结果不满", at=at(4))
    assert wo.level == "appeal" and wo.status == "in_progress"
    assert list(wo.level_changes.values_list("to_level", flat=True)) == ["appeal"]


def test_a_regulator_transfer_is_an_appeal_from_intake(make_order: MakeOrder) -> None:
    wo = make_order(channel="regulator")
    assert wo.level == "appeal" and wo.appeal_due == MONDAY + timedelta(days=30)


def test_repeat_complaints_link_to_the_newest_earlier_one_with_an_owner_and_a_deadline(
    make_order: MakeOrder, people: Any
) -> None:
    first = make_order(customer_id="C-REPEAT", created_at=at(2))
    second = make_order(customer_id="C-REPEAT", created_at=at(10))
    third = make_order(actor="manager_a", customer_id="C-REPEAT", created_at=at(20))
    assert not first.is_repeat
    assert second.is_repeat and second.repeat_of == first
    assert third.repeat_of == second
    assert third.repeat_owner == people["manager_a"] and third.repeat_due == third.resolution_due
    later = make_order(customer_id="C-REPEAT", created_at=at(20, month=4) + timedelta(days=1))
    assert not later.is_repeat  # more than 30 days after the last one
    other_category = make_order(customer_id="C-REPEAT", category="bills.overcharge")
    assert not other_category.is_repeat


def test_a_cancelled_complaint_is_no_reason_for_a_repeat(
    make_order: MakeOrder, people: Any
) -> None:
    first = make_order(customer_id="C-DUP")
    _step(people, first, "cancel", at(2, 11))
    assert not make_order(customer_id="C-DUP", created_at=at(3)).is_repeat


def test_the_repeat_owner_and_deadline_can_be_named(make_order: MakeOrder, people: Any) -> None:
    make_order(customer_id="C-R")
    wo = make_order(customer_id="C-R", created_at=at(3))
    wo = services.set_repeat_owner(
        people["handler_a"], wo.number, owner=people["manager_a"], due=at(5, 17)
    )
    assert wo.repeat_owner == people["manager_a"] and wo.repeat_due == at(5, 17)
    with pytest.raises(services.WorkflowError):
        services.set_repeat_owner(
            people["handler_a"], wo.number, owner=people["manager_b"], due=at(5, 17)
        )
