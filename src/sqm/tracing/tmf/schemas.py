"""TMF656 Service Problem Management v4 resource shapes for SQM's tracing cases.

Field names are TM Forum's (pydantic aliases for ``@type`` and camelCase). The shapes are
those of the official specification: the resource as read (``ServiceProblem``), as created
(``ServiceProblem_Create``) and as patched (``ServiceProblem_Update``), the problemGroup and
problemUngroup tasks, the event record and the events a listener receives.

What a client writes is limited to what SQM keeps: an attribute SQM would not store is refused
(400) rather than accepted and dropped.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from ninja import Field
from pydantic import ConfigDict

from sqm.tmf.schemas import TmfSchema

MAX_TEXT = 4000


class ProblemStatus(StrEnum):
    """The TMF656 status values SQM's case stages map onto (see ``mapping.STATUS``)."""

    SUBMITTED = "submitted"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "inProgress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Strict(TmfSchema):
    """What a client sends: unknown attributes are an error, not a silent loss."""

    model_config = ConfigDict(populate_by_name=True, from_attributes=True, extra="forbid")
    type_: str | None = Field(None, alias="@type", max_length=64)
    base_type: str | None = Field(None, alias="@baseType", max_length=64)
    schema_location: str | None = Field(None, alias="@schemaLocation", max_length=500)


class Characteristic(Strict):
    name: str = Field(..., min_length=1, max_length=48)
    value: Any = None
    value_type: str | None = Field(None, alias="valueType", max_length=16)


class PlaceIn(Strict):
    """A branch (``@type`` ``Branch`` or none) or a hall (``@type`` ``Hall``), by code."""

    id: str = Field(..., min_length=1, max_length=24, pattern=r"^[A-Za-z0-9_\-]+$")
    href: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=120)


class ResourceRefIn(Strict):
    """A root cause: ``id`` is the class (business_support, business_process,
    execution_process, collaboration_process), ``value`` the cause in words."""

    id: str = Field(..., min_length=1, max_length=32)
    href: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=120)
    value: str | None = Field(None, max_length=MAX_TEXT)
    referred_type: str | None = Field(None, alias="@referredType", max_length=64)


class ServiceRefIn(Strict):
    """An affected service (``@referredType`` ``Service``) or product (``Product``)."""

    id: str = Field(..., min_length=1, max_length=120)
    href: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=120)
    referred_type: str | None = Field(None, alias="@referredType", max_length=64)


class RelatedPartyIn(Strict):
    """A department: ``role`` ``leadDepartment`` (or as ``responsibleParty``) or
    ``teamDepartment``; ``id`` is the department's code."""

    id: str = Field(..., min_length=1, max_length=150)
    href: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=150)
    role: str | None = Field(None, max_length=32)
    referred_type: str = Field(..., alias="@referredType", min_length=1, max_length=64)


class TicketRefIn(Strict):
    """A TMF621 trouble ticket (one of our complaint work orders) by its number."""

    id: str = Field(..., min_length=1, max_length=48, pattern=r"^[A-Za-z0-9_.\-]+$")
    href: str | None = Field(None, max_length=500)
    name: str | None = Field(None, max_length=200)
    referred_type: str | None = Field(None, alias="@referredType", max_length=64)


class ProblemRefIn(Strict):
    id: str = Field(..., min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_\-]+$")
    href: str | None = Field(None, max_length=500)
    correlation_id: str | None = Field(None, alias="correlationId", max_length=64)
    referred_type: str | None = Field(None, alias="@referredType", max_length=64)


class NoteIn(Strict):
    id: str | None = Field(None, max_length=32)
    author: str | None = Field(None, max_length=150)
    date: datetime | None = None
    text: str = Field(..., min_length=1, max_length=MAX_TEXT)


class ServiceProblemCreate(Strict):
    """``ServiceProblem_Create``: a new tracing case (stage ``open``).

    Required as in the standard: ``category`` (a perception factor such as ``bills`` or a
    complaint category such as ``bills.overcharge``), ``priority`` (1 highest … 10), the
    ``description`` (its first line becomes the case title), ``reason`` (the cause as known,
    or ``Unknown``) and ``originatorParty`` (the caller; SQM records the signed-in user).
    """

    category: str = Field(..., min_length=1, max_length=96)
    priority: int = Field(..., ge=1, le=10)
    description: str = Field(..., min_length=1, max_length=MAX_TEXT)
    reason: str = Field(..., min_length=1, max_length=MAX_TEXT)
    originator_party: RelatedPartyIn = Field(..., alias="originatorParty")
    status: ProblemStatus | None = None
    affected_location: list[PlaceIn] = Field([], alias="affectedLocation", max_length=13)
    affected_service: list[ServiceRefIn] = Field([], alias="affectedService", max_length=2)
    root_cause_resource: list[ResourceRefIn] = Field([], alias="rootCauseResource", max_length=1)
    responsible_party: RelatedPartyIn | None = Field(None, alias="responsibleParty")
    related_party: list[RelatedPartyIn] = Field([], alias="relatedParty", max_length=20)
    associated_trouble_ticket: list[TicketRefIn] = Field(
        [], alias="associatedTroubleTicket", max_length=500
    )
    parent_problem: list[ProblemRefIn] = Field([], alias="parentProblem", max_length=1)
    comment: list[NoteIn] = Field([], max_length=20)
    extension_info: list[Characteristic] = Field([], alias="extensionInfo", max_length=20)


