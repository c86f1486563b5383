"""ServiceProblem documents for one caller: the rows to prefetch and the references the caller
may follow (cases and complaints outside their scope are left out of a document)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.db.models import QuerySet
from django.urls import reverse

from sqm.org.scoping import scope_of
from sqm.tracing import services
from sqm.tracing.models import TracingCase
from sqm.tracing.tmf.mapping import Links, problem

if TYPE_CHECKING:
    from sqm.lib.people import Requester


BASE_PATH = "/tmf-api/serviceProblemManagement/v4"
TICKET_ROUTE = "tmf:troubleTicket"


def prefetched(cases: QuerySet[TracingCase]) -> QuerySet[TracingCase]:
    return cases.select_related("hall", "lead_department", "created_by", "parent").prefetch_related(
        "branches",
        "team_departments",
        "children",
        "complaints",
        "measures__owner_department",
        "measures__owner",
        "events",
        "signals",
    )


def links_for(user: Requester, base: str, cases: Iterable[TracingCase]) -> Links:
    """What documents of ``cases`` may reference for ``user``: their parents and children
    only where the user sees them, complaints of the user's branches only."""
    related = set()
    for case in cases:
        if case.parent_id:
            related.add(case.parent_id)
        related.update(child.pk for child in case.children.all())
    visible = frozenset(
        services.visible_cases(user).filter(pk__in=sorted(related)).values_list("pk", flat=True)
    )
    parts = urlsplit(base)
    origin = f"{parts.scheme}://{parts.netloc}"
    scope = scope_of(user)
    return Links(
        base=base,
        ticket_href=lambda number: origin + reverse(TICKET_ROUTE, kwargs={"id": number}),
        visible_cases=visible,
        allows_branch=scope.allows_branch,
    )


def problems_for(user: Requester, base: str, cases: list[TracingCase]) -> list[dict[str, Any]]:
    links = links_for(user, base, cases)
    return [problem(case, links) for case in cases]


def problem_for(user: Requester, base: str, number: str) -> dict[str, Any] | None:
    """The document of case ``number`` as ``user`` may see it; None if they may not."""
    case = prefetched(services.visible_cases(user)).filter(number=number).first()
    if case is None:
        return None
    return problems_for(user, base, [case])[0]
