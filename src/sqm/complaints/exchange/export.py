"""The nightly (and on-demand) snapshot of work orders into the ``complaints`` event source, so
the indicator engine computes the complaint indicators from real work orders.

One row per work order, in the day partition of its creation (local time). Exporting a day
replaces that partition's work-order rows atomically (``EventStore.replace_partition``: built
aside, then swapped in), so running it twice gives the same partition. Rows of other
producers in the same partition — files ingested from another system, the demo's synthetic
history — are kept: only rows whose id is a work-order number (``TT`` + 14 digits) are ours.

Column meanings follow the source's schema: ``category`` is the perception factor and
``subcategory`` the category's Chinese name; ``deadline_at`` is the appeal deadline for
appeals and the resolution deadline otherwise; ``overcharge`` comes only from double refunds
(billing errors) — a value-added-service refund is refunded first at 1×, not double, and
must not count against the double-refund indicator — and ``refund`` is the sum of refunds not
reversed.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db.models.functions import TruncDate
from django.utils import timezone

from sqm.complaints.core.categories import UnknownCategory
from sqm.complaints.core.categories import category as category_of
from sqm.complaints.core.states import Status
from sqm.complaints.models import Refund, WorkOrder
from sqm.events.core.schemas import COMPLAINTS
from sqm.events.core.store import EventStore
from sqm.events.core.validation import validate_typed
from sqm.org.audit import record
from sqm.org.reference import load_reference_codes

log = logging.getLogger(__name__)
OUR_IDS = r"^TT\d{14}$"
# Nightly: every day with a work order changed in the last two days, so one missed night
# loses nothing.
NIGHTLY_LOOKBACK = timedelta(days=2)
_FIELDS = (
    "pk",
    "number",
    "customer_id",
    "branch__code",
    "tier__code",
    "channel",
    "factor",
    "category",
    "level",
    "severity",
    "department__code",
    "created_at",
    "first_reply_at",
    "resolution_due",
    "appeal_due",
    "resolved_at",
    "closed_at",
    "repeat_of__number",
    "status",
    "confirmed",
    "satisfaction",
    "description",
)


@dataclass(frozen=True, slots=True)
class ExportRun:
    days: tuple[date, ...]
    rows: int
    kept: int  # other producers' rows left in place
    rejected: int  # rows the event schema refused (logged; should never happen)


def _local(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return timezone.make_naive(moment, timezone.get_default_timezone()).replace(tzinfo=None)


def _bounds(day: date) -> tuple[datetime, datetime]:
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(datetime.combine(day, time()), tz)
    return start, timezone.make_aware(datetime.combine(day + timedelta(days=1), time()), tz)


def _money(refunds: dict[int, list[tuple[str, Decimal, Decimal]]], pk: int) -> tuple[Any, Any]:
    own = refunds.get(pk, [])
    if not own:
        return None, None
    double = [over for kind, over, _ in own if kind == "double_refund"]
    overcharge = float(sum(double)) if double else None
    return overcharge, float(sum(amount for _, _, amount in own))


def _subcategory(code: str) -> str:
    try:
        return category_of(code).name_zh
    except UnknownCategory:
        return code


def snapshot(day: date) -> pa.Table:
    """The work orders created on ``day`` as rows of the complaints source."""
    start, end = _bounds(day)
    orders = list(
        WorkOrder.objects.filter(created_at__gte=start, created_at__lt=end)
        .order_by("number")
        .values_list(*_FIELDS)
    )
    refunds: dict[int, list[tuple[str, Decimal, Decimal]]] = defaultdict(list)
    for pk, kind, over, amount in Refund.objects.filter(
        work_order_id__in=[o[0] for o in orders], reversed_at__isnull=True
    ).values_list("work_order_id", "kind", "overcharge", "amount"):
        refunds[pk].append((kind, over, amount))
    rows = []
    for values in orders:
        o = dict(zip(_FIELDS, values, strict=True))
        overcharge, refund = _money(refunds, o["pk"])
        rows.append(
            {
                "complaint_id": o["number"],
                "customer_id": o["customer_id"],
                "branch": o["branch__code"],
                "tier": o["tier__code"],
                "channel": o["channel"],
                "category": o["factor"],
                "subcategory": _subcategory(o["category"]),
                "level": o["level"],
                "severity": o["severity"],
                "department": o["department__code"],
                "created_at": _local(o["created_at"]),
                "first_reply_at": _local(o["first_reply_at"]),
                "deadline_at": _local(o["appeal_due"] or o["resolution_due"]),
                "resolved_at": _local(o["resolved_at"]),
                "closed_at": _local(o["closed_at"]),
                "repeat_of": o["repeat_of__number"],
                "resolved": o["status"] in (Status.RESOLVED.value, Status.CLOSED.value),
                "confirmed": o["confirmed"],
                "satisfaction": o["satisfaction"],
                "overcharge": overcharge,
                "refund": refund,
                "description": o["description"],
            }
        )
    return pa.Table.from_pylist(rows, schema=COMPLAINTS.schema)


def _others(store: EventStore, day: date) -> pa.Table:
    """Rows of the day's partition that are not work orders of ours."""
    files = store.files(COMPLAINTS.name, day)
    if not files:
        return COMPLAINTS.schema.empty_table()
    import pyarrow.dataset as ds

    table = ds.dataset([str(f) for f in files], schema=COMPLAINTS.schema).to_table()
    ours = pc.match_substring_regex(table["complaint_id"], OUR_IDS)
    return table.filter(pc.invert(pc.fill_null(ours, False)))


def export_days(store: EventStore, days: Iterable[date]) -> ExportRun:
    codes = load_reference_codes()
    chosen = tuple(sorted(set(days)))
    written = kept = rejected = 0
    for day in chosen:
        checked = validate_typed(snapshot(day), COMPLAINTS, codes)
        if checked.bad.num_rows:
            rejected += checked.bad.num_rows
            log.warning(
                "complaints export %s: %d rows refused: %s",
                day,
                checked.bad.num_rows,
                checked.bad.slice(0, 5).to_pylist(),
            )
        others = _others(store, day)
        store.replace_partition(COMPLAINTS, day, [others, checked.good])
        written += checked.good.num_rows
        kept += others.num_rows
    if chosen:
        record(
            None,
            "complaints.export",
            "event_source",
            COMPLAINTS.name,
            days=[d.isoformat() for d in chosen],
            rows=written,
        )
    return ExportRun(chosen, written, kept, rejected)


def days_changed_since(since: datetime) -> list[date]:
    """Local creation days of the work orders changed since ``since``."""
    return sorted(
        WorkOrder.objects.filter(updated_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_default_timezone()))
        .values_list("day", flat=True)
        .distinct()
    )


def all_days() -> list[date]:
    return sorted(
        WorkOrder.objects.annotate(
            day=TruncDate("created_at", tzinfo=timezone.get_default_timezone())
        )
        .values_list("day", flat=True)
        .distinct()
    )


def export_nightly(store: EventStore, now: datetime | None = None) -> ExportRun:
    return export_days(store, days_changed_since((now or timezone.now()) - NIGHTLY_LOOKBACK))
