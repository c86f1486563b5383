"""TMF621 Trouble Ticket API (v5) over SQM's complaint work orders.

Mounted at ``/tmf-api/troubleTicket/v5/``: a NinjaAPI of its own, because TM Forum fixes the
path, the resource names and the error body, none of which SQM's ``/api/v1`` shares. Same
authentication (``Authorization: Token <key>`` or the browser session), same scoping
(``services.visible_work_orders``: a ticket outside the caller's scope is 404, as if it did not
exist), same service layer for every write. The schema is ``openapi.json`` beside the API.

Concurrency: every answer carries ``ETag: "<version>"``; a PATCH with ``If-Match`` (or the
``version`` characteristic) that no longer matches gets 409 and changes nothing. A PATCH is one
transaction: an illegal status step (409) also undoes the note or assignment sent with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query
from ninja import Status as Reply

from sqm.complaints import services
from sqm.complaints.core.categories import Severity
from sqm.complaints.core.states import IllegalTransition, Status, UnknownTmfStatus, tmf_status
from sqm.complaints.models import WorkOrder
from sqm.complaints.tmf import documents, listing, mapping
from sqm.complaints.tmf.requests import TmfParser
from sqm.complaints.tmf.schemas import (
    TICKET_TYPE,
    TmfStatus,
    TroubleTicket,
    TroubleTicketCreate,
    TroubleTicketUpdate,
)
from sqm.complaints.tmf.writes import BadRequest, apply_update, create_from
from sqm.tmf.api import BODY_ERRORS, ERRORS, caller, make_api
from sqm.tmf.api import urls as tmf_urls
from sqm.tmf.conventions import CODE, FIELDS, MAX_LIMIT, MAX_OFFSET, select
from sqm.tmf.conventions import IDENTIFIER as NUMBER
from sqm.tmf.errors import TmfError, illegal_transition, state_conflict
from sqm.tmf.requests import JSON, JSON_PATCH, MERGE_PATCH

if TYPE_CHECKING:
    from sqm.lib.people import Person


BASE_PATH = documents.BASE_PATH
# PATCH takes TMF630's three JSON media types; ninja documents only application/json itself.
_OPERATION = {
    "type": "object",
    "required": ["op", "path"],
    "properties": {
        "op": {"type": "string", "enum": ["add", "remove", "replace", "move", "copy", "test"]},
        "path": {"type": "string"},
        "from": {"type": "string"},
        "value": {},
    },
}
PATCH_BODIES = {
    MERGE_PATCH: {"schema": {"$ref": "#/components/schemas/TroubleTicketUpdate"}},
    JSON_PATCH: {"schema": {"type": "array", "minItems": 1, "items": _OPERATION}},
}

# Authentication, schema access, the TMF630 error body and JSON-only bodies are sqm.tmf's,
# shared with the TMF656 API.
tmf_api = make_api(
    title="SQM TMF621 Trouble Ticket API",
    version="5.0.0",
    description=(
        "TM Forum TMF621 Trouble Ticket (v5) for SQM complaint work orders: ticketType "
        '"complaint"; SQM workflow fields (category, level, clocks, repeat, first-ask owner, '
        "satisfaction, version) as troubleTicketCharacteristic. Phone numbers are masked."
    ),
    namespace="tmf",
    not_found="no such trouble ticket",
    missing=(WorkOrder.DoesNotExist,),
    parser=TmfParser(),
)


def urls() -> tuple[list[Any], str, str]:
    """``tmf_api.urls`` with every view answering its errors (404, 405, 500) as TMF630 bodies."""
    return tmf_urls(tmf_api)


def _answer(
    request: HttpRequest,
    response: HttpResponse,
    number: str,
    fields: str | None = None,
    *,
    created: bool = False,
) -> dict[str, Any]:
    """The ticket as stored after the request, with the ETag of that same read."""
    work_order, document = documents.read(request, caller(request), number, created=created)
    response["ETag"] = f'"{work_order.version}"'
    return select(document, fields)


@tmf_api.get(
    "/troubleTicket",
    response={200: list[TroubleTicket], **ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="troubleTicket_list",
    summary="List or find TroubleTicket objects (your scope only)",
)
def list_trouble_tickets(
    request: HttpRequest,
    response: HttpResponse,
    status: TmfStatus | None = Query(None, description="TMF status, e.g. inProgress"),  # noqa: B008
    severity: Severity | None = Query(None),  # noqa: B008
    ticket_type: str | None = Query(None, alias="ticketType", pattern=CODE, max_length=32),
    channel: str | None = Query(None, description="e.g. hotline", pattern=CODE, max_length=32),
    branch: str | None = Query(None, description="e.g. NJ", pattern=CODE, max_length=32),
    fields: str | None = Query(
        None, description="attributes to return, comma-separated", pattern=FIELDS
    ),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
    sort: str | None = Query(
        None,
        description=f"TMF630 sort, e.g. -creationDate,severity; by {', '.join(listing.SORTABLE)}",
        pattern=FIELDS,
    ),
) -> Any:
    listing.refuse_unknown(request)
    orders = services.visible_work_orders(caller(request))
    if status is not None:
        orders = orders.filter(status__in=[s.value for s in Status if tmf_status(s) == status])
    if severity is not None:
        orders = orders.filter(severity=severity.value)
    if ticket_type is not None and ticket_type != TICKET_TYPE:
        orders = orders.none()
    if channel is not None:
        orders = orders.filter(channel=channel)
    if branch is not None:
        orders = orders.filter(branch__code=branch)
    total = orders.count()
    page = list(documents.prefetched(listing.ordered(orders, sort))[offset : offset + limit])
    base, text = documents.base(request), documents.typed_text(caller(request))
    response["X-Total-Count"] = str(total)
    response["X-Result-Count"] = str(len(page))
    return [select(mapping.ticket(wo, base, text), fields) for wo in page]


@tmf_api.get(
    "/troubleTicket/{id}",
    response={200: TroubleTicket, **ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="troubleTicket",
    summary="Retrieve a TroubleTicket by ID",
)
def get_trouble_ticket(
    request: HttpRequest,
    response: HttpResponse,
    id: str = Path(..., pattern=NUMBER),
    fields: str | None = Query(None, pattern=FIELDS),
) -> Any:
    return _answer(request, response, id, fields)


@tmf_api.post(
    "/troubleTicket",
    response={201: TroubleTicket, **BODY_ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="troubleTicket_create",
    summary="Create a TroubleTicket (a complaint work order; you become its first-ask owner)",
)
def create_trouble_ticket(
    request: HttpRequest, response: HttpResponse, payload: TroubleTicketCreate
) -> Any:
    work_order = _guarded(lambda: create_from(caller(request), payload))
    response["Location"] = mapping.href(documents.base(request), work_order.number)
    return Reply(201, _answer(request, response, work_order.number, created=True))


@tmf_api.patch(
    "/troubleTicket/{id}",
    response={200: TroubleTicket, **BODY_ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="troubleTicket_patch",
    summary="Update a TroubleTicket: status step, notes, assignee, severity, level, transfer",
    description=(
        f"Body as {JSON} or {MERGE_PATCH} (a merge patch of TroubleTicket_MVO), or as "
        f"{JSON_PATCH} (RFC 6902 operations on the ticket as you read it; the attributes it "
        "changes must be ones a merge patch may change). Anything else is 415."
    ),
    openapi_extra={"requestBody": {"content": PATCH_BODIES}},
)
def patch_trouble_ticket(
    request: HttpRequest,
    response: HttpResponse,
    payload: TroubleTicketUpdate,
    id: str = Path(..., pattern=NUMBER),
) -> Any:
    user = caller(request)
    documents.visible(user, id)
    if_match = request.headers.get("If-Match")
    _guarded(lambda: _patch(user, id, payload, if_match))
    return _answer(request, response, id)


def _patch(user: Person, number: str, payload: TroubleTicketUpdate, if_match: str | None) -> Any:
    with transaction.atomic():
        return apply_update(user, number, payload, if_match)


def _guarded(call: Any) -> Any:
    """Service-layer refusals become TMF errors with the status the standard expects."""
    try:
        return call()
    except PermissionDenied as error:
        message = str(error) or "your role may not change trouble tickets"
        raise TmfError(403, message, "FORBIDDEN") from None
    except services.ConcurrentEdit as error:
        raise TmfError(409, str(error), "VERSION_CONFLICT") from None
    except services.DuplicateExternalId as error:
        raise TmfError(409, str(error), "DUPLICATE_EXTERNAL_ID") from None
    except IllegalTransition as error:
        raise illegal_transition(str(error)) from None
    except services.StepRefused as error:
        raise state_conflict(str(error)) from None
    except (BadRequest, mapping.BadTicket, UnknownTmfStatus) as error:
        raise TmfError(400, str(error), "INVALID_REQUEST") from None
    except services.WorkflowError as error:
        raise TmfError(400, str(error), "WORKFLOW_REFUSED") from None
