"""Between SQM work orders and TMF621 TroubleTicket documents.

``ticket(work_order, base)`` is what GET answers; ``intake_kwargs(payload, user)`` turns a
POST body into the arguments of ``services.create_work_order``; ``characteristics`` reads the
name → value pairs a client sent. Phone numbers leave here masked, always.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqm.complaints.core.categories import category as category_of
from sqm.complaints.core.states import Status, tmf_status
from sqm.complaints.tmf.schemas import TICKET_TYPE, PartyRole, TroubleTicketCreate
from sqm.org.core.masking import mask_phone

if TYPE_CHECKING:
    from sqm.lib.people import Person


RESOURCE = "troubleTicket"
# The characteristics a create takes (everything else of the list is SQM's own, read-only).
INTAKE = ("category", "branch", "tier", "hall", "customerPhone")
# TMF ``priority`` is a free string; "1" is the most urgent, as operators' BSS usually rank.
PRIORITY = {"critical": "1", "high": "2", "medium": "3", "low": "4"}


class BadTicket(ValueError):
    """A POST or PATCH body that is well-formed JSON but not a ticket SQM can take."""


def href(base: str, number: str) -> str:
    return f"{base.rstrip('/')}/{RESOURCE}/{number}"


def _party(user: Person, role: str) -> dict[str, Any]:
    return {
        "role": role,
        "partyOrPartyRole": {
            "id": user.get_username(),
            "name": user.get_full_name() or user.get_username(),
            "@referredType": "Individual",
        },
    }


def _entity_id(item: dict[str, Any]) -> str:
    """A related phone number is masked like the customer's own."""
    value = str(item.get("id", ""))
    if item.get("role") == "number" or item.get("type") == "LogicalResource":
        return mask_phone(value)
    return value


def _characteristic(name: str, value: Any, value_type: str) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.isoformat()
    return {"name": name, "value": value, "valueType": value_type}


def current_characteristics(wo: Any) -> dict[str, Any]:
    """Name → value of the characteristics a ticket shows (JSON values)."""
    return {row["name"]: row["value"] for row in _characteristics(wo)}


def _characteristics(wo: Any) -> list[dict[str, Any]]:
    rows = [
        _characteristic("category", wo.category, "string"),
        _characteristic("factor", wo.factor, "string"),
        _characteristic("level", wo.level, "string"),
        _characteristic("branch", wo.branch.code if wo.branch_id else None, "string"),
        _characteristic("tier", wo.tier.code if wo.tier_id else None, "string"),
        _characteristic("hall", wo.hall.code if wo.hall_id else None, "string"),
        _characteristic("department", wo.department.code if wo.department_id else None, "string"),
        _characteristic("customerPhone", mask_phone(wo.customer_phone) or None, "string"),
        _characteristic("firstReplyDue", wo.first_reply_due, "dateTime"),
        _characteristic("firstReplyAt", wo.first_reply_at, "dateTime"),
        _characteristic("resolutionDue", wo.resolution_due, "dateTime"),
        _characteristic("appealDue", wo.appeal_due, "dateTime"),
        _characteristic("isRepeat", bool(wo.is_repeat), "boolean"),
        _characteristic(
            "repeatOwner", wo.repeat_owner.get_username() if wo.repeat_owner_id else None, "string"
        ),
        _characteristic("repeatDue", wo.repeat_due, "dateTime"),
        _characteristic("firstAskOwner", wo.owner.get_username(), "string"),
        _characteristic("satisfaction", wo.satisfaction, "integer"),
        _characteristic("confirmed", wo.confirmed, "boolean"),
        _characteristic("version", wo.version, "integer"),
    ]
    return [row for row in rows if row is not None]


def _history(changes: Iterable[Any], text: Any) -> list[dict[str, Any]]:
    return [
        {
            "status": tmf_status(Status(change.to_status)),
            "statusChangeDate": change.at,
            "statusChangeReason": text(change.note) or change.action,
        }
        for change in changes
    ]


