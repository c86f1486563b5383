"""What a TMF656 POST, PATCH, DELETE or task does, in terms of the tracing services.

The API module calls these inside one transaction, so a request that fails half-way (a stage
the rule refuses, a ticket the caller may not see) changes nothing. Every change goes through
``sqm.tracing.services``; this module only translates the TMF document into those calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqm.org.core.factors import FACTOR_CODES
from sqm.org.scoping import scope_of
from sqm.tmf.conventions import expected_version
from sqm.tmf.errors import TmfError, illegal_transition
from sqm.tracing import services
from sqm.tracing.core.causes import RootCauseClass
from sqm.tracing.core.stages import Stage, allowed_stages
from sqm.tracing.models import TracingCase
from sqm.tracing.tmf.mapping import LEAD, STATUS, TEAM, BadProblem
from sqm.tracing.tmf.schemas import (
    Characteristic,
    PlaceIn,
    ProblemStatus,
    RelatedPartyIn,
    ResourceRefIn,
    ServiceProblemCreate,
    ServiceProblemUpdate,
    ServiceRefIn,
)

if TYPE_CHECKING:
    from sqm.lib.people import Person


UNKNOWN_REASON = "unknown"
HALL = "Hall"
PRODUCT = "Product"
# extensionInfo entries a client may send (anything else is refused, never dropped).
EXTENSIONS_CREATE = frozenset({"title", "interventionDate"})
EXTENSIONS_UPDATE = EXTENSIONS_CREATE | {"stage", "version"}


def _extensions(rows: list[Characteristic] | None, allowed: frozenset[str]) -> dict[str, Any]:
    values = {row.name: row.value for row in rows or ()}
    unknown = sorted(set(values) - allowed)
    if unknown:
        raise BadProblem(
            f"extensionInfo {unknown} is not something SQM keeps; allowed: {sorted(allowed)}"
        )
    return values


def category_fields(value: str) -> dict[str, Any]:
    """``bills`` (a perception factor) or ``bills.overcharge`` (a complaint category)."""
    factor = value.split(".", 1)[0]
    if factor not in FACTOR_CODES:
        raise BadProblem(
            f"category {value!r}: name a perception factor ({', '.join(sorted(FACTOR_CODES))}) "
            "or a complaint category such as bills.overcharge"
        )
    return {"category": factor, "subcategory": value if "." in value else ""}


def _places(rows: list[PlaceIn]) -> tuple[list[str], str]:
    branches = [r.id for r in rows if (r.type_ or "Branch") != HALL]
    halls = [r.id for r in rows if r.type_ == HALL]
    if len(halls) > 1:
        raise BadProblem("a case sits in at most one hall")
    return branches, halls[0] if halls else ""


def _default_branches(user: Person) -> list[str]:
    """A branch user's case is on their branch unless they say otherwise."""
    scope = scope_of(user)
    return sorted(scope.branches) if scope.branches else []


def _services(rows: list[ServiceRefIn]) -> dict[str, Any]:
    products = [r.id for r in rows if r.referred_type == PRODUCT]
    others = [r.id for r in rows if r.referred_type != PRODUCT]
    if len(products) > 1 or len(others) > 1:
        raise BadProblem("affectedService holds at most one Service and one Product")
    return {
        "affected_service": others[0] if others else "",
        "affected_product": products[0] if products else "",
    }


def _departments(
    responsible: RelatedPartyIn | None, related: list[RelatedPartyIn] | None
) -> tuple[str | None, list[str] | None]:
    """The lead department (``responsibleParty`` or a ``leadDepartment`` party) and the team
    (``teamDepartment`` parties). Other parties are SQM's own record (originator) and refused."""
    lead = responsible.id if responsible is not None else None
    team: list[str] | None = None
    if related is not None:
        team = []
        for party in related:
            if party.role == LEAD:
                lead = party.id
            elif party.role == TEAM:
                team.append(party.id)
            elif party.role != "originator":
                raise BadProblem(
                    f"relatedParty role {party.role!r}: SQM keeps departments as "
                    f"{LEAD!r} or {TEAM!r} (the originator is the signed-in user)"
                )
    return lead, team


