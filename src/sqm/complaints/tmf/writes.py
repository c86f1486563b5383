"""What a TMF621 POST or PATCH does, in terms of the service layer.

The API module calls these inside one transaction; every change goes through
``sqm.complaints.services`` except reclassifying the severity, which the services do not offer
and which lives here (``change_severity``) on the services' own lock/commit helpers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from sqm.complaints import services
from sqm.complaints.access import home_branch_code
from sqm.complaints.core import clocks
from sqm.complaints.core.categories import Severity
from sqm.complaints.core.escalation import Level
from sqm.complaints.core.states import TERMINAL_STATUSES, Status, action_for, from_tmf_status
from sqm.complaints.models import WorkOrder
from sqm.complaints.tmf import mapping
from sqm.complaints.tmf.schemas import PartyRole, TroubleTicketCreate, TroubleTicketUpdate
from sqm.complaints.workdays import calendars
from sqm.complaints.workflow.guard import commit, locked, require_writer
from sqm.org.core.masking import mask_phones_in_text
from sqm.org.scoping import scope_of
from sqm.tmf.conventions import expected_version

if TYPE_CHECKING:
    from sqm.lib.people import Person


API_REASON = "TMF621 API"
# Characteristics a PATCH acts on; any other may be sent back only as it is.
WRITABLE = ("level", "department", "version", "confirmed", "satisfaction")
CLOSING = ("confirmed", "satisfaction")


class BadRequest(ValueError):
    """A request the API refuses before the services see it (400)."""


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise BadRequest(f"characteristic {name!r} must be true or false")


def _integer(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise BadRequest(f"characteristic {name!r} must be an integer")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"characteristic {name!r} must be an integer") from None


def _default_branch(user: Person) -> str:
    scope = scope_of(user)
    if scope.branches and len(scope.branches) == 1:
        return next(iter(scope.branches))
    home = home_branch_code(user)
    if home:
        return home
    raise BadRequest("the 'branch' characteristic is required (a branch code such as NJ)")


def create_from(user: Person, payload: TroubleTicketCreate) -> WorkOrder:
    """POST: a new work order owned by the caller, with the notes sent along."""
    require_writer(user)
    kwargs = mapping.intake_kwargs(payload)
    if kwargs["branch"] is None:
        kwargs["branch"] = _default_branch(user)
    with transaction.atomic():
        work_order = services.create_work_order(user, **kwargs)
        for note in payload.note:
            services.add_note(user, work_order.number, note.text)
    return work_order


@transaction.atomic
def change_severity(actor: Person, number: str, severity: Severity | str) -> WorkOrder:
    """Reclassify: the resolution budget depends on severity, so the deadline and its warning
    moment are replayed from the status history under the new severity. A breach already
    recorded stays recorded unless the new deadline is still ahead."""
    work_order = locked(actor, number)
    try:
        chosen = Severity(severity)
    except ValueError:
        raise BadRequest(f"unknown severity {severity!r}") from None
    before = work_order.severity
    if chosen.value == before:
        return work_order
    work_order.severity = chosen.value
    clock = calendars.resolution_clock_of(work_order)
    work_order.resolution_due = clocks.deadline(clock)
    work_order.resolution_warn_at = clocks.warning_at(clock)
    now = timezone.now()
    if work_order.resolved_at is None:
        if work_order.resolution_warn_at > now:
            work_order.resolution_warned_at = None
        if work_order.resolution_due > now:
            work_order.resolution_breached_at = None
    return commit(actor, work_order, "severity", severity=chosen.value, previous=before)


def _assignee(username: str) -> Any:
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise BadRequest(f"no active user {username!r} to assign")
    return user


def _status_step(
    user: Person, number: str, target_tmf: str, reason: str, values: dict[str, Any]
) -> None:
    work_order = WorkOrder.objects.get(number=number)
    current = Status(work_order.status)
    target = from_tmf_status(target_tmf)
    if target == current:
        return
    if current == Status.RESOLVED and target == Status.CLOSED:
        if values.get("confirmed") is None:
            raise BadRequest(
                "closing needs the 'confirmed' characteristic (true: the customer confirmed, "
                "with 'satisfaction' 1-5; false: not reachable, with the attempts in "
                "statusChangeReason)"
            )
        services.confirm_closure(
            user,
            number,
            satisfaction=_integer(values.get("satisfaction"), "satisfaction"),
            confirmed=_flag(values["confirmed"], "confirmed"),
            note=reason,
        )
        return
    services.transition(user, number, action_for(current, target), note=reason)


def _level_step(user: Person, work_order: WorkOrder, level: Any, reason: str) -> None:
    if level is None or level == work_order.level:
        return
    why = reason or API_REASON
    if level == Level.ESCALATED.value:
        services.escalate(user, work_order.number, reason=why)
    elif level == Level.APPEAL.value:
        services.appeal(user, work_order.number, reason=why)
    else:
        raise BadRequest(f"level can be raised to 'escalated' or 'appeal', not {level!r}")


def _same(sent: Any, current: Any) -> bool:
    if isinstance(sent, bool) or isinstance(current, bool):
        return type(sent) is type(current) and sent == current
    return sent == current or str(sent) == str(current)


def _refuse_what_cannot_change(
    work_order: WorkOrder, payload: TroubleTicketUpdate, values: dict[str, Any]
) -> None:
    """What a PATCH names but SQM would not act on is refused by name (400), never answered
    200 with nothing done. Values sent back as they are (a client echoing the ticket) pass."""
    current = mapping.current_characteristics(work_order)
    closing = payload.status == "closed"
    for name, value in values.items():
        acted_on = name in WRITABLE and (closing or name not in CLOSING)
        if not acted_on and not _same(value, current.get(name)):
            if name in CLOSING:
                raise BadRequest(
                    f"characteristic {name!r} is recorded when closing (status closed)"
                )
            raise BadRequest(f"characteristic {name!r} cannot be changed through the API")
    rows = payload.related_party
    if rows is not None:
        fixed = {
            PartyRole.CUSTOMER.value: work_order.customer_id,
            PartyRole.FIRST_ASK_OWNER.value: work_order.owner.get_username(),
        }
        for row in rows:
            if row.role == PartyRole.ASSIGNEE.value:
                continue
            if row.role not in fixed or str(row.party_or_party_role.id) != fixed[row.role]:
                raise BadRequest(
                    f"relatedParty role {row.role!r} cannot be changed; only the assignee can"
                )
        if work_order.assignee_id and not mapping.party(rows, PartyRole.ASSIGNEE.value):
            raise BadRequest("the assignee cannot be removed, only replaced")
    stored = {str(n.pk): n.text for n in work_order.notes.all()}
    for note in payload.note or ():
        if note.id is None:
            continue
        if note.id not in stored:
            raise BadRequest(
                f"note {note.id} is not a note of this ticket; send a new note without an id"
            )
        if note.text not in (stored[note.id], mask_phones_in_text(stored[note.id])):
            raise BadRequest(f"note {note.id} cannot be edited; add a new note instead")


def apply_update(
    user: Person, number: str, payload: TroubleTicketUpdate, if_match: str | None
) -> WorkOrder:
    """PATCH, in an order that makes combined requests sensible: reclassify, then the status
    step (unless it ends the work order), level, transfer, assignment and notes, and a closing
    or cancelling step last. The caller wraps it in one transaction."""
    values = mapping.characteristics(payload.trouble_ticket_characteristic)
    expected = expected_version(if_match, values.get("version"))
    work_order = locked(user, number, expected)
    _refuse_what_cannot_change(work_order, payload, values)
    reason = (payload.status_change_reason or "").strip()
    if payload.severity is not None:
        change_severity(user, number, payload.severity)
    ending = payload.status is not None and from_tmf_status(payload.status) in TERMINAL_STATUSES
    if payload.status is not None and not ending:
        _status_step(user, number, payload.status, reason, values)
    work_order.refresh_from_db()
    _level_step(user, work_order, values.get("level"), reason)
    department = values.get("department")
    if department and (work_order.department is None or work_order.department.code != department):
        services.transfer(user, number, to_department=str(department), reason=reason or API_REASON)
    assignee = mapping.party(payload.related_party, PartyRole.ASSIGNEE.value)
    if assignee:
        work_order.refresh_from_db()
        chosen = _assignee(assignee)
        if work_order.assignee_id != chosen.pk:
            services.assign(user, number, chosen)
    for note in payload.note or ():
        if note.id is None:
            services.add_note(user, number, note.text)
    if payload.status is not None and ending:
        _status_step(user, number, payload.status, reason, values)
    return WorkOrder.objects.get(number=number)
