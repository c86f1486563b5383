"""TMF621 Trouble Ticket v5 resource shapes for SQM's complaint work orders.

Field names are TM Forum's, ``@type``/``@referredType`` included (pydantic aliases); SQM's own
workflow fields travel as ``troubleTicketCharacteristic`` entries so a BSS/OSS client that only
knows the standard can ignore them. Three shapes, as in the standard: the resource as read
(``TroubleTicket``), as created (``TroubleTicket_FVO``) and as patched (``TroubleTicket_MVO``).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from ninja import Field
from pydantic import ConfigDict

from sqm.complaints.core.categories import Severity
from sqm.tmf.schemas import TmfSchema

TICKET_TYPE = "complaint"
MAX_TEXT = 4000


class TmfStatus(StrEnum):
    """The TMF621 status values SQM's lifecycle maps onto (sqm.complaints.core.states)."""

    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "inProgress"
    PENDING = "pending"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class PartyRole(StrEnum):
    CUSTOMER = "customer"
    FIRST_ASK_OWNER = "firstAskOwner"
    ASSIGNEE = "assignee"


class ChannelRef(TmfSchema):
    id: str = Field(..., min_length=1, max_length=24)
    name: str | None = None
    referred_type: str = Field("Channel", alias="@referredType")
    # TMF621 v5: every reference names its own class in @type (required by Extensible).
    type_: str = Field("ChannelRef", alias="@type", max_length=32)


class EntityRef(TmfSchema):
    id: str = Field(..., min_length=1, max_length=64)
    href: str | None = None
    referred_type: str = Field(..., alias="@referredType", min_length=1, max_length=32)
    type_: str = Field("EntityRef", alias="@type", max_length=32)


class RelatedEntity(TmfSchema):
    role: str = Field(..., min_length=1, max_length=32)
    entity: EntityRef
    type_: str = Field("RelatedEntity", alias="@type")


class PartyRef(TmfSchema):
    id: str = Field(..., min_length=1, max_length=64)
    name: str | None = Field(None, max_length=150)
    referred_type: str = Field("Individual", alias="@referredType")
    # PartyRefOrPartyRoleRef is told apart by @type: SQM's parties are PartyRef.
    type_: str = Field("PartyRef", alias="@type", max_length=32)


class RelatedParty(TmfSchema):
    role: str = Field(..., min_length=1, max_length=32)
    party_or_party_role: PartyRef = Field(..., alias="partyOrPartyRole")
    type_: str = Field("RelatedPartyRefOrPartyRoleRef", alias="@type")


class StatusChange(TmfSchema):
    status: TmfStatus
    status_change_date: datetime = Field(..., alias="statusChangeDate")
    status_change_reason: str | None = Field(None, alias="statusChangeReason")
    type_: str = Field("StatusChange", alias="@type")


class TroubleTicketRelationship(TmfSchema):
    relationship_type: str = Field(..., alias="relationshipType")
    id: str
    href: str | None = None
    type_: str = Field("TroubleTicketRelationship", alias="@type")


class Note(TmfSchema):
    id: str | None = None
    author: str | None = None
    date: datetime | None = None
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)
    type_: str = Field("Note", alias="@type")


class Quantity(TmfSchema):
    amount: float
    units: str = "bytes"


class Attachment(TmfSchema):
    name: str
    mime_type: str | None = Field(None, alias="mimeType")
    size: Quantity | None = None
    url: str | None = None
    type_: str = Field("AttachmentRefOrValue", alias="@type")


class ExternalIdentifier(TmfSchema):
    id: str = Field(..., min_length=1, max_length=64)
    owner: str | None = Field(None, max_length=64)
    external_identifier_type: str | None = Field(
        None, alias="externalIdentifierType", max_length=64
    )
    type_: str = Field("ExternalIdentifier", alias="@type")


CharacteristicValue = str | int | float | bool | None


class Characteristic(TmfSchema):
    name: str = Field(..., min_length=1, max_length=48)
    value: CharacteristicValue = None
    value_type: str | None = Field(None, alias="valueType", max_length=16)
    type_: str = Field("Characteristic", alias="@type")


