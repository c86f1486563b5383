"""The demo's work orders: every stage of the lifecycle, real repeats, swept clocks."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from sqm.complaints.core.states import Action, Status, next_status
from sqm.complaints.demo import seed_work_orders
from sqm.complaints.models import WorkOrder

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture
def seeded(reference: None) -> object:
    return seed_work_orders(60, seed=7, now=NOW)


def test_demo_work_orders_cover_the_lifecycle(seeded: object) -> None:
    statuses = Counter(WorkOrder.objects.values_list("status", flat=True))
    assert sum(statuses.values()) == 60
    assert {Status.NEW, Status.IN_PROGRESS, Status.CLOSED} <= set(statuses)


def test_every_demo_status_history_replays_through_the_state_machine(seeded: object) -> None:
    for order in WorkOrder.objects.prefetch_related("status_changes"):
        status = Status.NEW
        for change in order.status_changes.order_by("at", "pk"):
            status = next_status(status, Action(change.action))
            assert status == change.to_status
        assert status == order.status


def test_closed_demo_work_orders_carry_the_customers_satisfaction(seeded: object) -> None:
    closed = WorkOrder.objects.filter(status=Status.CLOSED)
    assert closed.exists()
    assert not closed.filter(satisfaction__isnull=True).exists()


def test_demo_repeats_point_to_an_earlier_complaint_of_the_same_customer_and_category(
    seeded: object,
) -> None:
    repeats = WorkOrder.objects.filter(is_repeat=True).select_related("repeat_of")
    assert repeats.exists()
    for order in repeats:
        earlier = order.repeat_of
        assert earlier is not None
        assert (earlier.customer_id, earlier.category) == (order.customer_id, order.category)
        assert timedelta(0) <= order.created_at - earlier.created_at <= timedelta(days=30)


def test_seeding_again_adds_nothing(seeded: object) -> None:
    again = seed_work_orders(60, seed=8, now=NOW)
    assert again.created == 0
    assert WorkOrder.objects.count() == 60
