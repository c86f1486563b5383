"""The SLA sweeper: marks warnings and breaches of the first-reply and resolution clocks and
escalates work orders whose resolution deadline has passed (core.escalation.level_after_breach:
ordinary → escalated).

Set-based: each step is one SQL statement over the rows it can still change, found through a
small partial index (see ``WorkOrder.Meta.indexes``); nothing is evaluated row by row in
Python. Every condition is on the row's current state, so

- a second run changes nothing (idempotent), and
- two sweepers can run at once: on PostgreSQL each batch takes its rows with
  ``FOR UPDATE SKIP LOCKED`` — rows another sweeper (or a person's transaction) holds are left
  to it, nobody waits, nobody deadlocks, and the row is re-checked when it is locked. SQLite
  has one writer at a time and runs each step as a single ``UPDATE … RETURNING``.

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

from django.db import connection, transaction
from django.utils import timezone

from sqm.complaints.core.escalation import Level, level_after_breach
from sqm.complaints.core.states import Status
from sqm.complaints.models import LevelChange, WorkOrder
from sqm.org.audit import record

BATCH_SIZE = 100_000
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
    seconds: float = 0.0
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


def _run_postgres(step: _Step, now: Any, batch_size: int) -> int:
    work_orders, level_changes = _tables()
    picked = (
        f"WITH picked AS (SELECT id FROM {work_orders} WHERE {step.where} "
        f"LIMIT %s FOR UPDATE SKIP LOCKED), "
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
        tail: tuple[Any, ...] = (*step.escalate, now, ESCALATION_REASON)
    else:
        sql = picked + "SELECT count(*) FROM changed"
        tail = ()
    params = (*step.params, batch_size, *step.set_params, *tail)
    total = 0
    while True:
        # One transaction per batch: locks are held for one batch only.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, params)
            done = cursor.rowcount if step.escalate is not None else cursor.fetchone()[0]
        total += done
        if done < batch_size:
            return total


def _run_single_writer(step: _Step, now: Any) -> int:
    work_orders, _ = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {work_orders} SET {step.sets} WHERE {step.where} RETURNING id",
            (*step.set_params, *step.params),
        )
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
    return len(ids)


def sweep(now: datetime | None = None, *, batch_size: int = BATCH_SIZE) -> SweepResult:
    """Run every step once; returns what changed. Records one audit entry when anything did."""
    moment = now or timezone.now()
    started = time.perf_counter()
    value = connection.ops.adapt_datetimefield_value(moment)
    result = SweepResult(at=moment)
    postgres = connection.vendor == "postgresql"
    for step in _steps(value):
        changed = (
            _run_postgres(step, value, batch_size) if postgres else _run_single_writer(step, moment)
        )
        setattr(result, step.counter, getattr(result, step.counter) + changed)
        if step.escalate is not None:
            result.escalated += changed
    result.seconds = time.perf_counter() - started
    if result.changed:
        record(None, "complaints.sweep", "sweep", moment.isoformat(), **result.counts())
    return result
