"""来电必复 (R1.8): every abandoned hotline call of an identified customer becomes a callback
task with a deadline; completing it is recorded.

Which calls: rows of the ``calls`` event source that arrived on the day, with ``abandoned_at``
set, ``answered_at`` empty and not ``excluded`` (test and phantom calls). A call without an
identified customer has no number to ring (the ``calls`` source carries none), so it is counted
but gets no task — the same population the hotline's missed-call indicator counts.

Deadline rule: two hours of callback time, callback time being 08:00–20:00 every day of the
week (the hotline runs 7×24, but customers are not rung at night). A call abandoned at 10:15 is
due 12:15; one abandoned at 19:30 is due 09:30 the next morning; every deadline falls within
24 hours of the abandonment, the window the missed-call indicator allows.

Creating tasks is idempotent by ``call_id``: the same day read twice adds nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints.access import can_write, visible_callbacks
from sqm.complaints.choices import CallbackOutcomeChoices
from sqm.complaints.core.calendar import WorkingCalendar, add_working_seconds
from sqm.complaints.models import Callback
from sqm.complaints.workflow.guard import WorkflowError, moment
from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.org.audit import record
from sqm.org.models import Branch, CustomerTier

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


CALLBACK_SECONDS = 2 * 3600
CALLBACK_CALENDAR = WorkingCalendar(
    day_start=time(8, 0), day_end=time(20, 0), weekdays=frozenset(range(7))
)
COLUMNS = ["call_id", "customer_id", "tier", "branch", "abandoned_at", "answered_at", "excluded"]
OUTCOMES = frozenset(CallbackOutcomeChoices.values)


@dataclass(frozen=True, slots=True)
class CallbackRun:
    day: date
    abandoned: int  # abandoned calls of the day
    unidentified: int  # without a customer: nobody to ring
    created: int
    existing: int  # tasks made by an earlier run
    unknown_branch: int


def due_at(abandoned_at: datetime) -> datetime:
    return add_working_seconds(CALLBACK_CALENDAR, abandoned_at, CALLBACK_SECONDS)


def abandoned_calls(store: EventStore, day: date) -> pa.Table:
    """The abandoned calls that arrived on ``day`` (one day partition is read)."""
    source = SOURCES["calls"]
    files = [str(f) for f in store.files("calls", day)]
    if not files:
        return source.schema.empty_table().select(COLUMNS)
    condition = (
        pc.is_valid(ds.field("abandoned_at"))
        & pc.is_null(ds.field("answered_at"))
        & (pc.is_null(ds.field("excluded")) | (ds.field("excluded") == pa.scalar(False)))
    )
    return ds.dataset(files, schema=source.schema, format="parquet").to_table(
        columns=COLUMNS, filter=condition
    )


def customer_phones(store: EventStore, customer_ids: Sequence[str]) -> dict[str, str]:
    """Each customer's phone in their latest snapshot."""
    if not customer_ids or not store.has_data("customers"):
        return {}
    table = store.dataset("customers").to_table(
        columns=["customer_id", "phone", "snapshot_at"],
        filter=ds.field("customer_id").isin(list(customer_ids)),
    )
    latest: dict[str, tuple[datetime, str]] = {}
    for customer, phone, at in zip(
        table["customer_id"].to_pylist(),
        table["phone"].to_pylist(),
        table["snapshot_at"].to_pylist(),
        strict=True,
    ):
        if phone and (customer not in latest or at > latest[customer][0]):
            latest[customer] = (at, phone)
    return {customer: phone for customer, (_, phone) in latest.items()}


def _aware(naive: datetime) -> datetime:
    # Event timestamps are naive wall-clock times of the province (events.core.schemas).
    return timezone.make_aware(naive, timezone.get_default_timezone())


