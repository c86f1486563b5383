"""Generate one month of the demo province into the event store, day by day.

Every source's day partition is written with :meth:`EventStore.replace_partition`, so running
the same month again replaces it (idempotent), and only one day of one source — chunked when
large — is in memory at a time (province scale runs out of core). Follow-ups that cross
midnight (repeat calls, repeat complaints, survey answers) are carried to their own day;
anything that would fall after the month ends is left to the next month's run.
"""

from __future__ import annotations

import contextlib
import resource
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sqm.demo.core.calls import CallCarry, generate_calls
from sqm.demo.core.complaints import ComplaintCarry, generate_complaints
from sqm.demo.core.context import Context
from sqm.demo.core.echannel import generate_echannel
from sqm.demo.core.halls import generate_hall_visits
from sqm.demo.core.incidents import (
    Incident,
    IncidentPlan,
    Ledger,
    plan_fix,
    plan_incidents,
    write_manifest,
)
from sqm.demo.core.inspections import generate_inspections
from sqm.demo.core.month import Month
from sqm.demo.core.population import build_population, snapshot_tables
from sqm.demo.core.progress import ProgressCallback, ProgressEvent, rich_progress
from sqm.demo.core.recharges import generate_recharges
from sqm.demo.core.reminders import generate_reminders
from sqm.demo.core.scales import Scale, get_scale
from sqm.demo.core.sms import generate_sms_reports
from sqm.demo.core.surveys import hall_surveys, hangup_surveys, study_surveys
from sqm.events.core.schemas import (
    CALLS,
    COMPLAINTS,
    CUSTOMERS,
    ECHANNEL,
    HALL_VISITS,
    INSPECTIONS,
    RECHARGES,
    REMINDERS,
    SMS_REPORTS,
    SURVEYS,
    Source,
)
from sqm.events.core.store import EventStore
from sqm.org.core.province import PROVINCE, Province

DAILY_SOURCES = (
    CALLS,
    HALL_VISITS,
    SURVEYS,
    COMPLAINTS,
    REMINDERS,
    RECHARGES,
    ECHANNEL,
    INSPECTIONS,
    SMS_REPORTS,
)


@dataclass(frozen=True, slots=True)
class GenerationReport:
    month: str
    scale: str
    seed: int
    billing_cycles: int
    rows: dict[str, int]
    seconds: float
    peak_rss_mb: float
    manifest: Path
    incidents: IncidentPlan = field(repr=False)

    @property
    def total_events(self) -> int:
        return sum(self.rows.values())

    @property
    def events_per_s(self) -> float:
        return self.total_events / self.seconds if self.seconds > 0 else 0.0


def manifest_path(data_dir: Path | str, month: str) -> Path:
    return Path(data_dir) / "demo" / f"manifest-{month}.json"