def _cause(
    rows: list[ResourceRefIn] | None, reason: str | None, case: TracingCase | None
) -> tuple[str, str] | None:
    """The root cause to set, if the request names one: (class, text)."""
    text = (reason or "").strip()
    if text.lower() == UNKNOWN_REASON:
        text = ""
    if not rows and not text:
        return None
    cause = rows[0].id if rows else (case.root_cause_class if case else "")
    if not cause:
        raise BadProblem(
            "a reason needs its root-cause class: rootCauseResource[0].id, one of "
            f"{', '.join(c.value for c in RootCauseClass)} (or send reason 'Unknown')"
        )
    text = text or (rows[0].value or "" if rows else "") or (case.root_cause_text if case else "")
    if not text:
        raise BadProblem("name the cause in reason (or rootCauseResource[0].value)")
    return cause, text


def _title(description: str, extensions: dict[str, Any]) -> str:
    title = extensions.get("title")
    if title is not None and not isinstance(title, str):
        raise BadProblem("extensionInfo title must be a string")
    return (title or description.strip().splitlines()[0])[:200]


def create_from(user: Person, payload: ServiceProblemCreate) -> TracingCase:
    """POST: a new case opened by the caller (the caller's transaction)."""
    extensions = _extensions(payload.extension_info, EXTENSIONS_CREATE)
    if payload.status not in (None, ProblemStatus.SUBMITTED, ProblemStatus.ACKNOWLEDGED):
        raise BadProblem("a new service problem starts as submitted (SQM: acknowledged, open)")
    branches, hall = _places(payload.affected_location)
    lead, team = _departments(payload.responsible_party, payload.related_party)
    cause = _cause(payload.root_cause_resource, payload.reason, None)
    case = services.open_case(
        user,
        title=_title(payload.description, extensions),
        description=payload.description,
        branches=branches or _default_branches(user),
        hall=hall or None,
        lead_department=lead,
        team=team or (),
        **category_fields(payload.category),
        **_services(payload.affected_service),
    )
    if "interventionDate" in extensions:
        services.update_case(user, case.number, intervention_date=extensions["interventionDate"])
    services.update_case(user, case.number, priority=payload.priority)
    if cause is not None:
        services.set_root_cause(user, case.number, cause[0], cause[1])
    tickets = [t.id for t in payload.associated_trouble_ticket]
    if tickets:
        services.add_complaints(user, case.number, tickets)
    for note in payload.comment:
        services.add_note(user, case.number, note.text)
    named = payload.originator_party
    if named.id != user.get_username():
        # SQM's originator is the signed-in caller; the party a system named stays on record.
        who = f"{named.id} ({named.name})" if named.name else named.id
        services.add_note(user, case.number, f"originatorParty: {who}")
    if payload.parent_problem:
        services.group(user, payload.parent_problem[0].id, [case.number])
    return TracingCase.objects.get(pk=case.pk)


def target_stage(current: Stage, status: ProblemStatus | None, stage: Any) -> Stage | None:
    """The stage a PATCH asks for: the ``stage`` extension names it exactly; a status picks
    the stage it maps to that the rule allows from here (``inProgress`` from ``open`` is
    investigating, from ``evaluating`` back to measures, from ``closed`` a reopening)."""
    if stage is not None:
        try:
            return Stage(str(stage))
        except ValueError:
            names = ", ".join(s.value for s in Stage)
            raise BadProblem(f"unknown stage {stage!r}; stages: {names}") from None
    if status is None or STATUS[current] == status:
        return None
    candidates = [s for s in allowed_stages(current) if STATUS[s] == status]
    if not candidates:
        reachable = sorted({STATUS[s].value for s in allowed_stages(current)})
        raise illegal_transition(
            f"a problem in status {STATUS[current].value} (stage {current.value}) cannot "
            f"become {status.value}; it can become: {', '.join(reachable)}"
        )
    return candidates[0]


