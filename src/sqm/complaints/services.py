"""The complaints app's service API: the only way pages, the TMF621 API, the importer and the
CLI read and change work orders.

Every write takes the actor, runs in one transaction, locks the work order's row
(``select_for_update``), applies the core rules, bumps ``version`` and writes the audit log
(``sqm.org.audit.record``). Read-only roles get PermissionDenied; a work order the actor
cannot see is ``WorkOrder.DoesNotExist`` (a 404, not a hint that it exists).

Errors: ``IllegalTransition`` (core) for a step the state machine refuses, ``StepRefused`` for
a step the work order's state forbids (both conflicts, 409), ``WorkflowError`` for a business
rule the request breaks (400), ``ConcurrentEdit`` when ``expected_version`` is stale.

The working calendar (``working_calendar(branch_id)``: official holidays, 调休 days and the
branch's own exceptions) is the one other apps' deadlines count on, with
``core.calendar.add_working_time`` and ``working_time_between``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqm.complaints.access import (
    can_view,
    can_write,
    home_branch_code,
    may_reveal_phone,
    visible_callbacks,
    visible_work_orders,
)
from sqm.complaints.core.offers import DISSATISFIED_AT_MOST
from sqm.complaints.core.states import IllegalTransition
from sqm.complaints.models import WorkOrder
from sqm.complaints.workdays.calendars import branch_calendar as working_calendar
from sqm.complaints.workdays.calendars import phases
from sqm.complaints.workflow.guard import (
    ConcurrentEdit,
    DuplicateExternalId,
    StepRefused,
    WorkflowError,
)
from sqm.complaints.workflow.handling import (
    add_attachment,
    add_note,
    assign,
    bulk_assign,
    record_refund,
    reveal_phone,
    reverse_refund,
    set_repeat_owner,
    transfer,
)
from sqm.complaints.workflow.lifecycle import (
    appeal,
    available_steps,
    confirm_closure,
    create_work_order,
    escalate,
    transition,
)
from sqm.complaints.workflow.queues import QUEUES, UnknownQueue, queue, queue_counts

if TYPE_CHECKING:
    from sqm.lib.people import Requester


def get_visible(user: Requester, number: str) -> WorkOrder:
    """The work order if ``user`` may see it; ``WorkOrder.DoesNotExist`` otherwise."""
    return (
        visible_work_orders(user)
        .select_related(
            "branch", "hall", "tier", "department", "owner", "assignee", "repeat_owner", "repeat_of"
        )
        .get(number=number)
    )


__all__ = [
    "DISSATISFIED_AT_MOST",
    "QUEUES",
    "ConcurrentEdit",
    "DuplicateExternalId",
    "IllegalTransition",
    "StepRefused",
    "UnknownQueue",
    "WorkflowError",
    "add_attachment",
    "add_note",
    "appeal",
    "assign",
    "available_steps",
    "bulk_assign",
    "can_view",
    "can_write",
    "confirm_closure",
    "create_work_order",
    "escalate",
    "get_visible",
    "home_branch_code",
    "may_reveal_phone",
    "phases",
    "queue",
    "queue_counts",
    "record_refund",
    "reveal_phone",
    "reverse_refund",
    "set_repeat_owner",
    "transfer",
    "transition",
    "visible_callbacks",
    "visible_work_orders",
    "working_calendar",
]