class TroubleTicket(TmfSchema):
    """A complaint work order as TMF621 ``TroubleTicket`` (what GET answers)."""

    id: str
    href: str
    type_: str = Field("TroubleTicket", alias="@type")
    name: str | None = None
    description: str | None = None
    ticket_type: str | None = Field(None, alias="ticketType")
    severity: str | None = None
    priority: str | None = None
    status: TmfStatus | None = None
    status_change_date: datetime | None = Field(None, alias="statusChangeDate")
    status_change_reason: str | None = Field(None, alias="statusChangeReason")
    status_change_history: list[StatusChange] | None = Field(None, alias="statusChangeHistory")
    creation_date: datetime | None = Field(None, alias="creationDate")
    last_update: datetime | None = Field(None, alias="lastUpdate")
    expected_resolution_date: datetime | None = Field(None, alias="expectedResolutionDate")
    requested_resolution_date: datetime | None = Field(None, alias="requestedResolutionDate")
    resolution_date: datetime | None = Field(None, alias="resolutionDate")
    channel: ChannelRef | None = None
    related_entity: list[RelatedEntity] | None = Field(None, alias="relatedEntity")
    related_party: list[RelatedParty] | None = Field(None, alias="relatedParty")
    trouble_ticket_relationship: list[TroubleTicketRelationship] | None = Field(
        None, alias="troubleTicketRelationship"
    )
    note: list[Note] | None = None
    attachment: list[Attachment] | None = None
    external_identifier: list[ExternalIdentifier] | None = Field(None, alias="externalIdentifier")
    trouble_ticket_characteristic: list[Characteristic] | None = Field(
        None, alias="troubleTicketCharacteristic"
    )


class TroubleTicketCreate(TmfSchema):
    """``TroubleTicket_FVO``: what POST takes.

    Required beyond TMF's own minimum: the customer (a ``relatedParty`` with role
    ``customer``) and the ``category`` characteristic (a code such as ``bills.overcharge``).
    Optional characteristics: ``branch`` (province-wide callers must name it), ``tier``,
    ``hall``, ``customerPhone``. An attribute SQM would not keep (read-only, unsupported or
    unknown) is refused by name rather than dropped.
    """

    model_config = ConfigDict(extra="forbid")

    description: str = Field(..., min_length=1, max_length=MAX_TEXT)
    severity: Severity
    ticket_type: str = Field(TICKET_TYPE, alias="ticketType")
    name: str | None = Field(None, max_length=200)
    channel: ChannelRef
    related_party: list[RelatedParty] = Field(..., alias="relatedParty", max_length=10)
    related_entity: list[RelatedEntity] = Field([], alias="relatedEntity", max_length=20)
    external_identifier: list[ExternalIdentifier] = Field(
        [], alias="externalIdentifier", max_length=5
    )
    trouble_ticket_characteristic: list[Characteristic] = Field(
        ..., alias="troubleTicketCharacteristic", max_length=20
    )
    note: list[Note] = Field([], max_length=20)
    type_: str = Field("TroubleTicket", alias="@type")


class TroubleTicketUpdate(TmfSchema):
    """``TroubleTicket_MVO``: what PATCH takes (JSON merge patch of these attributes only).

    - ``status`` (+ ``statusChangeReason``): one step of the lifecycle; ``closed`` needs the
      ``confirmed`` and ``satisfaction`` characteristics.
    - ``note``: entries without an ``id`` are appended.
    - ``relatedParty`` with role ``assignee``: assign (``partyOrPartyRole.id`` is a username).
    - ``severity``: reclassify (the resolution deadline follows).
    - characteristics ``level`` (``escalated`` or ``appeal``), ``department`` (transfer),
      ``version`` (optimistic concurrency, like ``If-Match``).

    Any other attribute is refused by name (400): a 200 always means the change was made.
    """

    model_config = ConfigDict(extra="forbid")

    status: TmfStatus | None = None
    status_change_reason: str | None = Field(None, alias="statusChangeReason", max_length=2000)
    severity: Severity | None = None
    note: list[Note] | None = Field(None, max_length=20)
    related_party: list[RelatedParty] | None = Field(None, alias="relatedParty", max_length=10)
    trouble_ticket_characteristic: list[Characteristic] | None = Field(
        None, alias="troubleTicketCharacteristic", max_length=20
    )
    type_: str = Field("TroubleTicket", alias="@type")
