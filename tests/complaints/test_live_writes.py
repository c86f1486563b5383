"""Eight clients write through the TMF621 API of a live ``sqm serve`` while a sweep runs, on
the database of this test run (an SQLite file, or a fresh PostgreSQL database): no answer is a
5xx, a stale ``If-Match`` is a 409 with TMF630's body, and nothing answered 2xx is lost.

The big version (200,000 due work orders, 1/2/4/8 clients) is benchmarks/concurrent_writes.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.complaints.live import TMF, LiveSqm, Tally, fresh_postgres_database, live_sqm

# django_db keeps the test in the PostgreSQL pass; the server uses a database of its own.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

CLIENTS = 8
ROUNDS = 3  # at least, per client; they go on until the sweep has finished


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveSqm]:
    if "postgresql" in settings.DATABASES["default"]["ENGINE"]:
        with (
            fresh_postgres_database(os.environ["DATABASE_URL"]) as url,
            live_sqm(tmp_path, url) as server,
        ):
            yield server
    else:
        with live_sqm(tmp_path) as server:
            yield server


def _in_threads(count: int, work: Any) -> None:
    start = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            start.wait()
            work(i)
        except BaseException as error:  # reported below, from the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


def test_eight_clients_creating_and_patching_while_a_sweep_runs_get_no_server_error(
    live: LiveSqm,
) -> None:
    tally = Tally()
    created: list[str] = []
    stale: list[Any] = []
    shared_notes: list[str] = []
    lock = threading.Lock()

    def create(customer: str) -> str | None:
        number = live.create(customer, tally)
        if number:
            with lock:
                created.append(number)
        return number

    # Work for the sweep: every ticket of this test is past both deadlines at --at.
    _in_threads(CLIENTS, lambda i: [create(f"C-DUE-{i}-{k}") for k in range(3)])
    shared = created[0]
    at = (datetime.now(UTC) + timedelta(days=30)).isoformat()
    sweeper = live.start("complaints", "sweep", "--at", at)

    def work(i: int) -> None:
        k = 0
        while k < ROUNDS or sweeper.poll() is None:
            number = create(f"C-LIVE-{i}-{k}")
            if number:
                live.patch(number, {"note": [{"text": f"client {i} round {k}"}]}, tally)
                status, _, body = live.request(
                    "PATCH", f"{TMF}/{number}", {"status": "acknowledged"}, {"If-Match": '"1"'}
                )
                tally.add(status, body)
                with lock:
                    stale.append((status, body))
            if live.patch(shared, {"note": [{"text": f"client {i} round {k}"}]}, tally) == 200:
                with lock:
                    shared_notes.append(f"client {i} round {k}")
            k += 1

    _in_threads(CLIENTS, work)
    output = sweeper.communicate(timeout=300)[0]

    assert tally.server_errors == 0, (tally.codes, tally.errors, live.server_log()[-3000:])
    assert sweeper.returncode == 0, output
    assert "first_reply_breached" in output
    # The version moved on with the note: If-Match "1" is stale, and says so in TMF630 terms.
    assert stale and all(status == 409 for status, _ in stale)
    assert all(body["status"] == "409" and body["code"] and body["message"] for _, body in stale)
    status, headers, _ = live.request("GET", f"{TMF}?fields=id&limit=1")
    assert status == 200 and int(headers["X-Total-Count"]) == len(created)
    # Every note answered 200 on the ticket everyone wrote to is there.
    status, _, ticket = live.request("GET", f"{TMF}/{shared}")
    assert status == 200
    assert sorted(note["text"] for note in ticket["note"]) == sorted(shared_notes)
