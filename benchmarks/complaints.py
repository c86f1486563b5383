"""Complaint work orders on PostgreSQL: intake at 50 concurrent clients, and the SLA sweeper
over a million open work orders.

    scripts/with-postgres .venv/bin/python benchmarks/complaints.py \
        [--clients 50] [--creates 10000] [--rate 500] [--open 1000000] [--loop-rows 100000]

Goals (issue 4): >= 500 creates/s and p99 <= 100 ms at 50 concurrent clients; a sweep over 1M
open work orders in <= 5 s.

Intake: the clients are threads spread over one process per core (Python runs one thread at a
time per process); each calls ``services.create_work_order`` — validation, reference rows,
repeat detection, clocks on the branch calendar, the day's number, the row and its audit entry,
one transaction — and times every call. The baseline, side by side under the same harness, is
a plain psycopg INSERT of the same work-order row in autocommit, nothing else. Each runs flat
out (every client calls again as soon as it has its answer: the throughput) and paced at
``--rate`` calls a second in total (the latency at that load, counted from each call's
scheduled start so that a slow call is charged for the calls it delays).

Sweeper: the open work orders are written with COPY. Three cases: *steady* — the sweeper last
ran 5 minutes ago (the scheduler's interval), so only clocks that crossed a threshold since
then change; *cold* — nobody has ever swept, so every overdue clock is marked and every overdue
ordinary complaint escalated at once (the worst case: the first sweep after a bulk load);
*again* — a second sweep right after (changes nothing). On --loop-rows of cold data the
set-based sweeper is compared with the obvious per-row Python loop (read each open work order,
decide in Python, update it and record its escalation in its own transaction); both must leave
the same state.
"""

from __future__ import annotations

import argparse
import io
import itertools
import multiprocessing as mp
import os
import random
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import numpy as np

GOALS = {"creates_per_s": 500, "p99_ms": 100, "sweep_s": 5.0}
CATEGORIES = [
    ("mobile_internet.slow", "mobile_internet"),
    ("bills.overcharge", "bills"),
    ("coverage.no_signal", "coverage"),
    ("service_staff.attitude", "service_staff"),
    ("bills.vas_dispute", "bills"),
]
STATUSES = (
    ("new", 0.10),
    ("acknowledged", 0.20),
    ("in_progress", 0.55),
    ("pending_customer", 0.15),
)
BRANCHES = ("NJ", "WX", "SZ", "XZ")
RUNS = itertools.count(1)


