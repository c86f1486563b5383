"""The SLA sweeper: marks warnings and breaches of the first-reply and resolution clocks and
escalates work orders whose resolution deadline has passed (core.escalation.level_after_breach:
ordinary → escalated).

Set-based: each step is one SQL statement over the rows it can still change, found through a
small partial index (see ``WorkOrder.Meta.indexes``); nothing is evaluated row by row in
Python. Every condition is on the row's current state, so

- a second run changes nothing (idempotent), and
- two sweepers can run at once: on PostgreSQL each batch takes its rows with
  ``FOR UPDATE SKIP LOCKED`` — rows another sweeper (or a person's transaction) holds are left
  for later, that pass waits for nobody, and a row is re-checked when it is locked.

Every step commits in batches (``batch_size`` rows a transaction), so a person's write waits
for one batch, not for the whole sweep. SQLite has one writer at a time and no queue for the
lock: the sweep pauses between batches for as long as the batch took, so waiting writers get
the lock (their busy timeout polls for it) instead of losing it to the next batch.

A sweep never reports a clean run while due rows were left out. On PostgreSQL the rows the
``SKIP LOCKED`` pass could not take are counted afterwards, and the sweep then waits for them
(plain ``FOR UPDATE``, re-checked when granted) for up to ``lock_wait`` seconds: a person's
transaction holds a row for milliseconds, and a dead client's session is ended by the server
within seconds (``client_connection_check_interval``, ``idle_in_transaction_session_timeout``
and keepalives, see sqm.config.settings), which is what a re-run right after a kill -9 meets.
Rows still held after that are returned as ``skipped`` (the CLI exits 1 and says how many):
waiting longer would hang a scheduler's run on a stuck session, and saying nothing would leave
breaches unmarked while reporting success.

Deadlines were computed on the branch's working calendar when they were set (intake, resume,
reopen), so the sweep compares columns with ``now``. A work order waiting for the customer is
not breached, unless its deadline had passed before the pause began (a breach cannot be
undone by pausing, core.clocks).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from django.db import OperationalError, connection, transaction
from django.utils import timezone

from sqm.complaints.core.escalation import Level, level_after_breach
from sqm.complaints.core.states import Status
from sqm.complaints.models import LevelChange, WorkOrder
from sqm.org.audit import record

# Rows a transaction: on PostgreSQL a person's write to a row being swept waits for one batch
# (tens of milliseconds); on SQLite every writer does, so its batches are smaller.
BATCH_SIZE = 10_000
SQLITE_BATCH_SIZE = 2_000
# Seconds to wait for due rows other sessions hold, longer than the server takes to end a dead
# client's session (the settings' 60 s idle-in-transaction and keepalive limits).
LOCK_WAIT = 90.0
# SQLSTATEs after which the waiting pass looks again: lock_timeout ran out (lock_not_available),
# or the server broke a deadlock with another waiting sweeper by rolling this batch back.
RETRY_STATES = frozenset({"55P03", "40P01"})
ESCALATION_REASON = "处理时限已过，系统自动升级"
CLOSED = (Status.CLOSED.value, Status.CANCELLED.value)
RUNNING = (Status.NEW.value, Status.ACKNOWLEDGED.value, Status.IN_PROGRESS.value)


@dataclass
class SweepResult:
    first_reply_warned: int = 0
    first_reply_breached: int = 0
    resolution_warned: int = 0
    resolution_breached: int = 0
    escalated: int = 0
    # Due work orders other sessions held until ``lock_wait`` ran out: not marked by this run.
    skipped: int = 0
    seconds: float = 0.0
    lock_wait: float = field(default=0.0, repr=False)
    at: datetime | None = field(default=None, repr=False)

    @property
    def changed(self) -> int:
        return (
            self.first_reply_warned
            + self.first_reply_breached
            + self.resolution_warned
            + self.resolution_breached
        )

    def counts(self) -> dict[str, int]:
        return {k: v for k, v in asdict(self).items() if isinstance(v, int)}


@dataclass(frozen=True)
class _Step:
    """One UPDATE: ``where`` selects the rows, ``sets`` changes them; ``escalate`` names the
    (from, to) levels when the step also records LevelChange rows."""

    counter: str
    where: str
    params: tuple[Any, ...]
    sets: str
    set_params: tuple[Any, ...]
    escalate: tuple[str, str] | None = None


def _in(values: Sequence[str]) -> str:
    return "(" + ", ".join(["%s"] * len(values)) + ")"


def _steps(now: Any) -> list[_Step]:
    """Breaches before warnings: a breach also sets the warning mark, so a work order found
    late is changed once, not twice."""
    first_open = f"status NOT IN {_in(CLOSED)} AND first_reply_at IS NULL"
    # Waiting for the customer stops the clock, unless the deadline passed before the pause.
    running = (
        f"(status IN {_in(RUNNING)} OR (status = %s AND resolution_due <= paused_since))"
        " AND resolved_at IS NULL"
    )
    running_params = (*RUNNING, Status.PENDING_CUSTOMER.value)
    breach = "resolution_breached_at IS NULL AND resolution_due <= %s"
    breached_sets = (
        "resolution_breached_at = %s, "
        "resolution_warned_at = COALESCE(resolution_warned_at, %s), "
        "version = version + 1, updated_at = %s"
    )
    steps = [
        _Step(
            "first_reply_breached",
            f"{first_open} AND first_reply_breached_at IS NULL AND first_reply_due <= %s",
            (*CLOSED, now),
            "first_reply_breached_at = %s, first_reply_warned_at = "
            "COALESCE(first_reply_warned_at, %s), version = version + 1, updated_at = %s",
            (now, now, now),
        ),
        _Step(
            "first_reply_warned",
            f"{first_open} AND first_reply_warned_at IS NULL AND first_reply_warn_at <= %s",
            (*CLOSED, now),
            "first_reply_warned_at = %s, version = version + 1, updated_at = %s",
            (now, now),
        ),
    ]
    # The level a breach leads to comes from the core rule, one step per level it changes.
    unchanged = [lv.value for lv in Level if level_after_breach(lv, True) == lv]
    for level in Level:
        after = level_after_breach(level, True)
        if after != level:
            steps.append(
                _Step(
                    "resolution_breached",
                    f"{running} AND {breach} AND level = %s",
                    (*running_params, now, level.value),
                    f"{breached_sets}, level = %s",
                    (now, now, now, after.value),
                    escalate=(level.value, after.value),
                )
            )
    if unchanged:
        steps.append(
            _Step(
                "resolution_breached",
                f"{running} AND {breach} AND level IN {_in(unchanged)}",
                (*running_params, now, *unchanged),
                breached_sets,
                (now, now, now),
            )
        )
    steps.append(
        _Step(
            "resolution_warned",
            f"status IN {_in(RUNNING)} AND resolved_at IS NULL "
            "AND resolution_warned_at IS NULL AND resolution_warn_at <= %s",
            (*RUNNING, now),
            "resolution_warned_at = %s, version = version + 1, updated_at = %s",
            (now, now),
        )
    )
    return steps


def _tables() -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(WorkOrder._meta.db_table), quote(LevelChange._meta.db_table)


def _statement(step: _Step, now: Any, lock: str) -> tuple[str, tuple[Any, ...]]:
    """One batch on PostgreSQL: take up to ``%s`` due rows with ``lock``, change them, record
    the escalations; the statement answers how many it changed."""
    work_orders, level_changes = _tables()
    picked = (
        f"WITH picked AS (SELECT id FROM {work_orders} WHERE {step.where} "
        f"LIMIT %s {lock}), "
        # The ids as one array: a primary-key lookup per id, whatever the planner guesses
        # about how many there are (a join would hash the whole table).
        f"changed AS (UPDATE {work_orders} SET {step.sets} "
        f"WHERE id = ANY(ARRAY(SELECT id FROM picked)) RETURNING id) "
    )
    if step.escalate is not None:
        sql = (
            picked + f"INSERT INTO {level_changes} "
            "(work_order_id, from_level, to_level, at, actor_id, reason) "
            "SELECT id, %s, %s, %s, NULL, %s FROM changed"
        )
        return sql, (*step.escalate, now, ESCALATION_REASON)
    return picked + "SELECT count(*) FROM changed", ()


def _batches(step: _Step, now: Any, batch_size: int, lock: str, timeout_ms: int = 0) -> int:
    """Batches until one comes back short; each its own transaction, so locks are held for one
    batch only. With ``timeout_ms`` a lock wait longer than that raises OperationalError."""
    sql, tail = _statement(step, now, lock)
    params = (*step.params, batch_size, *step.set_params, *tail)
    total = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            if timeout_ms:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{timeout_ms}ms"])
            cursor.execute(sql, params)
            done = int(cursor.rowcount if step.escalate is not None else cursor.fetchone()[0])
        total += done
        if done < batch_size:
            return total


def _still_due(step: _Step) -> set[int]:
    """Rows the step would still change, as committed (rows others hold count as before)."""
    work_orders, _ = _tables()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {work_orders} WHERE {step.where}", step.params)
        return {row[0] for row in cursor.fetchall()}


def _retryable(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in RETRY_STATES


def _run_postgres(step: _Step, now: Any, batch_size: int, deadline: float) -> tuple[int, set[int]]:
    """(changed, ids left): everything free at once, then what others held, waited for until
    ``deadline`` (``time.monotonic``; shared by the steps, so a row held throughout costs one
    wait, not one per step)."""
    total = _batches(step, now, batch_size, "FOR UPDATE SKIP LOCKED")
    while left := _still_due(step):
        remaining_ms = int((deadline - time.monotonic()) * 1000)
        if remaining_ms <= 0:
            return total, left
        try:
            taken = _batches(step, now, batch_size, "FOR UPDATE", remaining_ms)
        except OperationalError as error:
            if not _retryable(error):
                raise
            continue
        total += taken
        if not taken:
            time.sleep(0.05)  # rows changing hands under us: look again shortly, not in a spin
    return total, set()


def _run_single_writer(step: _Step, now: Any, batch_size: int) -> int:
    """SQLite: ``batch_size`` rows a transaction, then a pause as long as the batch took."""
    work_orders, _ = _tables()
    sql = (
        f"UPDATE {work_orders} SET {step.sets} WHERE id IN "
        f"(SELECT id FROM {work_orders} WHERE {step.where} LIMIT %s) RETURNING id"
    )
    total = 0
    while True:
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, (*step.set_params, *step.params, batch_size))
            ids = [row[0] for row in cursor.fetchall()]
            if step.escalate is not None and ids:
                LevelChange.objects.bulk_create(
                    LevelChange(
                        work_order_id=pk,
                        from_level=step.escalate[0],
                        to_level=step.escalate[1],
                        at=now,
                        reason=ESCALATION_REASON,
                    )
                    for pk in ids
                )
        total += len(ids)
        if len(ids) < batch_size:
            return total
        time.sleep(time.monotonic() - started)


def sweep(
    now: datetime | None = None,
    *,
    batch_size: int | None = None,
    lock_wait: float | None = None,
) -> SweepResult:
    """Run every step once; returns what changed, and how many due rows were held by other
    sessions for longer than ``lock_wait`` seconds (``skipped``, PostgreSQL only). Records
    one audit entry when anything changed or was skipped."""
    moment = now or timezone.now()
    started = time.perf_counter()
    value = connection.ops.adapt_datetimefield_value(moment)
    result = SweepResult(at=moment, lock_wait=LOCK_WAIT if lock_wait is None else lock_wait)
    postgres = connection.vendor == "postgresql"
    size = batch_size or (BATCH_SIZE if postgres else SQLITE_BATCH_SIZE)
    deadline = time.monotonic() + result.lock_wait
    skipped: set[int] = set()
    for step in _steps(value):
        if postgres:
            changed, left = _run_postgres(step, value, size, deadline)
            skipped |= left
        else:
            changed = _run_single_writer(step, moment, size)
        setattr(result, step.counter, getattr(result, step.counter) + changed)
        if step.escalate is not None:
            result.escalated += changed
    result.skipped = len(skipped)
    result.seconds = time.perf_counter() - started
    if result.changed or result.skipped:
        record(None, "complaints.sweep", "sweep", moment.isoformat(), **result.counts())
    return result
