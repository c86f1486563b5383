"""Real concurrency on PostgreSQL: parallel transitions on one work order, parallel intakes,
two sweepers at once, and a sweeper meeting a row a person holds (it waits for it, up to its
lock wait, and reports what it could not take)."""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from sqm.complaints import services
from sqm.complaints.core.states import Action, IllegalTransition, Status, next_status
from sqm.complaints.models import LevelChange, StatusChange, WorkOrder
from sqm.complaints.workflow.sweeper import sweep
from tests.complaints.conftest import MakeOrder, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _in_threads(count: int, work: Callable[[int], None]) -> list[BaseException]:
    """Run ``work(i)`` in ``count`` threads that start together; return unexpected errors."""
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as error:  # reported by the test, in its own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_fifty_parallel_transitions_on_one_work_order_lose_nothing_and_break_no_rule(
    make_order: MakeOrder, people: dict[str, Any]
) -> None:
    handler = people["handler_a"]
    wo = make_order()
    services.transition(handler, wo.number, "acknowledge")
    services.transition(handler, wo.number, "start")
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def work(i: int) -> None:
        for _ in range(4):
            current = WorkOrder.objects.get(pk=wo.pk)
            action = (
                Action.WAIT_CUSTOMER
                if current.status == Status.IN_PROGRESS
                else Action.CUSTOMER_REPLIED
            )
            # Half the clients say which version they saw; the others only ask for the step.
            expected = current.version if i % 2 else None
            try:
                services.transition(handler, wo.number, action, expected_version=expected)
                outcome = "applied"
            except IllegalTransition:
                outcome = "illegal"
            except services.ConcurrentEdit:
                outcome = "stale"
            with lock:
                outcomes[outcome] += 1

    assert _in_threads(50, work) == []
    final = WorkOrder.objects.get(pk=wo.pk)
    applied = outcomes["applied"]
    assert sum(outcomes.values()) == 200 and applied > 0
    assert final.version == 1 + 2 + applied  # created, two set-up steps, every applied one
    history = list(StatusChange.objects.filter(work_order=wo).order_by("at", "id"))
    assert len(history) == 2 + applied
    status = Status.NEW
    for change in history:
        assert change.from_status == status
        status = next_status(status, Action(change.action))
        assert change.to_status == status
    assert status == Status(final.status)
    assert (final.paused_since is None) == (final.status == "in_progress")


def test_parallel_intakes_get_distinct_numbers(make_order: MakeOrder) -> None:
    numbers: list[str] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        number = make_order(customer_id=f"C-PAR-{i}").number
        with lock:
            numbers.append(number)

    assert _in_threads(20, work) == []
    assert sorted(numbers) == [f"TT20260302{n:06d}" for n in range(1, 21)]


def test_two_sweepers_at_once_change_each_work_order_exactly_once(
    make_order: MakeOrder,
) -> None:
    orders = [make_order(customer_id=f"C-SW-{i}") for i in range(120)]
    results: list[Any] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        result = sweep(at(31), batch_size=7)  # small batches so the two interleave
        with lock:
            results.append(result)

    assert _in_threads(2, work) == []
    assert sum(r.first_reply_breached for r in results) == 120
    assert sum(r.resolution_breached for r in results) == 120
    assert sum(r.escalated for r in results) == 120
    assert sum(r.first_reply_warned + r.resolution_warned for r in results) == 0
    assert LevelChange.objects.count() == 120
    versions = set(WorkOrder.objects.values_list("version", flat=True))
    assert versions == {3}  # one bump per clock, whoever did it
    assert sweep(at(31)).changed == 0
    assert {o.pk for o in orders} == set(
        WorkOrder.objects.filter(level="escalated").values_list("pk", flat=True)
    )


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
        return bool(cursor.fetchone()[0])


def _hold(pk: int, locked: threading.Event, release: Callable[[], bool]) -> threading.Thread:
    """A person's transaction on work order ``pk``, kept open until ``release()`` is true."""

    def hold() -> None:
        try:
            with transaction.atomic():
                WorkOrder.objects.select_for_update().get(pk=pk)
                locked.set()
                for _ in range(3000):  # 60 s at most: a broken sweep must not hang the suite
                    if release():
                        break
                    time.sleep(0.02)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    assert locked.wait(10)
    return holder


def test_the_sweeper_takes_what_is_free_then_waits_for_a_row_someone_holds(
    make_order: MakeOrder,
) -> None:
    held, free = make_order(), make_order()
    # The person commits once the sweeper queues for the row, not before (or once the sweep
    # is over, when it did not wait).
    done = threading.Event()
    holder = _hold(held.pk, threading.Event(), lambda: done.is_set() or _someone_waits_for_a_lock())
    try:
        result = sweep(at(31))
    finally:
        done.set()
        holder.join()
    assert (result.first_reply_breached, result.escalated, result.skipped) == (2, 2, 0)
    assert {wo.level for wo in WorkOrder.objects.filter(pk__in=[held.pk, free.pk])} == {"escalated"}
    assert sweep(at(31)).changed == 0


def test_a_row_held_past_the_lock_wait_is_reported_as_skipped_not_as_a_clean_run(
    make_order: MakeOrder,
) -> None:
    held, free = make_order(), make_order()
    done = threading.Event()
    holder = _hold(held.pk, threading.Event(), done.is_set)
    try:
        result = sweep(at(31), lock_wait=0.2)
    finally:
        done.set()
        holder.join()
    assert result.skipped == 1  # one work order, however many of its clocks were due
    assert result.first_reply_breached == 1 and result.escalated == 1
    assert WorkOrder.objects.get(pk=free.pk).level == "escalated"
    assert WorkOrder.objects.get(pk=held.pk).first_reply_breached_at is None
    again = sweep(at(31))
    assert (again.first_reply_breached, again.escalated, again.skipped) == (1, 1, 0)