def setup() -> None:
    if "postgres" not in os.environ.get("DATABASE_URL", ""):
        raise SystemExit("run under scripts/with-postgres (DATABASE_URL must name PostgreSQL)")
    os.environ.setdefault("SQM_SECRET_KEY", "benchmark-only-secret-key")
    os.environ.setdefault("SQM_DATA_DIR", tempfile.mkdtemp(prefix="sqm-bench-complaints-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "sqm.config.settings"
    sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from sqm.org.core.roles import Role
    from sqm.org.reference import load_province
    from sqm.org.users import create_user

    load_province()
    for code in BRANCHES:
        create_user(f"bench_{code}", Role.COMPLAINT_HANDLER, branch=code)


# -- intake ------------------------------------------------------------------------------------
def _intake_args(rng: random.Random, branch: str) -> dict[str, Any]:
    code, _ = rng.choice(CATEGORIES)
    return {
        "channel": rng.choice(["hotline", "hotline", "hotline", "hall", "app"]),
        "category": code,
        "severity": rng.choice(["low", "medium", "medium", "high"]),
        "customer_id": f"C{rng.randrange(200_000):08d}",
        "customer_phone": f"139{rng.randrange(10**8):08d}",
        "branch": branch,
        "tier": rng.choice(["ordinary", "ordinary", "silver", "gold"]),
        "description": "客户反映近期手机上网速度很慢，晚上高峰期几乎无法使用，要求尽快处理。",
    }


BASELINE_SQL = (
    "INSERT INTO complaints_workorder (number, channel, category, factor, severity, level, "
    "status, customer_id, customer_phone, tier_id, branch_id, department_id, description, "
    "related, owner_id, assignee_id, created_at, first_reply_due, resolution_due, "
    "first_reply_warn_at, resolution_warn_at, paused_seconds, is_repeat, closure_note, "
    "version, updated_at) VALUES (%s, %s, %s, %s, %s, 'ordinary', 'new', %s, %s, %s, %s, %s, "
    "%s, '[]', %s, %s, %s, %s, %s, %s, %s, 0, false, '', 1, %s)"
)


def _caller(kind: str, seed: int, refs: dict[str, Any]) -> tuple[Callable[[int], None], Any]:
    """One client's call and its clean-up."""
    rng = random.Random(seed)
    if kind == "sqm":
        from django.contrib.auth import get_user_model
        from django.db import connection

        from sqm.complaints import services

        users = {b: get_user_model().objects.get(username=f"bench_{b}") for b in BRANCHES}

        def create(i: int) -> None:
            branch = rng.choice(BRANCHES)
            services.create_work_order(users[branch], **_intake_args(rng, branch))

        return create, connection.close

    import psycopg

    conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)

    def insert(i: int) -> None:
        branch = rng.choice(BRANCHES)
        a = _intake_args(rng, branch)
        now = datetime.now().astimezone()
        conn.execute(
            BASELINE_SQL,
            (f"BL{refs['run']:02d}{seed:05d}{i + 1:08d}", a["channel"], a["category"],
             a["category"].split(".")[0], a["severity"], a["customer_id"], a["customer_phone"],
             refs["tier"][a["tier"]],
             refs["branch"][branch], refs["department"], a["description"], refs["user"],
             refs["user"], now, now + timedelta(hours=48), now + timedelta(days=5),
             now + timedelta(hours=38.4), now + timedelta(days=4), now),
        )  # fmt: skip

    return insert, conn.close


def _client(kind: str, ops: int, seed: int, refs: dict[str, Any], out: list[float]) -> None:
    """``ops`` calls, back to back, or paced every ``refs["interval"]`` seconds; a paced call's
    latency counts from its scheduled start, so a slow call delays (and charges) the next."""
    try:
        call, finish = _caller(kind, seed, refs)
        call(-1)  # connect and warm up outside the clock
    except BaseException:
        refs["barrier"].abort()  # the others must not wait for this client forever
        raise
    refs["barrier"].wait()
    interval = refs["interval"]
    first = time.monotonic() + random.Random(seed).uniform(0, interval)  # not all in step
    for i in range(ops):
        scheduled = first + i * interval if interval else time.monotonic()
        if interval:
            time.sleep(max(0.0, scheduled - time.monotonic()))
        call(i)
        out.append(time.monotonic() - scheduled)
    finish()


def _process(
    kind: str, threads: int, ops: int, index: int, refs: dict[str, Any], go: Any, ready: Any,
    results: Any,
) -> None:  # fmt: skip
    refs = {**refs, "barrier": threading.Barrier(threads + 1)}
    latencies: list[list[float]] = [[] for _ in range(threads)]
    workers = [
        threading.Thread(
            target=_client, args=(kind, ops, index * 1000 + t, refs, latencies[t]), daemon=True
        )
        for t in range(threads)
    ]
    for worker in workers:
        worker.start()
    ready.put(index)
    go.wait()
    started = time.monotonic()
    try:
        refs["barrier"].wait()
    except threading.BrokenBarrierError:
        results.put(None)
        return
    for worker in workers:
        worker.join()
    results.put((started, time.monotonic(), [x for part in latencies for x in part]))


PROCESSES = os.cpu_count() or 1


def intake(kind: str, clients: int, total: int, rate: float = 0.0) -> dict[str, float]:
    """Closed loop (``rate`` 0) or paced at ``rate`` calls a second in total."""
    from django.contrib.auth import get_user_model
    from django.db import connections

    from sqm.org.models import Branch, CustomerTier, Department

    refs = {
        "branch": dict(Branch.objects.values_list("code", "pk")),
        "tier": dict(CustomerTier.objects.values_list("code", "pk")),
        "department": Department.objects.get(code="network").pk,
        "user": get_user_model().objects.get(username="bench_NJ").pk,
        "interval": clients / rate if rate else 0.0,
        "run": next(RUNS),
    }
    connections.close_all()  # never share a connection with the forked children
    processes = min(PROCESSES, clients)
    context = mp.get_context("fork")
    go, ready, results = context.Event(), context.Queue(), context.Queue()
    per_client = total // clients
    children = []
    for p in range(processes):
        threads = clients // processes + (1 if p < clients % processes else 0)
        child = context.Process(
            target=_process, args=(kind, threads, per_client, p, refs, go, ready, results)
        )
        child.start()
        children.append(child)
    for _ in children:
        ready.get(timeout=120)
    go.set()
    parts = [results.get(timeout=3600) for _ in children]
    for child in children:
        child.join()
    if any(part is None for part in parts):
        raise SystemExit("a client failed to start: see its traceback above")
    latencies = np.array([x for _, _, part in parts for x in part]) * 1000
    wall = max(end for _, end, _ in parts) - min(start for start, _, _ in parts)
    return {
        "per_s": latencies.size / wall,
        "p50": float(np.percentile(latencies, 50)),
        "p99": float(np.percentile(latencies, 99)),
        "max": float(latencies.max()),
    }


# -- open work orders by COPY ------------------------------------------------------------------
COPY_COLUMNS = (
    "number, channel, category, factor, severity, level, status, customer_id, customer_phone, "
    "branch_id, department_id, description, related, owner_id, assignee_id, created_at, "
    "first_reply_at, first_reply_due, first_reply_warn_at, resolution_due, resolution_warn_at, "
    "paused_since, paused_seconds, is_repeat, closure_note, version, updated_at, "
    "first_reply_warned_at, first_reply_breached_at, resolution_warned_at, resolution_breached_at"
)


def _ts(seconds: np.ndarray) -> list[str]:
    """COPY text for epoch seconds (UTC), ``\\N`` for NaN."""
    stamps = np.where(np.isnan(seconds), 0, seconds).astype("datetime64[s]")
    text = np.char.add(np.datetime_as_string(stamps, unit="s"), "+00:00")
    return np.where(np.isnan(seconds), "\\N", text).tolist()


def generate_open(n: int, now: datetime, seed: int, swept_at: datetime | None) -> None:
    """``n`` open work orders created over the last 20 days; with ``swept_at`` their marks are
    what a sweep at that moment left, else none are marked."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from sqm.complaints.core.escalation import Level, level_after_breach
    from sqm.org.models import Branch, Department

    rng = np.random.default_rng(seed)
    t = now.timestamp()
    branches = np.array(list(Branch.objects.values_list("pk", flat=True)))
    department = Department.objects.get(code="network").pk
    owner = get_user_model().objects.get(username="bench_NJ").pk
    created = t - rng.uniform(0, 20 * 86400, n)
    status = rng.choice([s for s, _ in STATUSES], n, p=[p for _, p in STATUSES])
    replied = created + rng.uniform(1800, 40 * 3600, n)
    new = (status == "new") | (replied > t)
    status = np.where(new, "new", status)
    first_reply = np.where(new, np.nan, replied)
    fr_due, fr_warn = created + 48 * 3600, created + 0.8 * 48 * 3600
    budget = rng.choice([1, 2, 5, 7, 10, 14], n) * 86400.0
    res_due, res_warn = created + budget, created + 0.8 * budget
    paused = np.where(status == "pending_customer", np.maximum(replied, t - 86400), np.nan)
    paused = np.where(paused > t, t, paused)
    level = rng.choice(["ordinary", "escalated", "appeal"], n, p=[0.97, 0.02, 0.01])
    marks = [np.full(n, np.nan) for _ in range(4)]
    if swept_at is not None:
        s = swept_at.timestamp()
        unreplied = np.isnan(first_reply)
        marks[1] = np.where(unreplied & (fr_due <= s), fr_due, np.nan)
        marks[0] = np.where(unreplied & (fr_warn <= s), fr_warn, np.nan)
        running = status != "pending_customer"
        marks[3] = np.where((running | (res_due <= paused)) & (res_due <= s), res_due, np.nan)
        marks[2] = np.where(running & (res_warn <= s), res_warn, np.nan)
        marks[2] = np.where(~np.isnan(marks[3]), marks[3], marks[2])
        bump = {lv.value: level_after_breach(lv, True).value for lv in Level}
        level = np.where(~np.isnan(marks[3]), [bump[x] for x in level], level)
    columns = [
        _ts(created), _ts(first_reply), _ts(fr_due), _ts(fr_warn), _ts(res_due), _ts(res_warn),
        _ts(paused), *(_ts(m) for m in marks),
    ]  # fmt: skip
    category = rng.integers(0, len(CATEGORIES), n)
    branch = rng.choice(branches, n)
    buffer = io.StringIO()
    for i in range(n):
        code, factor = CATEGORIES[category[i]]
        cr, fr, frd, frw, rd, rw, ps, m0, m1, m2, m3 = (c[i] for c in columns)
        buffer.write(
            f"TT{seed:02d}{i:012d}\thotline\t{code}\t{factor}\tmedium\t{level[i]}\t{status[i]}\t"
            f"C{i % 300_000:08d}\t13900000000\t{branch[i]}\t{department}\t网速慢\t[]\t{owner}\t"
            f"{owner}\t{cr}\t{fr}\t{frd}\t{frw}\t{rd}\t{rw}\t{ps}\t0\tf\t\t1\t{cr}\t"
            f"{m0}\t{m1}\t{m2}\t{m3}\n"
        )
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE complaints_workorder CASCADE")
        with cursor.cursor.copy(f"COPY complaints_workorder ({COPY_COLUMNS}) FROM STDIN") as copy:
            copy.write(buffer.getvalue())
        cursor.execute("VACUUM ANALYZE complaints_workorder")


def state() -> tuple[Any, ...]:
    """A fingerprint of what a sweep decides, to compare two sweepers."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(first_reply_warned_at), count(first_reply_breached_at), "
            "count(resolution_warned_at), count(resolution_breached_at), "
            "sum(version), sum(CASE level WHEN 'escalated' THEN 1 ELSE 0 END), "
            "(SELECT count(*) FROM complaints_levelchange) FROM complaints_workorder"
        )
        return tuple(cursor.fetchone())


