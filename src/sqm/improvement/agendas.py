"""The meeting's agenda from the records: red indicators, signals, cases and action items read
through the other apps' service faces, assembled by ``core.agenda``.

A service meeting is the province's: its agenda shows every branch's red figures and cases,
so it is built with the province's view (``province_reader``) and shown only to the roles
that may see meetings (``access.MEETINGS``).
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction

from sqm.complaints.services import working_calendar
from sqm.improvement.core import agenda as core
from sqm.improvement.core.actions import PENDING
from sqm.improvement.core.deadlines import due_at
from sqm.improvement.models import ActionItem, AgendaItem, Meeting
from sqm.indicators import services as indicators
from sqm.org.models import Branch
from sqm.tracing import services as tracing
from sqm.tracing.core.signals import SignalStatus
from sqm.tracing.core.stages import Stage

if TYPE_CHECKING:
    from sqm.lib.people import Requester


SERIES_GAP = timedelta(days=14)  # twice a month: what "due this period" looks ahead to
MAX_SIGNALS = 10  # the strongest new signals; the rest are triage work, not a meeting's
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def province_reader() -> Any:
    """An unsaved administrator: reads through the other apps' faces with the province's view
    (the CLI has no signed-in user). It is never saved and never writes."""
    return get_user_model()(username="sqm-agenda", is_superuser=True, is_active=True)


def red_month(day: date) -> str | None:
    """The month whose red figures a meeting on ``day`` discusses: the newest month with
    results before the meeting's own month (the running month is not complete)."""
    own = f"{day:%Y-%m}"
    months = [p for p in indicators.periods() if _MONTH.match(p)]
    earlier = [p for p in months if p < own]
    return earlier[0] if earlier else (months[0] if months else None)


def previous_meeting(day: date, series_id: int | None = None) -> Meeting | None:
    meetings = Meeting.objects.filter(date__lt=day)
    if series_id is not None:
        meetings = meetings.filter(series_id=series_id)
    return meetings.order_by("-date", "-id").first()


def next_meeting_day(day: date, series_id: int | None = None) -> date:
    meetings = Meeting.objects.filter(date__gt=day)
    if series_id is not None:
        meetings = meetings.filter(series_id=series_id)
    found = meetings.order_by("date").values_list("date", flat=True).first()
    return found or day + SERIES_GAP


def _branch_of(case: Any) -> str | None:
    codes = sorted(b.code for b in case.branches.all())
    return ",".join(codes) or None


def _signal_title(signal: Any) -> str:
    place = signal.subcategory or signal.category or signal.indicator or signal.product or ""
    return " · ".join(part for part in (signal.get_kind_display(), place) if part)


def _signal_department(signal: Any) -> str | None:
    if not signal.indicator:
        return None
    try:
        return indicators.accountable_department(signal.indicator)
    except KeyError:
        return None


def action_topic(item: ActionItem) -> core.Topic:
    return core.Topic(
        key=f"action:{item.pk}",
        title=f"{item.number} {item.title}",
        ref=str(item.pk),
        branch=item.branch.code if item.branch else None,
        department=item.owner_department.code,
        indicator=item.indicator or None,
        due=item.deadline,
    )