def create_callbacks(store: EventStore, day: date) -> CallbackRun:
    """One task per abandoned call of an identified customer on ``day``."""
    calls = abandoned_calls(store, day)
    rows = [
        row
        for row in calls.to_pylist()
        if row["customer_id"]  # nobody to ring otherwise
    ]
    ids = [row["call_id"] for row in rows]
    existing = set(Callback.objects.filter(call_id__in=ids).values_list("call_id", flat=True))
    fresh = [row for row in rows if row["call_id"] not in existing]
    branches = dict(Branch.objects.values_list("code", "pk"))
    tiers = dict(CustomerTier.objects.values_list("code", "pk"))
    phones = customer_phones(store, sorted({row["customer_id"] for row in fresh}))
    tasks = []
    unknown = 0
    for row in fresh:
        branch = branches.get(row["branch"])
        if branch is None:
            unknown += 1
            continue
        abandoned = _aware(row["abandoned_at"])
        tasks.append(
            Callback(
                call_id=row["call_id"],
                customer_id=row["customer_id"],
                phone=phones.get(row["customer_id"], ""),
                branch_id=branch,
                tier_id=tiers.get(row["tier"]),
                abandoned_at=abandoned,
                due_at=due_at(abandoned),
            )
        )
    with transaction.atomic():
        # ignore_conflicts: a run racing this one may have made some of them meanwhile.
        Callback.objects.bulk_create(tasks, batch_size=2000, ignore_conflicts=True)
    created = Callback.objects.filter(call_id__in=[t.call_id for t in tasks]).count()
    run = CallbackRun(
        day=day,
        abandoned=calls.num_rows,
        unidentified=calls.num_rows - len(rows),
        created=min(created, len(tasks)),
        existing=len(existing),
        unknown_branch=unknown,
    )
    if run.created:
        record(None, "complaints.callbacks", "callback_day", day.isoformat(), created=run.created)
    return run


@transaction.atomic
def complete_callback(
    actor: Person, callback_id: int, *, outcome: str, note: str = "", at: datetime | None = None
) -> Callback:
    """Record the callback: reached the customer, could not reach them (note the attempts),
    or the customer had already been helped."""
    if not can_write(actor):
        raise WorkflowError(_("你的角色不能登记回呼"))
    if outcome not in OUTCOMES:
        raise WorkflowError(_("未知的回呼结果「%(outcome)s」") % {"outcome": outcome})
    if outcome == "unreachable" and not note.strip():
        raise WorkflowError(_("未接通时须记录回呼尝试（时间、次数）"))
    callback = visible_callbacks(actor).select_for_update(of=("self",)).get(pk=callback_id)
    if callback.completed_at is not None:
        raise WorkflowError(_("该回呼已登记完成"))
    callback.completed_at = moment(at)
    callback.outcome = outcome
    callback.note = note.strip()
    callback.actor = actor
    callback.save(update_fields=["completed_at", "outcome", "note", "actor"])
    record(actor, "complaints.callback", "callback", callback.call_id, outcome=outcome)
    return callback


@dataclass(frozen=True, slots=True)
class CallbackSummary:
    total: int
    completed: int
    on_time: int
    overdue_open: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.total if self.total else None


def summary(rows: QuerySet[Callback], now: datetime | None = None) -> CallbackSummary:
    """How many callbacks were owed, done, done in time, and are late and still open."""
    moment_ = now or timezone.now()
    counts = rows.aggregate(
        total=Count("id"),
        completed=Count("id", filter=Q(completed_at__isnull=False)),
        on_time=Count("id", filter=Q(completed_at__isnull=False, completed_at__lte=F("due_at"))),
        overdue_open=Count("id", filter=Q(completed_at__isnull=True, due_at__lt=moment_)),
    )
    return CallbackSummary(**{k: int(v or 0) for k, v in counts.items()})


def callbacks_of_day(user: Requester, day: date) -> QuerySet[Callback]:
    start = timezone.make_aware(datetime.combine(day, time()), timezone.get_default_timezone())
    return visible_callbacks(user).filter(
        abandoned_at__gte=start, abandoned_at__lt=start + timedelta(days=1)
    )
