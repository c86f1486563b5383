"""TMF621 Trouble Ticket API (v5) over SQM's complaint work orders.

Mounted at ``/tmf-api/troubleTicket/v5/``: a NinjaAPI of its own, because TM Forum fixes the
path, the resource names and the error body, none of which SQM's ``/api/v1`` shares. Same
authentication (``Authorization: Token <key>`` or the browser session), same scoping
(``services.visible_work_orders``: a ticket outside the caller's scope is 404, as if it did not
exist), same service layer for every write. The schema is ``openapi.json`` beside the API.

Concurrency: every answer carries ``ETag: "<version>"``; a PATCH with ``If-Match`` (or the
``version`` characteristic) that no longer matches gets 409 and changes nothing. A PATCH is one
transaction: an illegal status step (400) also undoes the note or assignment sent with it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Path, Query
from ninja import Status as Reply
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import SessionAuth

from sqm.complaints import services
from sqm.complaints.core.categories import Severity
from sqm.complaints.core.states import IllegalTransition, Status, UnknownTmfStatus, tmf_status
from sqm.complaints.models import WorkOrder
from sqm.complaints.tmf import mapping
from sqm.complaints.tmf.schemas import (
    TICKET_TYPE,
    Error,
    TmfStatus,
    TroubleTicket,
    TroubleTicketCreate,
    TroubleTicketUpdate,
)
from sqm.complaints.tmf.writes import BadRequest, apply_update, create_from
from sqm.config.api import TokenAuth

BASE_PATH = "/tmf-api/troubleTicket/v5"
MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000  # beyond any province's tickets, and inside the database's integers
# What the query and path may hold: codes, attribute lists and ticket numbers (never a NUL,
# which no database column can store).
CODE = r"^[A-Za-z0-9_.\-]*$"
FIELDS = r"^[A-Za-z0-9@,._\-]{0,500}$"
NUMBER = r"^[A-Za-z0-9_\-]{1,32}$"
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}


def schema_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and its docs: for signed-in people (like every page), and for machines with
    an API token, since a BSS/OSS client reads the schema it is about to call."""
    page = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "Authorization" not in request.headers:
            return page(request, *args, **kwargs)
        try:
            user = TokenAuth()(request)
        except AuthenticationError:
            user = None
        if user is None:
            return HttpResponse("invalid token", status=401, content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper


tmf_api = NinjaAPI(
    title="SQM TMF621 Trouble Ticket API",
    version="5.0.0",
    description=(
        "TM Forum TMF621 Trouble Ticket (v5) for SQM complaint work orders: ticketType "
        '"complaint"; SQM workflow fields (category, level, clocks, repeat, first-ask owner, '
        "satisfaction, version) as troubleTicketCharacteristic. Phone numbers are masked."
    ),
    urls_namespace="tmf",
    auth=[TokenAuth(), SessionAuth()],
    docs=Swagger(),
    docs_decorator=schema_access,
)


REASONS = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found"}
CODES = {400: "INVALID_REQUEST", 401: "UNAUTHORIZED", 403: "FORBIDDEN", 404: "NOT_FOUND"}


def _error(
    request: HttpRequest, status: int, message: str, code: str | None = None
) -> HttpResponse:
    """TMF630's error body: ``code``, ``reason``, ``message``, ``status``."""
    body = {
        "code": code or CODES.get(status, "CONFLICT" if status == 409 else str(status)),
        "reason": REASONS.get(status, "Conflict" if status == 409 else "Error"),
        "message": message,
        "status": str(status),
        "@type": "Error",
    }
    return tmf_api.create_response(request, body, status=status)


def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in exc.errors
    )
    return _error(request, 400, details or "invalid request")


def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(request, 401, "sign in, or send Authorization: Token <key>")


class TmfError(HttpError):
    """An HttpError with TMF630's machine-readable ``code``."""

    def __init__(self, status_code: int, message: str, code: str) -> None:
        super().__init__(status_code, message)
        self.code = code


