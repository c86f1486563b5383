"""What the home page shows, gathered apart from the view so each part is testable alone."""

from __future__ import annotations

import json
import logging
from collections import deque
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet, Sum
from django.utils.dateparse import parse_datetime

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.org.models import Branch, Department, Hall
from sqm.org.scoping import scoped
from sqm.web.labels import source_label

if TYPE_CHECKING:
    from sqm.lib.people import Requester


log = logging.getLogger(__name__)

INGEST_LOG_NAME = "ingest_log.jsonl"
INGEST_RUNS_SHOWN = 10


def org_tree(user: Requester) -> QuerySet[Branch]:
    """The branches the user may see, each with its halls (``branch.hall_list``) and totals.

    Both querysets go through ``scoped``: the branch list and the halls under it are filtered by
    the same rule, so a manager never sees another branch's hall even if a future template walks
    ``hall.branch`` the other way.
    """
    halls = scoped(Hall.objects.order_by("code"), user)
    return (
        scoped(Branch.objects.all(), user, "code")
        .annotate(hall_count=Count("halls"), counter_total=Sum("halls__counters"))
        # Explicit: Django drops Meta.ordering from aggregating queries.
        .order_by("rank", "code")
        .prefetch_related(Prefetch("halls", queryset=halls, to_attr="hall_list"))
    )


def departments() -> QuerySet[Department]:
    # Province departments are not branch data: every role sees the same list (认责 owners).
    return Department.objects.filter(active=True)


@dataclass(frozen=True, slots=True)
class LoadedSource:
    name: str
    label: str
    rows: int
    days: int
    first_day: date | None
    last_day: date | None


def loaded_sources(data_dir: Path) -> list[LoadedSource]:
    """Row and day counts per event source, read from Parquet footers (no data is scanned).

    These are shown to every role, branch managers included: a count of rows per source says how
    much the province has loaded, not what any branch's customers did.
    """
    store = EventStore(data_dir)
    found = []
    for name, source in SOURCES.items():
        summary = store.summary(name)
        found.append(
            LoadedSource(
                name=name,
                label=source_label(source.description_zh),
                rows=summary.rows,
                days=summary.days,
                first_day=summary.first_day,
                last_day=summary.last_day,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class IngestRun:
    file: str
    source: str
    label: str
    accepted: int
    quarantined: int
    duplicates: int
    at: datetime | None
    sha256: str


def _when(entry: dict[str, Any]) -> datetime | None:
    # The agreed key is "at"; early ingest builds wrote "time". Accept both rather than show "—".
    stamp = entry.get("at") or entry.get("time")
    return parse_datetime(str(stamp)) if stamp else None


def ingest_runs(data_dir: Path, limit: int = INGEST_RUNS_SHOWN) -> list[IngestRun]:
    """The last ``limit`` ingest runs, newest first, from the log the ingest command appends to.

    Lines that do not parse are skipped, not fatal: the ingest may be writing the last line
    while this reads it. Counts per file are shown to every role, like the source counts.
    """
    path = data_dir / INGEST_LOG_NAME
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", errors="replace") as handle:
        tail = deque(handle, maxlen=limit)
    runs = []
    for line in reversed(tail):
        try:
            entry = json.loads(line)
            source = str(entry.get("source", ""))
            spec = SOURCES.get(source)
            runs.append(
                IngestRun(
                    # Only the file's name: the server's folders are nobody's business.
                    file=Path(str(entry.get("file", ""))).name,
                    source=source,
                    label=source_label(spec.description_zh) if spec else source,
                    accepted=int(entry.get("accepted", 0)),
                    quarantined=int(entry.get("quarantined", 0)),
                    duplicates=int(entry.get("duplicates", 0)),
                    at=_when(entry),
                    sha256=str(entry.get("sha256", ""))[:12],
                )
            )
        except (ValueError, TypeError, AttributeError, KeyError):
            log.warning("skipping an unreadable line of %s", path)
    return runs