def ticket(wo: Any, base: str, text: Callable[[str | None], str]) -> dict[str, Any]:
    """The whole TroubleTicket for one work order (related rows prefetched by the caller).

    ``text`` renders free text a person typed (description, notes, reasons) for the reader:
    ``org.scoping.typed_text_for`` masks the phone numbers in it unless they may reveal them."""
    changes = sorted(wo.status_changes.all(), key=lambda c: (c.at, c.pk))
    notes = sorted(wo.notes.all(), key=lambda n: (n.at, n.pk))
    attachments = list(wo.attachments.all())
    last = changes[-1] if changes else None
    parties = [
        {
            "role": PartyRole.CUSTOMER.value,
            "partyOrPartyRole": {
                "id": wo.customer_id,
                "name": mask_phone(wo.customer_phone) or None,
                "@referredType": "Customer",
            },
        },
        _party(wo.owner, PartyRole.FIRST_ASK_OWNER.value),
    ]
    if wo.assignee_id:
        parties.append(_party(wo.assignee, PartyRole.ASSIGNEE.value))
    try:
        name = category_of(wo.category).name_zh
    except KeyError:
        name = wo.category
    return {
        "id": wo.number,
        "href": href(base, wo.number),
        "@type": "TroubleTicket",
        "name": name,
        "description": text(wo.description),
        "ticketType": TICKET_TYPE,
        "severity": wo.severity,
        "priority": PRIORITY.get(wo.severity),
        "status": tmf_status(Status(wo.status)),
        "statusChangeDate": last.at if last else wo.created_at,
        "statusChangeReason": (text(last.note) or last.action) if last else None,
        "statusChangeHistory": _history(changes, text),
        "creationDate": wo.created_at,
        # Saved on every change (and the import may backdate creation): never before creation.
        "lastUpdate": max(wo.updated_at, wo.created_at),
        "expectedResolutionDate": wo.resolution_due,
        # What the regulator asks for on a transferred appeal; nobody else requests a date.
        "requestedResolutionDate": wo.appeal_due,
        "resolutionDate": wo.resolved_at,
        "channel": {
            "id": wo.channel,
            "name": _channel_name(wo.channel),
            "@referredType": "Channel",
        },
        "relatedEntity": [
            {
                "role": str(item.get("role", "")) or "related",
                "entity": {"id": _entity_id(item), "@referredType": str(item.get("type"))},
            }
            for item in (wo.related or [])
            if item.get("id")
        ],
        "relatedParty": parties,
        "troubleTicketRelationship": (
            [
                {
                    "relationshipType": "isRepeatOf",
                    "id": wo.repeat_of.number,
                    "href": href(base, wo.repeat_of.number),
                }
            ]
            if wo.repeat_of_id
            else []
        ),
        "note": [
            {"id": str(n.pk), "author": n.author.get_username(), "date": n.at, "text": text(n.text)}
            for n in notes
        ],
        "attachment": [
            {
                "name": a.name,
                "mimeType": a.mime_type,
                "size": {"amount": a.size, "units": "bytes"},
                "url": a.url,
            }
            for a in attachments
        ],
        "externalIdentifier": (
            [{"id": wo.external_id, "owner": wo.channel, "externalIdentifierType": "sourceTicket"}]
            if wo.external_id
            else []
        ),
        "troubleTicketCharacteristic": _characteristics(wo),
    }


_CHANNEL_NAMES: dict[str, str] = {}


def _channel_name(code: str) -> str | None:
    if not _CHANNEL_NAMES:
        from sqm.org.models import Channel

        _CHANNEL_NAMES.update(Channel.objects.values_list("code", "name_zh"))
    return _CHANNEL_NAMES.get(code)


def characteristics(rows: Iterable[Any] | None) -> dict[str, Any]:
    return {row.name: row.value for row in rows or ()}


def party(rows: Iterable[Any] | None, role: str) -> str | None:
    for row in rows or ():
        if row.role == role:
            return str(row.party_or_party_role.id)
    return None


def _text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise BadTicket(f"characteristic {name!r} must be a string")
    return value


def _refuse_what_is_not_kept(payload: TroubleTicketCreate, category: str) -> None:
    """A create keeps what it is sent or refuses it by name: nothing is dropped silently."""
    for name in characteristics(payload.trouble_ticket_characteristic):
        if name not in INTAKE:
            raise BadTicket(
                f"characteristic {name!r} is not taken on create; it takes {', '.join(INTAKE)}"
            )
    roles = [row.role for row in payload.related_party]
    for role in roles:
        if role != PartyRole.CUSTOMER.value:
            raise BadTicket(
                f"relatedParty role {role!r} is not taken on create: the caller is the "
                "first-ask owner and the assignee (assign someone else with PATCH)"
            )
    if roles.count(PartyRole.CUSTOMER.value) > 1:
        raise BadTicket("one relatedParty with role 'customer', not several")
    for row in payload.related_party:
        if row.party_or_party_role.name:
            raise BadTicket(
                "relatedParty customer partyOrPartyRole.name is not kept: SQM keeps the "
                "customer's id and the customerPhone characteristic"
            )
    for index, note in enumerate(payload.note):
        for attribute in ("id", "author", "date"):
            if getattr(note, attribute) is not None:
                raise BadTicket(
                    f"note[{index}].{attribute} is set by SQM (the caller writes the note now)"
                )
    if len(payload.external_identifier) > 1:
        raise BadTicket("externalIdentifier: SQM keeps one source-ticket identifier")
    if payload.name is not None:
        try:
            names = {category_of(category).name_zh, category_of(category).name_en}
        except KeyError:
            names = set()
        if payload.name not in names:
            raise BadTicket(
                "name is not kept: a ticket is named after its category "
                f"({' / '.join(sorted(names)) or category})"
            )


def intake_kwargs(payload: TroubleTicketCreate) -> dict[str, Any]:
    """The create_work_order arguments a POST body names (codes, not model rows yet)."""
    if payload.ticket_type != TICKET_TYPE:
        raise BadTicket(f"ticketType must be {TICKET_TYPE!r}")
    values = characteristics(payload.trouble_ticket_characteristic)
    category = _text(values, "category")
    if category is None:
        raise BadTicket("the 'category' characteristic is required (e.g. bills.overcharge)")
    customer = party(payload.related_party, PartyRole.CUSTOMER.value)
    if not customer:
        raise BadTicket("a relatedParty with role 'customer' is required")
    _refuse_what_is_not_kept(payload, category)
    external = payload.external_identifier[0].id if payload.external_identifier else None
    return {
        "channel": payload.channel.id,
        "category": category,
        "severity": payload.severity,
        "customer_id": customer,
        "customer_phone": _text(values, "customerPhone") or "",
        "branch": _text(values, "branch"),
        "tier": _text(values, "tier"),
        "hall": _text(values, "hall"),
        "description": payload.description,
        "related": [
            {"role": r.role, "type": r.entity.referred_type, "id": r.entity.id}
            for r in payload.related_entity
        ],
        "external_id": external,
    }