def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, str(exc), getattr(exc, "code", None))


def _not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return _error(request, 404, "no such trouble ticket")


tmf_api.add_exception_handler(ValidationError, _invalid)
tmf_api.add_exception_handler(AuthenticationError, _unauthenticated)
tmf_api.add_exception_handler(HttpError, _http_error)
tmf_api.add_exception_handler(Http404, _not_found)
tmf_api.add_exception_handler(WorkOrder.DoesNotExist, _not_found)


def _user(request: HttpRequest) -> Any:
    return getattr(request, "auth", None)


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(BASE_PATH)


def _visible(user: Any, number: str) -> Any:
    work_order = services.visible_work_orders(user).filter(number=number).first()
    if work_order is None:
        raise HttpError(404, f"no trouble ticket {number}")
    return work_order


def _prefetched(queryset: Any) -> Any:
    return queryset.select_related(
        "branch", "tier", "hall", "department", "owner", "assignee", "repeat_of", "repeat_owner"
    ).prefetch_related("status_changes", "notes__author", "attachments")


def _document(
    request: HttpRequest, number: str, fields: str | None = None, *, created: bool = False
) -> dict[str, Any]:
    # The creator gets the new ticket back even when its category routes it to a department
    # outside their scope (a liaison recording for another department).
    rows = WorkOrder.objects.all() if created else services.visible_work_orders(_user(request))
    work_order = _prefetched(rows).get(number=number)
    return mapping.select(mapping.ticket(work_order, _base(request)), fields)


def _etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


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
) -> Any:
    orders = services.visible_work_orders(_user(request))
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
    page = list(_prefetched(orders.order_by("-created_at", "-pk"))[offset : offset + limit])
    base = _base(request)
    response["X-Total-Count"] = str(total)
    response["X-Result-Count"] = str(len(page))
    return [mapping.select(mapping.ticket(wo, base), fields) for wo in page]


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
    work_order = _visible(_user(request), id)
    _etag(response, work_order.version)
    return _document(request, id, fields)


@tmf_api.post(
    "/troubleTicket",
    response={201: TroubleTicket, **ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="troubleTicket_create",
    summary="Create a TroubleTicket (a complaint work order; you become its first-ask owner)",
)
def create_trouble_ticket(
    request: HttpRequest, response: HttpResponse, payload: TroubleTicketCreate
) -> Any:
    work_order = _guarded(lambda: create_from(_user(request), payload))
    response["Location"] = mapping.href(_base(request), work_order.number)
    _etag(response, work_order.version)
    return Reply(201, _document(request, work_order.number, created=True))


@tmf_api.patch(
    "/troubleTicket/{id}",
    response={200: TroubleTicket, **ERRORS},
    by_alias=True,
    exclude_none=True,
    url_name="troubleTicket_patch",
    summary="Update a TroubleTicket: status step, notes, assignee, severity, level, transfer",
)
def patch_trouble_ticket(
    request: HttpRequest,
    response: HttpResponse,
    payload: TroubleTicketUpdate,
    id: str = Path(..., pattern=NUMBER),
) -> Any:
    user = _user(request)
    _visible(user, id)
    if_match = request.headers.get("If-Match")
    work_order = _guarded(lambda: _patch(user, id, payload, if_match))
    _etag(response, work_order.version)
    return _document(request, id)


def _patch(user: Any, number: str, payload: TroubleTicketUpdate, if_match: str | None) -> Any:
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
    except (IllegalTransition, UnknownTmfStatus) as error:
        raise TmfError(400, str(error), "ILLEGAL_TRANSITION") from None
    except (BadRequest, mapping.BadTicket) as error:
        raise TmfError(400, str(error), "INVALID_REQUEST") from None
    except services.WorkflowError as error:
        raise TmfError(400, str(error), "WORKFLOW_REFUSED") from None
