"""Between SQM tracing cases and TMF656 ServiceProblem documents.

``problem(case, links)`` is what GET answers; ``Links`` carries what depends on the caller and
the request (the API's base URL, the TMF621 ticket URL, which cases and complaints the caller
may see), so a reference the caller could not open is never shown. Phone numbers never enter a
case; complaint references are numbers only.

Status: the five case stages map onto TMF656's status values (``STATUS``); the exact stage
travels as the ``stage`` extensionInfo entry, because two stages share ``inProgress``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqm.org.core.factors import FACTORS
from sqm.tracing.core.causes import ROOT_CAUSE_NAMES_ZH, RootCauseClass
from sqm.tracing.core.effect import IMPACT_RULE_EN, size_impact
from sqm.tracing.core.stages import STAGE_NAMES_ZH, Stage
from sqm.tracing.tmf.schemas import ProblemStatus

if TYPE_CHECKING:
    from sqm.lib.people import Person


RESOURCE = "serviceProblem"
EVENT_RECORD = "serviceProblemEventRecord"
SYSTEM = "SQM"

STATUS: dict[Stage, ProblemStatus] = {
    Stage.OPEN: ProblemStatus.ACKNOWLEDGED,
    Stage.INVESTIGATING: ProblemStatus.IN_PROGRESS,
    Stage.MEASURES_IN_PROGRESS: ProblemStatus.IN_PROGRESS,
    # The measures are done; what is left is proving their effect.
    Stage.EVALUATING: ProblemStatus.RESOLVED,
    Stage.CLOSED: ProblemStatus.CLOSED,
}
# TMF priority: 1 (most important) … 10. A case keeps the priority it was given; one without
# is ranked by how many complaints stand behind it (each stands for ~26 customers).
PRIORITY_STEPS = ((100, 1), (50, 2), (20, 3), (10, 4), (5, 5), (1, 6))
LOWEST_PRIORITY = 7
LEAD = "leadDepartment"
TEAM = "teamDepartment"
ORIGINATOR = "originator"
_FACTOR_NAMES = {f.code: f.name_zh for f in FACTORS}


class BadProblem(ValueError):
    """A body that is valid JSON of the right shape but not a case SQM can take."""


def href(base: str, kind: str, identifier: str) -> str:
    return f"{base.rstrip('/')}/{kind}/{identifier}"


@dataclass(frozen=True)
class Links:
    """What a document may show to this caller, and where its references point."""

    base: str  # this API's absolute base URL
    ticket_href: Callable[[str], str]  # a work order number → its TMF621 URL
    visible_cases: frozenset[int]  # pks of the cases the caller may see
    allows_branch: Callable[[str | None], bool]  # may the caller see a complaint of this branch


def problem_ref(case: Any, base: str) -> dict[str, Any]:
    return {
        "id": case.number,
        "href": href(base, RESOURCE, case.number),
        "@referredType": "ServiceProblem",
    }


def priority(complaints: int) -> int:
    for at_least, value in PRIORITY_STEPS:
        if complaints >= at_least:
            return value
    return LOWEST_PRIORITY


def _characteristic(name: str, value: Any, value_type: str) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        value = value.isoformat()
    return {"name": name, "value": value, "valueType": value_type}


def _department(department: Any, role: str) -> dict[str, Any]:
    return {
        "id": department.code,
        "name": department.name_zh,
        "role": role,
        "@referredType": "Organization",
    }


def _person(user: Person, role: str) -> dict[str, Any]:
    return {
        "id": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "role": role,
        "@referredType": "Individual",
    }


def _locations(case: Any) -> list[dict[str, Any]]:
    places = [
        {"id": b.code, "name": b.name_zh, "@type": "Branch", "@baseType": "Place"}
        for b in sorted(case.branches.all(), key=lambda b: (b.rank, b.code))
    ]
    if case.hall_id:
        places.append(
            {"id": case.hall.code, "name": case.hall.name_zh, "@type": "Hall", "@baseType": "Place"}
        )
    return places


def _services(case: Any) -> list[dict[str, Any]]:
    refs = []
    if case.affected_service:
        refs.append(
            {"id": case.affected_service, "name": case.affected_service, "@referredType": "Service"}
        )
    if case.affected_product:
        refs.append(
            {"id": case.affected_product, "name": case.affected_product, "@referredType": "Product"}
        )
    return refs


def _root_cause(case: Any) -> list[dict[str, Any]]:
    if not case.root_cause_class:
        return []
    cause = RootCauseClass(case.root_cause_class)
    ref = {"id": cause.value, "name": ROOT_CAUSE_NAMES_ZH[cause], "@referredType": "RootCause"}
    if case.root_cause_text:
        ref["value"] = case.root_cause_text
    return [ref]


def _tickets(links: list[Any], link_to: Links) -> list[dict[str, Any]]:
    refs = []
    for link in links:
        if not link_to.allows_branch(link.branch or None):
            continue
        if link.work_order_id:
            refs.append(
                {
                    "id": link.complaint_id,
                    "href": link_to.ticket_href(link.complaint_id),
                    "@referredType": "TroubleTicket",
                }
            )
        else:  # an ingested complaint of a touchpoint system: no ticket of ours to open
            refs.append({"id": link.complaint_id, "@referredType": "Complaint"})
    return refs


def _tracking(events: list[Any]) -> list[dict[str, Any]]:
    records = []
    for event in events:
        extra = [
            _characteristic("kind", event.kind, "string"),
            _characteristic("role", event.role, "string"),
            _characteristic("fromStage", event.from_stage, "string"),
            _characteristic("toStage", event.to_stage, "string"),
        ]
        record = {
            "id": str(event.pk),
            "description": event.note or event.get_kind_display(),
            "systemId": SYSTEM,
            "time": event.at,
            "extensionInfo": [row for row in extra if row is not None],
            "@type": "TrackingRecord",
        }
        if event.actor:
            record["user"] = event.actor
        records.append(record)
    return records


def _signals(signals: list[Any]) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    ordered = sorted(signals, key=lambda s: (s.start, s.pk))
    events = [
        {
            "id": str(s.pk),
            "eventType": s.kind,
            "eventTime": s.start,
            "@referredType": "Signal",
        }
        for s in ordered
    ]
    first = (
        {"id": str(ordered[0].pk), "name": ordered[0].kind, "@referredType": "Signal"}
        if ordered
        else None
    )
    return events, first


def _measures(measures: Iterable[Any]) -> list[dict[str, Any]]:
    return [
        {
            "title": m.title,
            "status": m.status,
            "deadline": m.deadline.isoformat() if m.deadline else None,
            "ownerDepartment": m.owner_department.code if m.owner_department_id else None,
            "owner": m.owner.get_username() if m.owner_id else None,
        }
        for m in measures
    ]


def _impact(links: list[Any]) -> tuple[dict[str, Any], int]:
    customers = len({link.customer_id for link in links if link.customer_id})
    impact = size_impact(len(links), min(customers, len(links)), None)
    pattern = {
        "description": IMPACT_RULE_EN,
        "extensionInfo": [
            {"name": "complaints", "value": impact.complaints, "valueType": "integer"},
            {"name": "customers", "value": impact.customers, "valueType": "integer"},
            {
                "name": "estimatedAffected",
                "value": impact.estimated_affected,
                "valueType": "integer",
            },
            {"name": "rule", "value": impact.rule_zh, "valueType": "string"},
        ],
        "@type": "ImpactPattern",
    }
    return pattern, impact.customers


def _last_stage_change(events: list[Any]) -> Any:
    changes = [e for e in events if e.to_stage]
    return changes[-1] if changes else None


def problem(case: Any, link_to: Links) -> dict[str, Any]:
    """The whole ServiceProblem for one case (related rows prefetched by the caller)."""
    events = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
    links = list(case.complaints.all())
    stage = Stage(case.stage)
    change = _last_stage_change(events)
    impact, customers = _impact(links)
    related_events, first_alert = _signals(list(case.signals.all()))
    parties = [
        _department(d, TEAM) for d in sorted(case.team_departments.all(), key=lambda d: d.code)
    ]
    children = sorted(
        (c for c in case.children.all() if c.pk in link_to.visible_cases),
        key=lambda c: c.number,
    )
    extension = [
        _characteristic("stage", stage.value, "string"),
        _characteristic("stageName", STAGE_NAMES_ZH[stage], "string"),
        _characteristic("title", case.title, "string"),
        _characteristic("factor", case.category, "string"),
        _characteristic("factorName", _FACTOR_NAMES.get(case.category), "string"),
        _characteristic("subcategory", case.subcategory, "string"),
        _characteristic(
            "interventionDate",
            case.intervention_date.isoformat() if case.intervention_date else None,
            "date",
        ),
        {"name": "measures", "value": _measures(case.measures.all()), "valueType": "array"},
        _characteristic("version", case.version, "integer"),
    ]
    document: dict[str, Any] = {
        "id": case.number,
        "href": href(link_to.base, RESOURCE, case.number),
        "@type": "ServiceProblem",
        "category": case.subcategory or case.category or None,
        "priority": case.priority or priority(len(links)),
        "description": case.description or case.title,
        "reason": case.root_cause_text or "Unknown",
        "status": STATUS[stage].value,
        "statusChangeDate": change.at if change else case.created_at,
        "statusChangeReason": (change.note or None) if change else None,
        "timeRaised": case.created_at,
        "timeChanged": max(case.updated_at, case.created_at),
        "resolutionDate": change.at if change and stage == Stage.CLOSED else None,
        "originatingSystem": SYSTEM,
        "affectedNumberOfServices": customers,
        "affectedLocation": _locations(case),
        "affectedService": _services(case),
        "rootCauseResource": _root_cause(case),
        "associatedTroubleTicket": _tickets(links, link_to),
        "parentProblem": (
            [problem_ref(case.parent, link_to.base)]
            if case.parent_id and case.parent_id in link_to.visible_cases
            else []
        ),
        "underlyingProblem": [problem_ref(c, link_to.base) for c in children],
        "originatorParty": (
            _person(case.created_by, ORIGINATOR)
            if case.created_by_id
            else {"id": SYSTEM, "role": ORIGINATOR, "@referredType": "System"}
        ),
        "responsibleParty": (
            _department(case.lead_department, LEAD) if case.lead_department_id else None
        ),
        "relatedParty": parties,
        "relatedEvent": related_events,
        "firstAlert": first_alert,
        "impactPatterns": impact,
        "comment": [
            {"id": str(e.pk), "author": e.actor or SYSTEM, "date": e.at, "text": e.note}
            for e in events
            if e.kind == "note" and e.note
        ],
        "trackingRecord": _tracking(events),
        "extensionInfo": [row for row in extension if row is not None],
    }
    return {k: v for k, v in document.items() if v is not None}