def generate_month(
    data_dir: Path | str,
    scale: str | Scale = "small",
    month: str = "2024-03",
    seed: int = 2026,
    progress: bool | ProgressCallback | None = None,
    *,
    billing_cycles: int = 1,
    province: Province = PROVINCE,
    fix_month: str | None = None,
) -> GenerationReport:
    """Write one month of all ten sources for ``scale`` into ``data_dir``'s event store.

    ``progress``: True for a Rich bar (when on a terminal), a callback for your own, or None.
    ``billing_cycles``: 1 is the current practice (everyone billed on day 1); N staggers the
    customers over N bill dates (R6).
    ``fix_month``: the month in which a planted fix ends a chronic problem (`plan_fix`); the
    problem runs in that month until the fix and in the month before it.
    """
    started = time.perf_counter()
    spec = scale if isinstance(scale, Scale) else get_scale(scale)
    when = Month.parse(month)
    with contextlib.ExitStack() as stack:
        callback: ProgressCallback | None
        if progress is True:
            callback = stack.enter_context(rich_progress(f"{when.key} {spec.name}"))
        else:
            callback = progress or None
        fix = None
        if fix_month is not None:
            fixed = Month.parse(fix_month)
            previous = Month(fixed.year - (fixed.month == 1), (fixed.month - 2) % 12 + 1)
            if when in (fixed, previous):
                fix = plan_fix(province, fixed, seed)
        rows, plan, ledger = _generate(
            Path(data_dir), spec, when, seed, billing_cycles, province, callback, fix
        )
    path = manifest_path(data_dir, when.key)
    write_manifest(path, when, spec.name, seed, billing_cycles, plan, ledger)
    return GenerationReport(
        month=when.key,
        scale=spec.name,
        seed=seed,
        billing_cycles=billing_cycles,
        rows=rows,
        seconds=time.perf_counter() - started,
        peak_rss_mb=peak_rss_mb(),
        manifest=path,
        incidents=plan,
    )


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _generate(
    data_dir: Path,
    scale: Scale,
    month: Month,
    seed: int,
    billing_cycles: int,
    province: Province,
    callback: ProgressCallback | None,
    fix: Incident | None = None,
) -> tuple[dict[str, int], IncidentPlan, Ledger]:
    store = EventStore(data_dir)
    population = build_population(province, scale.customers, month, seed, billing_cycles)
    halls = scale.active_halls(province)
    plan = plan_incidents(province, month, seed, halls, fix)
    ledger = Ledger()
    ctx = Context(province, scale, month, seed, population, halls, plan, ledger)
    rows = {s.name: 0 for s in (CUSTOMERS, *DAILY_SOURCES)}
    total_steps = month.ndays * len(DAILY_SOURCES) + 1
    step = 0

    def write(source: Source, day: date, tables: Iterable[pa.Table]) -> None:
        nonlocal step
        written = store.replace_partition(source, day.isoformat(), _never_empty(source, tables))
        rows[source.name] += written
        step += 1
        if callback is not None:
            callback(ProgressEvent(source.name, day, written, step, total_steps))

    call_carry, complaint_carry = CallCarry(), ComplaintCarry()
    survey_carry: dict[date, list[pa.Table]] = defaultdict(list)
    for day in month.days:
        calls = generate_calls(ctx, day, call_carry)
        write(CALLS, day, [calls.table])
        halls_day = generate_hall_visits(ctx, day)
        write(HALL_VISITS, day, [halls_day.table])
        for table in (hangup_surveys(ctx, calls), hall_surveys(ctx, day, halls_day)):
            _route_by_day(ctx, table, "at", survey_carry)
        write(SURVEYS, day, [*survey_carry.pop(day, []), study_surveys(ctx, day)])
        del calls, halls_day
        write(COMPLAINTS, day, [generate_complaints(ctx, day, complaint_carry)])
        write(REMINDERS, day, generate_reminders(ctx, day))
        write(RECHARGES, day, generate_recharges(ctx, day))
        write(ECHANNEL, day, generate_echannel(ctx, day))
        write(INSPECTIONS, day, [generate_inspections(ctx, day)])
        write(SMS_REPORTS, day, [generate_sms_reports(ctx, day)])
    write(CUSTOMERS, month.last, snapshot_tables(population, scale.chunk_rows))
    return rows, plan, ledger


def _never_empty(source: Source, tables: Iterable[pa.Table]) -> Iterator[pa.Table]:
    """Every day partition gets a file, even with no rows, so a re-run replaces it."""
    produced = False
    for table in tables:
        produced = True
        yield table
    if not produced:
        yield source.schema.empty_table()


def _route_by_day(
    ctx: Context, table: pa.Table, column: str, carry: dict[date, list[pa.Table]]
) -> None:
    """Put each row in the buffer of the day of ``column``; drop rows after the month."""
    if table.num_rows == 0:
        return
    ms = pc.cast(table[column], pa.int64()).to_numpy()
    day_number = (ms - ctx.month_start_ms) // 86_400_000
    for k in np.unique(day_number).tolist():
        if 0 <= k < ctx.month.ndays:
            carry[ctx.month.days[k]].append(table.filter(pa.array(day_number == k)))


__all__ = ["GenerationReport", "ProgressCallback", "ProgressEvent", "generate_month"]
