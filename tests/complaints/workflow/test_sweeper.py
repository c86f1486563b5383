"""The SLA sweeper: warnings, breaches and escalation, set-based and idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from sqm.complaints import services
from sqm.complaints.models import LevelChange, WorkOrder
from sqm.complaints.workflow.sweeper import sweep
from sqm.org.models import AuditLog
from tests.complaints.conftest import MakeOrder, at

pytestmark = pytest.mark.django_db


def _fresh(wo: Any) -> Any:
    return WorkOrder.objects.get(pk=wo.pk)


def test_the_first_reply_clock_is_warned_at_80_percent_and_breached_at_48_hours(
    make_order: MakeOrder,
) -> None:
    wo = make_order()
    assert sweep(wo.first_reply_warn_at - timedelta(seconds=1)).changed == 0
    warned = sweep(wo.first_reply_warn_at)
    assert warned.first_reply_warned == 1 and warned.first_reply_breached == 0
    assert _fresh(wo).first_reply_warned_at == wo.first_reply_warn_at
    breached = sweep(wo.first_reply_due)
    assert breached.first_reply_breached == 1
    after = _fresh(wo)
    assert after.first_reply_breached_at == wo.first_reply_due
    assert after.version == 3 and after.level == "ordinary"  # a late reply is not escalated


def test_a_second_run_changes_nothing(make_order: MakeOrder) -> None:
    orders = [make_order() for _ in range(3)]
    late = at(31)
    first = sweep(late)
    assert (first.first_reply_breached, first.resolution_breached, first.escalated) == (3, 3, 3)
    versions = [_fresh(wo).version for wo in orders]
    second = sweep(late + timedelta(hours=1))
    assert second.changed == 0 and second.escalated == 0
    assert [_fresh(wo).version for wo in orders] == versions
    assert LevelChange.objects.count() == 3
    assert AuditLog.objects.filter(action="complaints.sweep").count() == 1


def test_a_work_order_found_late_is_breached_and_warned_in_one_change(
    make_order: MakeOrder,
) -> None:
    wo = make_order()
    result = sweep(wo.first_reply_due + timedelta(hours=1))
    assert result.first_reply_breached == 1 and result.first_reply_warned == 0
    fresh = _fresh(wo)
    assert fresh.first_reply_warned_at == fresh.first_reply_breached_at


def test_a_breached_resolution_escalates_an_ordinary_complaint_only(
    make_order: MakeOrder, people: Any
) -> None:
    ordinary, escalated, appeal = make_order(), make_order(), make_order(channel="regulator")
    services.escalate(people["manager_a"], escalated.number, reason="客户投诉媒体")
    result = sweep(ordinary.resolution_due)
    assert result.resolution_breached == 3 and result.escalated == 1
    assert [_fresh(w).level for w in (ordinary, escalated, appeal)] == [
        "escalated",
        "escalated",
        "appeal",
    ]
    change = LevelChange.objects.get(work_order=ordinary)
    assert change.actor is None and change.from_level == "ordinary" and "自动升级" in change.reason


def test_replied_resolved_and_closed_work_orders_are_left_alone(
    make_order: MakeOrder, people: Any
) -> None:
    handler = people["handler_a"]
    replied, resolved, cancelled = make_order(), make_order(), make_order()
    services.transition(handler, replied.number, "acknowledge", at=at(2, 11))
    services.transition(handler, resolved.number, "acknowledge", at=at(2, 11))
    services.transition(handler, resolved.number, "resolve", at=at(2, 12))
    services.transition(handler, cancelled.number, "cancel", at=at(2, 12))
    result = sweep(at(31))
    assert result.first_reply_breached == 0
    assert result.resolution_breached == 1  # only the replied one is still being worked
    assert _fresh(replied).resolution_breached_at is not None
    assert _fresh(resolved).resolution_breached_at is None
    assert _fresh(cancelled).version == 2


def test_a_paused_work_order_is_not_breached_while_waiting_for_the_customer(
    make_order: MakeOrder, people: Any
) -> None:
    handler = people["handler_a"]
    wo = make_order()
    services.transition(handler, wo.number, "acknowledge", at=at(2, 11))
    services.transition(handler, wo.number, "wait_customer", at=at(2, 12))
    assert sweep(at(31)).resolution_breached == 0
    assert _fresh(wo).resolution_breached_at is None and _fresh(wo).level == "ordinary"
    services.transition(handler, wo.number, "customer_replied", at=at(31))
    fresh = _fresh(wo)
    assert fresh.resolution_due > at(31)  # the wait is not charged
    assert sweep(at(31, 12)).resolution_breached == 0


def test_a_breach_before_the_pause_is_not_hidden_by_it(make_order: MakeOrder, people: Any) -> None:
    handler = people["handler_a"]
    wo = make_order()
    services.transition(handler, wo.number, "acknowledge", at=at(2, 11))
    services.transition(handler, wo.number, "wait_customer", at=wo.resolution_due + timedelta(1))
    assert sweep(at(31)).resolution_breached == 1


def test_the_resolution_warning_comes_at_80_percent_of_the_working_budget(
    make_order: MakeOrder,
) -> None:
    wo = make_order()
    assert sweep(wo.resolution_warn_at - timedelta(seconds=1)).resolution_warned == 0
    assert sweep(wo.resolution_warn_at).resolution_warned == 1
    assert _fresh(wo).resolution_warned_at == wo.resolution_warn_at


def test_the_management_command_sweeps(make_order: MakeOrder, capsys: Any) -> None:
    make_order()
    call_command("complaints_sweep", "--at", "2026-03-31T10:00:00+08:00")
    out = capsys.readouterr().out
    assert "first_reply_breached=1" in out and "escalated=1" in out


def test_a_sweep_commits_at_most_batch_size_work_orders_a_transaction(
    make_order: MakeOrder,
) -> None:
    """So that a person's write waits for one batch, not for the whole sweep."""
    orders = [make_order() for _ in range(5)]
    breaching: list[str] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if "SET first_reply_breached_at" in sql:
            breaching.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        result = sweep(at(31), batch_size=2)
    assert len(breaching) == 3  # 2 + 2 + 1
    assert (result.first_reply_breached, result.resolution_breached, result.escalated) == (5, 5, 5)
    assert LevelChange.objects.filter(work_order__in=orders).count() == 5
    assert set(WorkOrder.objects.values_list("level", "version")) == {("escalated", 3)}
