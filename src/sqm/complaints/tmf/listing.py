"""The list's query: which parameters it takes and TMF630 ``sort``.

A parameter the list does not know is refused (400, named), never ignored: a client that sends
``filter=…`` or ``description=…`` must not take the whole list for the filtered one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.http import HttpRequest

from sqm.complaints.core.categories import Severity
from sqm.tmf.conventions import only_parameters
from sqm.tmf.errors import TmfError

# Attribute filters (TMF630 ``attribute=value``), paging and field selection.
FILTERS = ("status", "severity", "ticketType", "channel", "branch")
KNOWN = (*FILTERS, "fields", "offset", "limit", "sort")
# TMF630 ``sort=a,-b``: the attributes a list can be ordered by, as columns.
SORTABLE: dict[str, Any] = {
    "id": "number",
    "creationDate": "created_at",
    "lastUpdate": "updated_at",
    "expectedResolutionDate": "resolution_due",
    "resolutionDate": "resolved_at",
    "status": "status",
    # By urgency (low to critical when ascending), not by spelling.
    "severity": "severity_rank",
}
DEFAULT_ORDER = ("-created_at", "-pk")
_SEVERITY_RANK = Case(
    *(When(severity=s.value, then=Value(i)) for i, s in enumerate(Severity)),
    output_field=IntegerField(),
)


def refuse_unknown(request: HttpRequest) -> None:
    only_parameters(request, KNOWN)


def ordered(orders: QuerySet[Any], sort: str | None) -> QuerySet[Any]:
    if not sort:
        return orders.order_by(*DEFAULT_ORDER)
    columns: list[str] = []
    for item in (s.strip() for s in sort.split(",")):
        descending = item.startswith("-")
        name = item.lstrip("+-")
        if name not in SORTABLE:
            raise TmfError(
                400,
                f"cannot sort by {name!r}; sortable: {', '.join(SORTABLE)}",
                "INVALID_QUERY",
            )
        columns.append(("-" if descending else "") + SORTABLE[name])
    if any(c.lstrip("-") == "severity_rank" for c in columns):
        orders = orders.annotate(severity_rank=_SEVERITY_RANK)
    return orders.order_by(*columns, "-pk")