BARE_UPDATES = (
    "UPDATE complaints_workorder SET first_reply_breached_at = %(now)s, "
    "first_reply_warned_at = %(now)s WHERE first_reply_at IS NULL "
    "AND first_reply_breached_at IS NULL AND first_reply_due <= %(now)s",
    "UPDATE complaints_workorder SET resolution_breached_at = %(now)s, "
    "resolution_warned_at = %(now)s, level = CASE level WHEN 'ordinary' THEN 'escalated' "
    "ELSE level END WHERE resolved_at IS NULL AND resolution_breached_at IS NULL "
    "AND resolution_due <= %(now)s AND status IN ('new', 'acknowledged', 'in_progress')",
)


def bare_updates(now: datetime) -> int:
    """The floor: the cold sweep's two big marks as two plain UPDATEs — no batches, no row
    locks skipped, no escalation history, no audit."""
    from django.db import connection

    changed = 0
    with connection.cursor() as cursor:
        for sql in BARE_UPDATES:
            cursor.execute(sql, {"now": now})
            changed += cursor.rowcount
    return changed


def sweep_per_row(now: datetime) -> int:
    """The obvious implementation: every open work order through Python, one at a time."""
    from django.db import transaction
    from django.db.models import F

    from sqm.complaints.core.escalation import Level, level_after_breach
    from sqm.complaints.models import OPEN, RUNNING, LevelChange, WorkOrder

    changed = 0
    for wo in WorkOrder.objects.filter(status__in=OPEN).iterator(chunk_size=5000):
        fields: dict[str, Any] = {}
        first = resolution = 0
        if wo.first_reply_at is None:
            if wo.first_reply_breached_at is None and wo.first_reply_due <= now:
                fields["first_reply_breached_at"] = now
                fields["first_reply_warned_at"] = wo.first_reply_warned_at or now
                first = 1
            elif wo.first_reply_warned_at is None and wo.first_reply_warn_at <= now:
                fields["first_reply_warned_at"] = now
                first = 1
        running = wo.status in RUNNING or (
            wo.status == "pending_customer" and wo.resolution_due <= wo.paused_since
        )
        escalate = None
        if running and wo.resolved_at is None:
            if wo.resolution_breached_at is None and wo.resolution_due <= now:
                fields["resolution_breached_at"] = now
                fields["resolution_warned_at"] = wo.resolution_warned_at or now
                after = level_after_breach(Level(wo.level), True)
                if after.value != wo.level:
                    fields["level"], escalate = after.value, (wo.level, after.value)
                resolution = 1
            elif (
                wo.status in RUNNING
                and wo.resolution_warned_at is None
                and wo.resolution_warn_at <= now
            ):
                fields["resolution_warned_at"] = now
                resolution = 1
        if not fields:
            continue
        with transaction.atomic():
            WorkOrder.objects.filter(pk=wo.pk).update(
                **fields, version=F("version") + first + resolution, updated_at=now
            )
            if escalate:
                LevelChange.objects.create(
                    work_order_id=wo.pk, from_level=escalate[0], to_level=escalate[1], at=now
                )
        changed += 1
    return changed


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def report_intake(args: argparse.Namespace) -> None:
    print(f"\nintake: {args.clients} concurrent clients, {args.creates:,} creates per run")
    rate = args.rate
    runs = [
        ("create_work_order, flat out", intake("sqm", args.clients, args.creates)),
        ("plain psycopg INSERT, flat out", intake("baseline", args.clients, args.creates)),
        (f"create_work_order at {rate:.0f}/s", intake("sqm", args.clients, args.creates, rate)),
        (f"plain INSERT at {rate:.0f}/s", intake("baseline", args.clients, args.creates, rate)),
    ]
    print(f"  {'':<36}{'creates/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}")
    for name, r in runs:
        print(f"  {name:<36}{r['per_s']:>10,.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}{r['max']:>9.1f}")
    ours, plain, paced = runs[0][1], runs[1][1], runs[2][1]
    print(
        f"  SQM / baseline flat out: {ours['per_s'] / plain['per_s']:.2f}× the throughput, "
        f"{ours['p50'] / plain['p50']:.1f}× the p50"
    )
    throughput = "met" if ours["per_s"] >= GOALS["creates_per_s"] else "MISSED"
    at_rate = "met" if paced["p99"] <= GOALS["p99_ms"] else "MISSED"
    flat = "met" if ours["p99"] <= GOALS["p99_ms"] else "MISSED"
    print(
        f"  goals: >= {GOALS['creates_per_s']} creates/s {throughput} ({ours['per_s']:,.0f}/s); "
        f"p99 <= {GOALS['p99_ms']} ms at {rate:.0f}/s {at_rate} ({paced['p99']:.0f} ms), "
        f"flat out {flat} ({ours['p99']:.0f} ms)"
    )


