"""Reading a ticket as a caller sees it: scoping, prefetching, the TMF document and the version
it was read at, from one query — so an answer's ETag is always the version of its body."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest

from sqm.complaints import services
from sqm.complaints.models import WorkOrder
from sqm.complaints.tmf import mapping
from sqm.org.scoping import typed_text_for
from sqm.tmf.errors import TmfError

if TYPE_CHECKING:
    from sqm.lib.people import Requester


BASE_PATH = "/tmf-api/troubleTicket/v5"


def base(request: HttpRequest) -> str:
    return request.build_absolute_uri(BASE_PATH)


def visible(user: Requester, number: str) -> WorkOrder:
    work_order = services.visible_work_orders(user).filter(number=number).first()
    if work_order is None:
        raise TmfError(404, f"no trouble ticket {number}", "NOT_FOUND")
    return work_order


def prefetched(queryset: Any) -> Any:
    return queryset.select_related(
        "branch", "tier", "hall", "department", "owner", "assignee", "repeat_of", "repeat_owner"
    ).prefetch_related("status_changes", "notes__author", "attachments")


def typed_text(user: Requester) -> Callable[[str | None], str]:
    """Free text as ``user`` may read it: phone numbers typed into it masked unless their
    role may reveal customers' numbers (the one rule pages and exports use too)."""
    return partial(typed_text_for, user)


def read(
    request: HttpRequest, user: Requester, number: str, *, created: bool = False
) -> tuple[WorkOrder, dict[str, Any]]:
    """The work order and its TroubleTicket document, as stored now."""
    # The creator gets the new ticket back even when its category routes it to a department
    # outside their scope (a liaison recording for another department).
    rows = WorkOrder.objects.all() if created else services.visible_work_orders(user)
    work_order = prefetched(rows).filter(number=number).first()
    if work_order is None:
        raise TmfError(404, f"no trouble ticket {number}", "NOT_FOUND")
    return work_order, mapping.ticket(work_order, base(request), typed_text(user))