class ServiceProblemUpdate(Strict):
    """``ServiceProblem_Update`` (JSON merge patch): the attributes SQM lets a client change.

    - ``status`` (+ ``statusChangeReason``): one stage step (see the API description); the
      ``stage`` extensionInfo names the exact stage when two share a status.
    - ``description``, ``reason``, ``category``, ``rootCauseResource``, ``affectedLocation``,
      ``affectedService``, ``responsibleParty``/``relatedParty`` (departments): replace.
    - ``associatedTroubleTicket``: the list of linked tickets becomes this list (tickets you
      may not see are kept).
    - ``comment``: entries without an ``id`` are added to the timeline.
    - ``parentProblem``: ``[]`` detaches, one reference attaches (as problemGroup does).
    - extensionInfo ``version``: optimistic concurrency, like ``If-Match``.
    """

    status: ProblemStatus | None = None
    status_change_reason: str | None = Field(None, alias="statusChangeReason", max_length=2000)
    category: str | None = Field(None, min_length=1, max_length=96)
    priority: int | None = Field(None, ge=1, le=10)
    description: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    reason: str | None = Field(None, min_length=1, max_length=MAX_TEXT)
    affected_location: list[PlaceIn] | None = Field(None, alias="affectedLocation", max_length=13)
    affected_service: list[ServiceRefIn] | None = Field(None, alias="affectedService", max_length=2)
    root_cause_resource: list[ResourceRefIn] | None = Field(
        None, alias="rootCauseResource", max_length=1
    )
    responsible_party: RelatedPartyIn | None = Field(None, alias="responsibleParty")
    related_party: list[RelatedPartyIn] | None = Field(None, alias="relatedParty", max_length=20)
    associated_trouble_ticket: list[TicketRefIn] | None = Field(
        None, alias="associatedTroubleTicket", max_length=500
    )
    parent_problem: list[ProblemRefIn] | None = Field(None, alias="parentProblem", max_length=1)
    comment: list[NoteIn] | None = Field(None, max_length=20)
    extension_info: list[Characteristic] | None = Field(None, alias="extensionInfo", max_length=20)


class ProblemGroupCreate(Strict):
    """``ProblemGroup_Create``: attach the child problems to the parent (merge cases)."""

    parent_problem: ProblemRefIn = Field(..., alias="parentProblem")
    child_problem: list[ProblemRefIn] = Field(
        ..., alias="childProblem", min_length=1, max_length=50
    )


# What the API answers. Loose on purpose (every attribute optional, extra ones kept out by the
# mapping): the contract tests hold these documents to the official definitions.


class Out(TmfSchema):
    model_config = ConfigDict(populate_by_name=True, from_attributes=True, extra="allow")


class Ref(Out):
    id: str
    href: str | None = None
    name: str | None = None
    referred_type: str | None = Field(None, alias="@referredType")
    type_: str | None = Field(None, alias="@type")


class ProblemRef(Out):
    id: str
    href: str | None = None
    correlation_id: str | None = Field(None, alias="correlationId")
    referred_type: str | None = Field(None, alias="@referredType")
    type_: str | None = Field(None, alias="@type")


class ServiceProblem(Out):
    """A tracing case as TMF656 ``ServiceProblem`` (what GET answers)."""

    id: str
    href: str
    type_: str = Field("ServiceProblem", alias="@type")
    category: str | None = None
    priority: int | None = None
    description: str | None = None
    reason: str | None = None
    status: str | None = None
    status_change_date: datetime | None = Field(None, alias="statusChangeDate")
    status_change_reason: str | None = Field(None, alias="statusChangeReason")
    time_raised: datetime | None = Field(None, alias="timeRaised")
    time_changed: datetime | None = Field(None, alias="timeChanged")
    resolution_date: datetime | None = Field(None, alias="resolutionDate")
    originating_system: str | None = Field(None, alias="originatingSystem")
    affected_number_of_services: int | None = Field(None, alias="affectedNumberOfServices")
    affected_location: list[dict[str, Any]] | None = Field(None, alias="affectedLocation")
    affected_service: list[dict[str, Any]] | None = Field(None, alias="affectedService")
    root_cause_resource: list[dict[str, Any]] | None = Field(None, alias="rootCauseResource")
    associated_trouble_ticket: list[dict[str, Any]] | None = Field(
        None, alias="associatedTroubleTicket"
    )
    parent_problem: list[ProblemRef] | None = Field(None, alias="parentProblem")
    underlying_problem: list[ProblemRef] | None = Field(None, alias="underlyingProblem")
    originator_party: dict[str, Any] | None = Field(None, alias="originatorParty")
    responsible_party: dict[str, Any] | None = Field(None, alias="responsibleParty")
    related_party: list[dict[str, Any]] | None = Field(None, alias="relatedParty")
    related_event: list[dict[str, Any]] | None = Field(None, alias="relatedEvent")
    first_alert: dict[str, Any] | None = Field(None, alias="firstAlert")
    impact_patterns: dict[str, Any] | None = Field(None, alias="impactPatterns")
    comment: list[dict[str, Any]] | None = None
    tracking_record: list[dict[str, Any]] | None = Field(None, alias="trackingRecord")
    extension_info: list[dict[str, Any]] | None = Field(None, alias="extensionInfo")


class ProblemGroup(Out):
    id: str
    href: str
    type_: str = Field("ProblemGroup", alias="@type")
    parent_problem: ProblemRef = Field(..., alias="parentProblem")
    child_problem: list[ProblemRef] = Field(..., alias="childProblem")


class ServiceProblemEventRecord(Out):
    # Only the identity is always there: ``fields`` may select the rest away.
    id: str
    href: str
    type_: str = Field("ServiceProblemEventRecord", alias="@type")
    event_time: datetime | None = Field(None, alias="eventTime")
    event_type: str | None = Field(None, alias="eventType")
    record_time: datetime | None = Field(None, alias="recordTime")
    notification: dict[str, Any] | None = None
    service_problem: ProblemRef | None = Field(None, alias="serviceProblem")