def build(
    day: date, *, series_id: int | None = None, reader: Requester | None = None
) -> list[core.Entry]:
    """The automatic agenda of a meeting on ``day``."""
    reader = reader or province_reader()
    last = previous_meeting(day, series_id)
    carried: list[core.Topic] = []
    if last is not None:
        for item in last.agenda.filter(resolved=False, removed=False):
            carried.append(
                core.Topic(
                    key=item.key,
                    title=item.title,
                    ref=item.ref,
                    branch=item.branch or None,
                    department=item.department or None,
                    indicator=item.indicator or None,
                    due=item.due,
                )
            )
    month = red_month(day)
    names = {b.code: b.name_zh for b in Branch.objects.all()}
    reds = [
        core.Red(m.indicator, m.name, m.branch, m.department, names.get(m.branch or "", ""))
        for m in (indicators.missed_targets(month) if month else [])
    ]
    signals = [
        core.Topic(
            key=f"signal:{s.pk}",
            title=_signal_title(s),
            ref=str(s.pk),
            branch=s.branch,
            department=_signal_department(s),
            indicator=s.indicator,
        )
        for s in tracing.visible_signals(reader)
        .filter(status=SignalStatus.NEW.value)
        .order_by("-score", "pk")[:MAX_SIGNALS]
    ]
    cases = [
        core.Topic(
            key=f"case:{c.number}",
            title=f"{c.number} {c.title}",
            ref=c.number,
            branch=_branch_of(c),
            department=c.lead_department.code if c.lead_department else None,
        )
        for c in tracing.visible_cases(reader)
        .exclude(stage=Stage.CLOSED.value)
        .select_related("lead_department")
        .prefetch_related("branches")
        .order_by("created_at", "pk")
    ]
    start = datetime.combine(day, time(0), tzinfo=working_calendar(None).tz)
    pending = ActionItem.objects.filter(status__in=[s.value for s in PENDING]).select_related(
        "owner_department", "branch"
    )
    overdue = {
        f"action:{a.pk}"
        for a in pending
        if due_at(working_calendar(a.branch_id), a.deadline) <= start
    }
    actions = core.actions_for_agenda(
        [action_topic(a) for a in pending], overdue, day, next_meeting_day(day, series_id)
    )
    return core.build(
        carried_over=carried, reds=reds, signals=signals, cases=cases, actions=actions
    )


def stored_entries(meeting: Meeting) -> list[core.Entry]:
    return [_entry(item) for item in meeting.agenda.filter(removed=False)]


def _entry(item: AgendaItem) -> core.Entry:
    return core.Entry(
        kind=core.Kind(item.kind),
        key=item.key,
        title=item.title,
        indicator=item.indicator or None,
        branch=item.branch or None,
        department=item.department or None,
        due=item.due,
        ref=item.ref,
    )


def current(meeting: Meeting, reader: Requester | None = None) -> list[core.Entry]:
    """The meeting's agenda as it stands: the stored one (the secretary's order, additions and
    removals) brought up to date with what the records say now, without writing."""
    removed = meeting.agenda.filter(removed=True).values_list("key", flat=True)
    if meeting.held:
        return stored_entries(meeting)
    built = build(meeting.date, series_id=meeting.series_id, reader=reader)
    return core.merge(stored_entries(meeting), built, removed)


def refresh(meeting: Meeting, reader: Requester | None = None) -> list[AgendaItem]:
    """Store ``current(meeting)``: new subjects appended, texts refreshed, positions renumbered.
    A held meeting's agenda is its record and is not rebuilt."""
    entries = current(meeting, reader)
    with transaction.atomic():
        existing = {i.key: i for i in meeting.agenda.select_for_update()}
        for position, entry in enumerate(entries, start=1):
            item = existing.get(entry.key) or AgendaItem(meeting=meeting, key=entry.key)
            item.position = position
            item.kind = entry.kind.value
            item.title = entry.title[:240]
            item.indicator = entry.indicator or ""
            item.branch = entry.branch or ""
            item.department = entry.department or ""
            item.due = entry.due
            item.ref = entry.ref
            item.save()
    return list(meeting.agenda.filter(removed=False))


def as_json(day: date, entries: list[core.Entry]) -> dict[str, Any]:
    """The CLI's shape: ``{"date", "items": [{kind, indicator, branch, department, title,
    due}]}`` — the secretary's own topics (``added``) are the meeting's, not the records'."""
    return {
        "date": day.isoformat(),
        "items": [
            {
                "kind": e.kind.value,
                "indicator": e.indicator,
                "branch": e.branch,
                "department": e.department,
                "title": e.title,
                "due": e.due.isoformat() if e.due else None,
            }
            for e in entries
            if e.kind != core.Kind.ADDED
        ],
    }
