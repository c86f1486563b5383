"""Two sweeps telling the same person about the same event at the same moment: one row, and
the second sweep gets the first one's notification instead of an error."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import connection

from sqm.notifications import services
from sqm.notifications.models import Notification

WAIT = 60  # seconds: a bound against hanging, not a measurement


def _someone_waits_for_a_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE wait_event_type = 'Lock' AND datname = current_database()"
        )
        return bool(cursor.fetchone()[0])


@pytest.mark.postgres  # SQLite serialises writers: the race is PostgreSQL's
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_notifying_the_same_event_at_once_make_one_notification(
    cast: dict[str, Any],
) -> None:
    manager = cast["manager_a"]
    first_inserted, first_may_commit = threading.Event(), threading.Event()
    made: dict[str, int] = {}
    errors: list[BaseException] = []

    def tell(name: str) -> None:
        from django.db import connections, transaction

        try:
            if name == "second":
                first_inserted.wait(WAIT)
            with transaction.atomic():
                # The second finds no committed row, inserts, and waits on the unique index
                # until the first commits; then its insert fails and it returns the first's.
                row = services.notify(manager, "overdue", "超期", "/x/", branch="NJ", key="race")
                assert row is not None
                made[name] = row.pk
                if name == "first":
                    first_inserted.set()
                    first_may_commit.wait(WAIT)
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            connections.close_all()

    threads = {n: threading.Thread(target=tell, args=(n,)) for n in ("first", "second")}
    for thread in threads.values():
        thread.start()
    assert first_inserted.wait(WAIT)
    deadline = time.monotonic() + WAIT
    while not _someone_waits_for_a_lock():
        assert time.monotonic() < deadline, "the second sweep never reached the unique index"
        time.sleep(0.05)
    first_may_commit.set()
    for thread in threads.values():
        thread.join(WAIT)
    assert errors == []
    assert made["first"] == made["second"]
    assert Notification.objects.filter(key="race").count() == 1