def report_sweeper(args: argparse.Namespace) -> None:
    from sqm.complaints.workflow.sweeper import sweep

    now = datetime.now().astimezone().replace(microsecond=0)
    print(f"\nsweeper over {args.open:,} open work orders (created over the last 20 days)")
    rows = []
    cases = (("steady (last sweep 5 min ago)", now - timedelta(minutes=5)), ("cold", None))
    for case, swept_at in cases:
        generated, _ = timed(lambda s=swept_at: generate_open(args.open, now, 1, s))
        seconds, result = timed(lambda: sweep(now))
        rows.append((case, seconds, result, f"{generated:.1f}"))
        if swept_at is None:
            again, repeat = timed(lambda: sweep(now))
            rows.append(("again right after", again, repeat, ""))
    print(f"  {'case':<31}{'seconds':>9}{'changed':>10}{'escalated':>10}{'COPY s':>8}")
    for case, seconds, result, generated in rows:
        print(
            f"  {case:<31}{seconds:>9.2f}{result.changed:>10,}{result.escalated:>10,}{generated:>8}"
        )
    generate_open(args.open, now, 1, None)
    floor, marked = timed(lambda: bare_updates(now))
    cold = rows[1][1]
    print(
        f"  floor: two bare UPDATEs of the cold case's breaches: {floor:.2f} s ({marked:,} rows);"
        f" the cold sweep takes {cold / floor:.1f}× that"
    )
    for case, seconds, _, _ in rows:
        verdict = "met" if seconds <= GOALS["sweep_s"] else "MISSED"
        print(f"  goal <= {GOALS['sweep_s']:.0f} s, {case}: {verdict} ({seconds:.2f} s)")

    print(f"\nset-based against a per-row Python loop, {args.loop_rows:,} cold work orders")
    generate_open(args.loop_rows, now, 2, None)
    set_based, result = timed(lambda: sweep(now))
    expected = state()
    generate_open(args.loop_rows, now, 2, None)
    per_row, changed = timed(lambda: sweep_per_row(now))
    same = state() == expected
    print(f"  set-based sweeper  {set_based:8.2f} s  ({result.changed:,} marks)")
    print(f"  per-row loop       {per_row:8.2f} s  ({changed:,} work orders changed)")
    print(f"  set-based is {per_row / set_based:.0f}× faster; same final state: {same}")
    if not same:
        raise SystemExit(f"states differ: {expected} vs {state()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--creates", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=500.0, help="paced runs: creates/s")
    parser.add_argument("--open", type=int, default=1_000_000)
    parser.add_argument("--loop-rows", type=int, default=100_000)
    parser.add_argument(
        "--parts", default="intake,sweeper", help="comma-separated: intake, sweeper"
    )
    args = parser.parse_args()
    parts = {p.strip() for p in args.parts.split(",")}
    setup()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        server = cursor.fetchone()[0].split(",")[0]
    print(f"{server} on loopback, {os.cpu_count()} cores shared by clients and server")
    if "intake" in parts:
        report_intake(args)
    if "sweeper" in parts:
        report_sweeper(args)


if __name__ == "__main__":
    main()
