"""TMF656 Service Problem Management API (v4) over SQM's tracing cases.

Mounted at ``/tmf-api/serviceProblemManagement/v4/``, built like the TMF621 API on
``sqm.tmf``: ``Authorization: Token <key>`` or the browser session, TMF630 error bodies, the
tracing app's scoping (``services.visible_cases``: a case outside the caller's scope is 404, as
if it did not exist) and its service layer for every write. The schema is ``openapi.json``
beside the API; the official specification is Swagger 2 (TMF656 v4.0.0), and the contract
tests hold every answer to its definitions.

Status: open → acknowledged, investigating and measures_in_progress → inProgress, evaluating →
resolved, closed → closed (the exact stage is the ``stage`` extensionInfo entry). Concurrency:
every problem carries ``ETag: "<version>"``; a PATCH or DELETE with a stale ``If-Match`` gets
409 and changes nothing. A request is one transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from ninja import Path, Query
from ninja import Status as Reply

from sqm.tmf import hub
from sqm.tmf.api import BODY_ERRORS, ERRORS, caller, make_api
from sqm.tmf.conventions import (
    CODE,
    FIELDS,
    IDENTIFIER,
    MAX_LIMIT,
    MAX_OFFSET,
    count_headers,
    expected_version,
    only_parameters,
    select,
    set_etag,
)
from sqm.tmf.errors import TmfError, illegal_transition
from sqm.tmf.schemas import EventSubscription, EventSubscriptionInput
from sqm.tracing import services
from sqm.tracing.core.stages import IllegalStageChange, Stage, UnknownStage
from sqm.tracing.models import CaseEvent, Signal, TracingCase
from sqm.tracing.tmf import events, writes
from sqm.tracing.tmf.documents import BASE_PATH, prefetched, problems_for
from sqm.tracing.tmf.mapping import RESOURCE, STATUS, BadProblem, href, problem_ref
from sqm.tracing.tmf.schemas import (
    ProblemGroup,
    ProblemGroupCreate,
    ProblemStatus,
    ServiceProblem,
    ServiceProblemCreate,
    ServiceProblemEventRecord,
    ServiceProblemUpdate,
)

if TYPE_CHECKING:
    from sqm.lib.people import Requester


PROBLEM_GROUP = "problemGroup"
PROBLEM_UNGROUP = "problemUngroup"
PAGING = ("fields", "offset", "limit")

tmf656_api = make_api(
    title="SQM TMF656 Service Problem Management API",
    version="4.0.0",
    description=(
        "TM Forum TMF656 Service Problem Management (v4) for SQM tracing cases (投诉溯源单): "
        "affected branches and hall, root cause, lead and team departments, linked TMF621 "
        "trouble tickets, timeline as trackingRecord, problem groups, event records and a hub."
    ),
    namespace="tmf656",
    not_found="no such service problem",
    missing=(TracingCase.DoesNotExist,),
)
OUT: dict[str, Any] = {"by_alias": True, "exclude_none": True}


def _base(request: HttpRequest) -> str:
    return request.build_absolute_uri(BASE_PATH)


def _visible(user: Requester, number: str) -> TracingCase:
    case = services.visible_cases(user).filter(number=number).first()
    if case is None:
        raise TmfError(404, f"no service problem {number}")
    return case


def _document(request: HttpRequest, number: str, fields: str | None = None) -> dict[str, Any]:
    case = prefetched(services.visible_cases(caller(request))).get(number=number)
    return select(problems_for(caller(request), _base(request), [case])[0], fields)


def _guarded(call: Callable[[], Any]) -> Any:
    """Service-layer refusals become TMF errors; one transaction, so a refusal half-way
    leaves everything as it was."""
    try:
        with transaction.atomic():
            return call()
    except (TracingCase.DoesNotExist, Signal.DoesNotExist):
        raise TmfError(404, "no such service problem (or not yours to see)") from None
    except ObjectDoesNotExist as error:  # a hall or other reference the body names
        raise TmfError(400, f"unknown reference: {error}", "INVALID_REQUEST") from None
    except services.ConcurrentEdit as error:
        raise TmfError(409, str(error), "VERSION_CONFLICT") from None
    except IllegalStageChange as error:
        raise illegal_transition(str(error)) from None
    except (BadProblem, UnknownStage) as error:
        raise TmfError(400, str(error), "INVALID_REQUEST") from None
    except services.TracingError as error:
        raise TmfError(400, str(error), "WORKFLOW_REFUSED") from None


@tmf656_api.get(
    "/serviceProblem",
    response={200: list[ServiceProblem], **ERRORS},
    url_name="serviceProblem_list",
    summary="List or find ServiceProblem objects (your scope only)",
    **OUT,
)
def list_service_problems(
    request: HttpRequest,
    response: HttpResponse,
    status: ProblemStatus | None = Query(None, description="e.g. inProgress"),  # noqa: B008
    category: str | None = Query(None, description="factor or category", pattern=CODE),
    location: str | None = Query(
        None, alias="affectedLocation.id", description="a branch code, e.g. NJ", pattern=CODE
    ),
    fields: str | None = Query(None, description="attributes, comma-separated", pattern=FIELDS),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> Any:
    only_parameters(request, (*PAGING, "status", "category", "affectedLocation.id"))
    cases = services.visible_cases(caller(request))
    if status is not None:
        cases = cases.filter(stage__in=[s.value for s in Stage if STATUS[s] == status])
    if category:
        field = "subcategory" if "." in category else "category"
        cases = cases.filter(**{field: category})
    if location:
        cases = cases.filter(pk__in=cases.filter(branches__code=location).values("pk"))
    total = cases.count()
    page = list(prefetched(cases.order_by("-created_at", "-pk"))[offset : offset + limit])
    count_headers(response, total, len(page))
    return [select(d, fields) for d in problems_for(caller(request), _base(request), page)]


@tmf656_api.get(
    "/serviceProblem/{id}",
    response={200: ServiceProblem, **ERRORS},
    url_name="serviceProblem",
    summary="Retrieve a ServiceProblem by ID",
    **OUT,
)
def get_service_problem(
    request: HttpRequest,
    response: HttpResponse,
    id: str = Path(..., pattern=IDENTIFIER),
    fields: str | None = Query(None, pattern=FIELDS),
) -> Any:
    only_parameters(request, ("fields",))
    case = _visible(caller(request), id)
    set_etag(response, case.version)
    return _document(request, id, fields)


@tmf656_api.post(
    "/serviceProblem",
    response={201: ServiceProblem, **BODY_ERRORS},
    url_name="serviceProblem_create",
    summary="Create a ServiceProblem (a tracing case, stage open; you are its originator)",
    **OUT,
)
def create_service_problem(
    request: HttpRequest, response: HttpResponse, payload: ServiceProblemCreate
) -> Any:
    only_parameters(request, ())
    user = caller(request)
    if not services.can_write(user):
        raise TmfError(403, "your role may read service problems, not create them")
    case = _guarded(lambda: writes.create_from(user, payload))
    response["Location"] = href(_base(request), RESOURCE, case.number)
    set_etag(response, case.version)
    return Reply(201, _document(request, case.number))


@tmf656_api.patch(
    "/serviceProblem/{id}",
    response={200: ServiceProblem, **BODY_ERRORS},
    url_name="serviceProblem_patch",
    summary="Update a ServiceProblem: stage step, root cause, place, departments, tickets",
    **OUT,
)
def patch_service_problem(
    request: HttpRequest,
    response: HttpResponse,
    payload: ServiceProblemUpdate,
    id: str = Path(..., pattern=IDENTIFIER),
) -> Any:
    only_parameters(request, ())
    user = caller(request)
    _visible(user, id)
    if_match = request.headers.get("If-Match")
    case = _guarded(lambda: writes.apply_update(user, id, payload, if_match))
    set_etag(response, case.version)
    return _document(request, id)


@tmf656_api.delete(
    "/serviceProblem/{id}",
    response={204: None, **ERRORS},
    url_name="serviceProblem_delete",
    summary="Delete a ServiceProblem opened by mistake (its signals go back to acknowledged)",
)
def delete_service_problem(request: HttpRequest, id: str = Path(..., pattern=IDENTIFIER)) -> Any:
    only_parameters(request, ())
    user = caller(request)
    _visible(user, id)
    if not services.can_write(user):
        raise TmfError(403, "your role may read service problems, not delete them")
    expected = expected_version(request.headers.get("If-Match"))
    _guarded(lambda: services.delete_case(user, id, expected_version=expected))
    return Reply(204, None)


def _task(request: HttpRequest, payload: ProblemGroupCreate, kind: str) -> dict[str, Any]:
    only_parameters(request, ())
    user = caller(request)
    parent = payload.parent_problem.id
    children = list(dict.fromkeys(c.id for c in payload.child_problem))
    for number in (parent, *children):
        _visible(user, number)
    if not services.can_write(user):
        raise TmfError(403, "your role may read service problems, not group them")
    if kind == PROBLEM_GROUP:
        _guarded(lambda: services.group(user, parent, children))
    else:
        _guarded(lambda: writes.ungroup(user, parent, children))
    base = _base(request)
    cases = {c.number: c for c in TracingCase.objects.filter(number__in=[parent, *children])}
    return {
        "id": f"{parent}-{kind}-{cases[parent].version}",
        "href": href(base, RESOURCE, parent),
        "@type": "ProblemGroup" if kind == PROBLEM_GROUP else "ProblemUngroup",
        "parentProblem": problem_ref(cases[parent], base),
        "childProblem": [problem_ref(cases[n], base) for n in children],
    }


@tmf656_api.post(
    "/problemGroup",
    response={201: ProblemGroup, **BODY_ERRORS},
    url_name="problemGroup_create",
    summary="Group (merge) service problems under a parent problem",
    **OUT,
)
def create_problem_group(request: HttpRequest, payload: ProblemGroupCreate) -> Any:
    return Reply(201, _task(request, payload, PROBLEM_GROUP))


@tmf656_api.post(
    "/problemUngroup",
    response={201: ProblemGroup, **BODY_ERRORS},
    url_name="problemUngroup_create",
    summary="Take service problems out of their parent's group",
    **OUT,
)
def create_problem_ungroup(request: HttpRequest, payload: ProblemGroupCreate) -> Any:
    return Reply(201, _task(request, payload, PROBLEM_UNGROUP))


def _visible_events(user: Requester) -> Any:
    return CaseEvent.objects.filter(case__in=services.visible_cases(user)).select_related("case")


@tmf656_api.get(
    "/serviceProblemEventRecord",
    response={200: list[ServiceProblemEventRecord], **ERRORS},
    url_name="serviceProblemEventRecord_list",
    summary="List the event records of the service problems you may see",
    **OUT,
)
def list_event_records(
    request: HttpRequest,
    response: HttpResponse,
    event_type: str | None = Query(None, alias="eventType", pattern=CODE, max_length=64),
    problem: str | None = Query(None, alias="serviceProblem.id", pattern=CODE, max_length=32),
    fields: str | None = Query(None, pattern=FIELDS),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
    limit: int = Query(100, ge=1, le=MAX_LIMIT),
) -> Any:
    only_parameters(request, (*PAGING, "eventType", "serviceProblem.id"))
    rows = _visible_events(caller(request))
    if problem:
        rows = rows.filter(case__number=problem)
    if event_type:
        kinds = [k for k in CaseEvent.Kind.values if events.event_type(k) == event_type]
        rows = rows.filter(kind__in=kinds)
    total = rows.count()
    page = list(rows.order_by("-at", "-pk")[offset : offset + limit])
    count_headers(response, total, len(page))
    base = _base(request)
    return [select(events.record(e, base), fields) for e in page]


@tmf656_api.get(
    "/serviceProblemEventRecord/{id}",
    response={200: ServiceProblemEventRecord, **ERRORS},
    url_name="serviceProblemEventRecord",
    summary="Retrieve a ServiceProblemEventRecord by ID",
    **OUT,
)
def get_event_record(
    request: HttpRequest,
    id: str = Path(..., pattern=r"^[0-9]{1,18}$"),
    fields: str | None = Query(None, pattern=FIELDS),
) -> Any:
    only_parameters(request, ("fields",))
    event = _visible_events(caller(request)).filter(pk=int(id)).first()
    if event is None:
        raise TmfError(404, f"no event record {id}")
    return select(events.record(event, _base(request)), fields)


@tmf656_api.post(
    "/hub",
    response={201: EventSubscription, **BODY_ERRORS},
    url_name="hub_register",
    summary="Register a listener: events of the problems you may see are POSTed to callback",
    **OUT,
)
def register_listener(
    request: HttpRequest, response: HttpResponse, payload: EventSubscriptionInput
) -> Any:
    only_parameters(request, ())
    user = caller(request)
    if not services.can_view(user):
        raise TmfError(403, "your role sees no service problems to listen to")
    listener = hub.register(
        user, events.API, _base(request), payload.callback, payload.query, events.EVENT_TYPES
    )
    response["Location"] = f"{_base(request)}/hub/{listener.pk}"
    return Reply(201, hub.subscription(listener))


@tmf656_api.delete(
    "/hub/{id}",
    response={204: None, **ERRORS},
    url_name="hub_unregister",
    summary="Unregister a listener (yours)",
)
def unregister_listener(request: HttpRequest, id: str = Path(..., pattern=IDENTIFIER)) -> Any:
    only_parameters(request, ())
    hub.unregister(caller(request), events.API, id)
    return Reply(204, None)
