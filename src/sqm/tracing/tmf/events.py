"""TMF656 events: every step of a case's timeline (``CaseEvent``) is a
``serviceProblemEventRecord`` and, once committed, an event POSTed to the hub's listeners —
whichever way the step was taken (this API, the web pages, the CLI).

``created`` is a ServiceProblemCreateEvent, a stage step a ServiceProblemStateChangeEvent,
anything else a ServiceProblemAttributeValueChangeEvent whose ``fieldPath`` names the
attributes that changed. A request that records several steps of one case (a POST that also
links tickets) notifies once per event type: the create event carries the whole problem.
"""

from __future__ import annotations

import threading
from typing import Any

from django.db.models.signals import post_save

from sqm.tmf import hub
from sqm.tracing.models import CaseEvent, TracingCase
from sqm.tracing.tmf.documents import problem_for
from sqm.tracing.tmf.mapping import EVENT_RECORD, href, problem_ref

API = "serviceProblemManagement/v4"
DOMAIN = "serviceProblemManagement"
CREATE = "ServiceProblemCreateEvent"
STATE_CHANGE = "ServiceProblemStateChangeEvent"
ATTRIBUTE_CHANGE = "ServiceProblemAttributeValueChangeEvent"
INFORMATION_REQUIRED = "ServiceProblemInformationRequiredEvent"
EVENT_TYPES = (CREATE, STATE_CHANGE, ATTRIBUTE_CHANGE, INFORMATION_REQUIRED)
Kind = CaseEvent.Kind

FIELD_PATHS = {
    Kind.ROOT_CAUSE: "rootCauseResource,reason,responsibleParty,relatedParty",
    Kind.SIGNAL_LINKED: "relatedEvent,associatedTroubleTicket",
    Kind.COMPLAINT_ADDED: "associatedTroubleTicket",
    Kind.COMPLAINT_REMOVED: "associatedTroubleTicket",
    Kind.MEASURE_ADDED: "extensionInfo",
    Kind.MEASURE_UPDATED: "extensionInfo",
    Kind.GROUPED: "parentProblem,underlyingProblem",
    Kind.UNGROUPED: "parentProblem,underlyingProblem",
    Kind.NOTE: "comment",
}
# update_case names the case fields it changed; these are their TMF attributes.
UPDATED_FIELDS = {
    "title": "extensionInfo",
    "description": "description",
    "affected_service": "affectedService",
    "affected_product": "affectedService",
    "category": "category",
    "subcategory": "category",
    "intervention_date": "extensionInfo",
    "branches": "affectedLocation",
    "hall": "affectedLocation",
    "lead_department": "responsibleParty",
    "team": "relatedParty",
}


def event_type(kind: str) -> str:
    if kind == Kind.CREATED:
        return CREATE
    if kind == Kind.STAGE:
        return STATE_CHANGE
    return ATTRIBUTE_CHANGE


def field_path(event: CaseEvent) -> str | None:
    if event.kind in (Kind.CREATED, Kind.STAGE):
        return None
    if event.kind == Kind.UPDATED:
        names = [n.strip() for n in event.note.split(",")]
        paths = dict.fromkeys(UPDATED_FIELDS[n] for n in names if n in UPDATED_FIELDS)
        return ",".join(paths) or "relatedEvent,associatedTroubleTicket"
    return FIELD_PATHS.get(Kind(event.kind), "extensionInfo")


def _header(event: CaseEvent, base: str) -> dict[str, Any]:
    kind = event_type(event.kind)
    header: dict[str, Any] = {
        "eventId": str(event.pk),
        "eventTime": event.at,
        "eventType": kind,
        "correlationId": event.case.number,
        "domain": DOMAIN,
        "title": event.get_kind_display(),
        "description": event.note or event.get_kind_display(),
        "timeOcurred": event.at,
    }
    if kind in (CREATE, STATE_CHANGE):  # only these two event shapes carry id and href
        header["id"] = str(event.pk)
        header["href"] = href(base, EVENT_RECORD, str(event.pk))
    path = field_path(event)
    if path:
        header["fieldPath"] = path
    return header


def notification(event: CaseEvent, problem: dict[str, Any], base: str) -> dict[str, Any]:
    """The event a listener receives: the header and the whole problem as the owner sees it."""
    body = _header(event, base)
    if "priority" in problem:
        body["priority"] = str(problem["priority"])
    body["event"] = {"serviceProblem": problem}
    return body


def record(event: CaseEvent, base: str) -> dict[str, Any]:
    """A ``ServiceProblemEventRecord``: the step and a reference to its problem (the problem
    itself is one GET away, as the caller may see it now)."""
    ref = problem_ref(event.case, base)
    notice = _header(event, base)
    notice["event"] = {"serviceProblem": ref}
    return {
        "id": str(event.pk),
        "href": href(base, EVENT_RECORD, str(event.pk)),
        "@type": "ServiceProblemEventRecord",
        "eventTime": event.at,
        "eventType": notice["eventType"],
        "recordTime": event.at,
        "notification": notice,
        "serviceProblem": ref,
    }


# What this thread has delivered for each case at its current version: one flush after a
# commit may hold several steps of one case, and a listener hears of each type once. Only the
# latest cases matter, so the memory is bounded.
_sent = threading.local()
REMEMBERED_CASES = 256


def _first_of_its_kind(case: TracingCase, kind: str) -> bool:
    sent: dict[int, tuple[int, set[str]]] = getattr(_sent, "cases", None) or {}
    _sent.cases = sent
    version, kinds = sent.get(case.pk, (-1, set()))
    if version != case.version:
        kinds = set()
    if CREATE in kinds or kind in kinds:
        return False
    kinds.add(kind)
    if len(sent) >= REMEMBERED_CASES and case.pk not in sent:
        sent.clear()
    sent[case.pk] = (case.version, kinds)
    return True


def _deliver_after_commit(event_pk: int) -> None:
    event = CaseEvent.objects.select_related("case").filter(pk=event_pk).first()
    if event is None:  # the case was deleted in the same transaction
        return
    kind = event_type(event.kind)
    if not _first_of_its_kind(event.case, kind):
        return
    number = event.case.number

    def event_for(owner: Any, base: str) -> dict[str, Any] | None:
        document = problem_for(owner, base, number)
        return None if document is None else notification(event, document, base)

    hub.deliver_now(API, kind, EVENT_TYPES, event_for)


def _on_case_event(sender: Any, instance: CaseEvent, created: bool, raw: bool, **_: Any) -> None:
    if created and not raw:
        hub.after_commit(lambda: _deliver_after_commit(instance.pk))


def connect() -> None:
    """Called once from the tracing app's ``ready``."""
    post_save.connect(_on_case_event, sender=CaseEvent, dispatch_uid="tmf656-events")
