"""来电必复: abandoned calls become callback tasks with a deadline, once each."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from sqm.complaints.models import Callback
from sqm.complaints.workflow import callbacks
from sqm.complaints.workflow.guard import WorkflowError
from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from tests.complaints.conftest import at

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


def _call(call_id: str, arrived: datetime, **fields: Any) -> dict[str, Any]:
    return {
        "call_id": call_id,
        "customer_id": "C000001",
        "tier": "ordinary",
        "branch": "NJ",
        "arrived_at": arrived,
        "queued_at": arrived,
        "ended_at": fields.get("abandoned_at") or fields.get("answered_at") or arrived,
        **fields,
    }


@pytest.fixture
def store(data_dir: Path, reference: None) -> EventStore:
    store = EventStore(data_dir)
    ten, evening = datetime(2026, 3, 2, 10, 0), datetime(2026, 3, 2, 19, 20)
    rows = [
        _call("A1", ten, abandoned_at=datetime(2026, 3, 2, 10, 15)),
        _call(
            "A2",
            evening,
            abandoned_at=datetime(2026, 3, 2, 19, 30),
            branch="WX",
            customer_id="C000002",
        ),
        _call("ANSWERED", ten, answered_at=datetime(2026, 3, 2, 10, 1)),
        _call("TEST", ten, abandoned_at=datetime(2026, 3, 2, 10, 5), excluded=True),
        _call("ANON", ten, abandoned_at=datetime(2026, 3, 2, 10, 6), customer_id=None),
        _call("NEXTDAY", datetime(2026, 3, 3, 9), abandoned_at=datetime(2026, 3, 3, 9, 1)),
    ]
    store.append(SOURCES["calls"], pa.Table.from_pylist(rows, schema=SOURCES["calls"].schema))
    customers = [
        {
            "customer_id": "C000001",
            "snapshot_at": datetime(2026, month, 1),
            "branch": "NJ",
            "tier": "ordinary",
            "status": "active",
            "phone": phone,
        }
        for month, phone in ((1, "13900000000"), (3, "13911112222"))
    ]
    store.append(
        SOURCES["customers"], pa.Table.from_pylist(customers, schema=SOURCES["customers"].schema)
    )
    return store


def test_each_abandoned_call_of_an_identified_customer_becomes_one_callback(
    store: EventStore,
) -> None:
    run = callbacks.create_callbacks(store, DAY)
    assert (run.abandoned, run.unidentified, run.created, run.existing) == (3, 1, 2, 0)
    assert set(Callback.objects.values_list("call_id", flat=True)) == {"A1", "A2"}
    first = Callback.objects.get(call_id="A1")
    assert first.phone == "13911112222"  # the latest snapshot's number
    assert first.branch.code == "NJ" and first.tier.code == "ordinary"
    assert Callback.objects.get(call_id="A2").phone == ""  # no snapshot for that customer


def test_reading_the_same_day_again_creates_nothing(store: EventStore) -> None:
    callbacks.create_callbacks(store, DAY)
    again = callbacks.create_callbacks(store, DAY)
    assert (again.created, again.existing) == (0, 2)
    assert Callback.objects.count() == 2


def test_a_day_without_calls_creates_nothing(store: EventStore) -> None:
    assert callbacks.create_callbacks(store, date(2026, 2, 1)).created == 0


def test_the_deadline_is_two_callback_hours_and_never_at_night(store: EventStore) -> None:
    callbacks.create_callbacks(store, DAY)
    assert Callback.objects.get(call_id="A1").due_at == at(2, 12, 15)
    assert Callback.objects.get(call_id="A2").due_at == at(3, 9, 30)
    assert callbacks.due_at(at(2, 3)) == at(2, 10)


def test_completing_a_callback_is_recorded_once(store: EventStore, people: Any) -> None:
    callbacks.create_callbacks(store, DAY)
    task = Callback.objects.get(call_id="A1")
    with pytest.raises(WorkflowError, match="尝试"):
        callbacks.complete_callback(people["handler_a"], task.pk, outcome="unreachable")
    with pytest.raises(WorkflowError, match="回呼结果"):
        callbacks.complete_callback(people["handler_a"], task.pk, outcome="maybe")
    done = callbacks.complete_callback(
        people["handler_a"], task.pk, outcome="reached", at=at(2, 11)
    )
    assert done.completed_at == at(2, 11) and done.actor == people["handler_a"]
    with pytest.raises(WorkflowError, match="已登记"):
        callbacks.complete_callback(people["handler_a"], task.pk, outcome="reached")


def test_only_writers_who_see_the_callback_may_complete_it(store: EventStore, people: Any) -> None:
    callbacks.create_callbacks(store, DAY)
    task = Callback.objects.get(call_id="A1")
    with pytest.raises(Callback.DoesNotExist):
        callbacks.complete_callback(people["manager_b"], task.pk, outcome="reached")
    with pytest.raises(WorkflowError):
        callbacks.complete_callback(people["executive"], task.pk, outcome="reached")


def test_the_summary_gives_the_on_time_rate(store: EventStore, people: Any) -> None:
    callbacks.create_callbacks(store, DAY)
    a1 = Callback.objects.get(call_id="A1")
    callbacks.complete_callback(people["handler_a"], a1.pk, outcome="reached", at=at(2, 11))
    result = callbacks.summary(callbacks.callbacks_of_day(people["analyst"], DAY), now=at(4))
    assert (result.total, result.completed, result.on_time, result.overdue_open) == (2, 1, 1, 1)
    assert result.on_time_rate == 0.5
    nanjing = callbacks.summary(callbacks.callbacks_of_day(people["manager_a"], DAY), now=at(4))
    assert nanjing.total == 1


def test_the_demo_works_the_days_callbacks_as_each_branchs_handler(store: EventStore) -> None:
    from sqm.complaints.demo import seed_callbacks

    seeded = seed_callbacks(store, DAY, share_done=1.0)
    assert (seeded.created, seeded.completed) == (2, 2)
    for task in Callback.objects.select_related("actor__sqm_profile__branch", "branch"):
        assert task.completed_at is not None and task.completed_at > task.abandoned_at
        assert task.actor.sqm_profile.branch == task.branch
        assert task.outcome != "unreachable" or task.note
    again = seed_callbacks(store, DAY, share_done=1.0)
    assert (again.created, again.completed) == (0, 0)
