"""Concurrent writers on a live server (issue 24, point 1): how many answers are 5xx.

    .venv/bin/python benchmarks/concurrent_writes.py [--levels 1,2,4,8] [--creates 80]
        [--racers 50] [--due 200000] [--sweep-clients 8]
    scripts/with-postgres .venv/bin/python benchmarks/concurrent_writes.py   # on PostgreSQL

A real ``sqm serve`` (waitress, 8 threads) on a fresh data dir (SQLite, the embedded default)
or on a fresh database of $DATABASE_URL, driven over HTTP through the TMF621 API:

1. ``--creates`` creates from 1, 2, 4, 8 clients at once (each level separately);
2. ``--racers`` clients PATCHing one ticket at once, three notes each;
3. ``--due`` open work orders, all past both deadlines, written straight into the database;
   ``sqm complaints sweep`` runs over them while ``--sweep-clients`` clients create a ticket
   and PATCH it, again and again until the sweep ends.

Prints the status codes per phase, the sweep's time and the slowest write during it. The goal
is 0 × 5xx everywhere (a conflict is a 409). Figures before and after the fix are quoted in
benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import io
import os
import sqlite3
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tests.complaints.live import (
    LiveSqm,
    Tally,
    fresh_postgres_database,
    live_sqm,
)


def _threads(count: int, work: Callable[[int], None]) -> float:
    """Run ``work(i)`` in ``count`` threads that start together; the wall time."""
    barrier = threading.Barrier(count)

    def run(i: int) -> None:
        barrier.wait()
        work(i)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.monotonic() - started


def _line(label: str, tally: Tally, seconds: float) -> None:
    codes = ", ".join(f"{code}×{n}" for code, n in sorted(tally.codes.items()))
    print(f"{label:<34} 5xx {tally.server_errors:>4}   [{codes}]  {seconds:.2f} s", flush=True)
    for error in tally.errors[:2]:
        print(f"    e.g. {' '.join(error.split())[:200]}", flush=True)


def creates(live: LiveSqm, levels: list[int], total: int) -> None:
    for level in levels:
        tally = Tally()
        per = total // level

        def work(i: int, level: int = level, per: int = per, tally: Tally = tally) -> None:
            for k in range(per):
                live.create(f"C-L{level}-{i}-{k}", tally)

        _line(f"{total} creates, {level} clients", tally, _threads(level, work))


def racing_patches(live: LiveSqm, racers: int) -> None:
    setup = Tally()
    number = live.create("C-RACE", setup)
    assert number, setup.errors
    tally = Tally()

    def work(i: int) -> None:
        for k in range(3):
            live.patch(number, {"note": [{"text": f"racer {i} note {k}"}]}, tally)

    _line(f"{racers * 3} PATCHes, {racers} clients, 1 ticket", tally, _threads(racers, work))


# -- due work orders straight into the database ------------------------------------------------
COLUMNS = (
    "number", "channel", "category", "factor", "severity", "level", "status", "customer_id",
    "customer_phone", "branch_id", "department_id", "description", "related", "owner_id",
    "assignee_id", "created_at", "first_reply_due", "first_reply_warn_at", "resolution_due",
    "resolution_warn_at", "paused_seconds", "is_repeat", "closure_note", "version", "updated_at",
)  # fmt: skip


def _due_rows(
    n: int, refs: dict[str, int], stamp: Callable[[datetime], str]
) -> list[tuple[Any, ...]]:
    """``n`` new work orders created 10 days ago: both clocks long past."""
    created = datetime.now(UTC) - timedelta(days=10)
    c, fr, frw = (
        stamp(created),
        stamp(created + timedelta(hours=48)),
        stamp(created + timedelta(hours=38)),
    )
    rd, rw = stamp(created + timedelta(days=5)), stamp(created + timedelta(days=4))
    return [
        (f"BD{i:012d}", "hotline", "bills.overcharge", "bills", "medium", "ordinary", "new",
         f"C{i:09d}", "", refs["branch"], refs["department"], "账单多扣费", "[]", refs["user"],
         refs["user"], c, fr, frw, rd, rw, 0.0, False, "", 1, c)
        for i in range(n)
    ]  # fmt: skip


def _refs(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT id FROM org_branch WHERE code = 'NJ'")
    branch = cursor.fetchone()[0]
    cursor.execute("SELECT id FROM org_department WHERE code = 'csc'")
    department = cursor.fetchone()[0]
    cursor.execute("SELECT id FROM auth_user WHERE username = 'live_handler'")
    return {"branch": branch, "department": department, "user": cursor.fetchone()[0]}


def inject_due(live: LiveSqm, database_url: str | None, n: int) -> None:
    if database_url:
        import psycopg

        with psycopg.connect(database_url) as conn, conn.cursor() as cursor:
            rows = _due_rows(n, _refs(cursor), lambda t: t.isoformat())
            buffer = io.StringIO()
            for row in rows:
                values = ["t" if v is True else "f" if v is False else str(v) for v in row]
                buffer.write("\t".join(values) + "\n")
            with cursor.copy(f"COPY complaints_workorder ({', '.join(COLUMNS)}) FROM STDIN") as cp:
                cp.write(buffer.getvalue())
            cursor.execute("ANALYZE complaints_workorder")
        return
    conn = sqlite3.connect(live.data_dir / "sqm.sqlite3", timeout=60)
    try:
        cursor = conn.cursor()
        rows = _due_rows(n, _refs(cursor), lambda t: t.strftime("%Y-%m-%d %H:%M:%S"))
        marks = ", ".join("?" * len(COLUMNS))
        cursor.executemany(
            f"INSERT INTO complaints_workorder ({', '.join(COLUMNS)}) VALUES ({marks})", rows
        )
        conn.commit()
    finally:
        conn.close()


def sweep_under_load(live: LiveSqm, database_url: str | None, due: int, clients: int) -> None:
    started = time.monotonic()
    inject_due(live, database_url, due)
    print(f"{due} due work orders written in {time.monotonic() - started:.1f} s", flush=True)
    at = (datetime.now(UTC) + timedelta(days=1)).isoformat()
    sweeper = live.start("complaints", "sweep", "--at", at)
    tally = Tally()
    pairs: list[float] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        k = 0
        while sweeper.poll() is None or k < 3:
            t0 = time.monotonic()
            number = live.create(f"C-SW-{i}-{k}", tally)
            if number:
                live.patch(number, {"status": "acknowledged"}, tally)
            with lock:
                pairs.append(time.monotonic() - t0)
            k += 1

    seconds = _threads(clients, work)
    output = sweeper.communicate()[0].strip()
    _line(f"{clients} clients during a {due} sweep", tally, seconds)
    pairs.sort()
    p50, p99 = pairs[len(pairs) // 2], pairs[int(len(pairs) * 0.99)]
    print(
        f"    create+PATCH p50 {p50:.2f} s, p99 {p99:.2f} s, max {pairs[-1]:.2f} s; "
        f"sweep exit {sweeper.returncode}: {output}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", default="1,2,4,8")
    parser.add_argument("--creates", type=int, default=80)
    parser.add_argument("--racers", type=int, default=50)
    parser.add_argument("--due", type=int, default=200_000)
    parser.add_argument("--sweep-clients", type=int, default=8)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    os.environ.setdefault("SQM_SECRET_KEY", "benchmark-only-secret-key")
    with ExitStack() as stack:
        data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="sqm-bench-cw-")))
        url = stack.enter_context(fresh_postgres_database(database_url)) if database_url else None
        print(f"backend: {'PostgreSQL' if url else 'SQLite'}", flush=True)
        live = stack.enter_context(live_sqm(data_dir, url))
        creates(live, [int(x) for x in args.levels.split(",")], args.creates)
        racing_patches(live, args.racers)
        if args.due:
            sweep_under_load(live, url, args.due, args.sweep_clients)


if __name__ == "__main__":
    main()