def _tickets(user: Person, case: TracingCase, wanted: list[str]) -> None:
    """The linked complaints become ``wanted``; links the caller cannot see are kept."""
    scope = scope_of(user)
    have = {
        link.complaint_id
        for link in case.complaints.all()
        if scope.allows_branch(link.branch or None)
    }
    missing = [t for t in dict.fromkeys(wanted) if t not in have]
    if missing:
        services.add_complaints(user, case.number, missing)
    for gone in sorted(have - set(wanted)):
        services.remove_complaint(user, case.number, gone)


def apply_update(
    user: Person, number: str, payload: ServiceProblemUpdate, if_match: str | None
) -> TracingCase:
    """PATCH: the changes in the order that keeps combined requests sensible — the case's
    fields, the root cause, tickets and comments, the group, and the stage step last."""
    extensions = _extensions(payload.extension_info, EXTENSIONS_UPDATE)
    expected = expected_version(if_match, extensions.get("version"))
    case = services.visible_cases(user).select_for_update().get(number=number)
    if not services.can_write(user):
        raise TmfError(403, "your role may read service problems, not change them")
    if expected is not None and case.version != expected:
        raise TmfError(
            409,
            f"service problem {number} is at version {case.version}, not {expected}",
            "VERSION_CONFLICT",
        )
    fields: dict[str, Any] = {}
    if payload.priority is not None:
        fields["priority"] = payload.priority
    if payload.description is not None:
        fields["description"] = payload.description
    if "title" in extensions:
        fields["title"] = _title("", extensions)
    if "interventionDate" in extensions:
        fields["intervention_date"] = extensions["interventionDate"] or None
    if payload.category is not None:
        fields.update(category_fields(payload.category))
    if payload.affected_service is not None:
        fields.update(_services(payload.affected_service))
    places: dict[str, Any] = {}
    if payload.affected_location is not None:
        branches, hall = _places(payload.affected_location)
        places = {"branches": branches, "hall": hall}
    lead, team = _departments(payload.responsible_party, payload.related_party)
    if lead is not None:
        places["lead_department"] = lead
    if team is not None:
        places["team"] = team
    if fields or places:
        services.update_case(user, number, **places, **fields)
    cause = _cause(payload.root_cause_resource, payload.reason, case)
    if cause is not None and cause != (case.root_cause_class, case.root_cause_text):
        services.set_root_cause(user, number, cause[0], cause[1])
    if payload.associated_trouble_ticket is not None:
        _tickets(user, case, [t.id for t in payload.associated_trouble_ticket])
    for note in payload.comment or ():
        if note.id is None:
            services.add_note(user, number, note.text)
    if payload.parent_problem is not None:
        _regroup(user, case, [p.id for p in payload.parent_problem])
    target = target_stage(Stage(case.stage), payload.status, extensions.get("stage"))
    if target is not None and target != Stage(case.stage):
        services.move_stage(user, number, target.value, payload.status_change_reason or "")
    return TracingCase.objects.get(pk=case.pk)


def _regroup(user: Person, case: TracingCase, parents: list[str]) -> None:
    current = case.parent.number if case.parent is not None else None
    wanted = parents[0] if parents else None
    if wanted == current:
        return
    if current is not None:
        services.ungroup(user, [case.number])
    if wanted is not None:
        services.group(user, wanted, [case.number])


def ungroup(user: Person, parent: str, children: list[str]) -> None:
    """problemUngroup: every child must be in ``parent``'s group."""
    cases = {c.number: c for c in services.visible_cases(user).filter(number__in=children)}
    for number in children:
        child = cases.get(number)
        if child is None:
            raise TmfError(404, f"no service problem {number}")
        if child.parent is None or child.parent.number != parent:
            raise BadProblem(f"service problem {number} is not in {parent}'s group")
    services.ungroup(user, children)
