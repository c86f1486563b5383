"""The work queues: what a person should look at, inside what they may see.

- ``mine``: work orders the person owns (first ask) or is working on that are not yet
  resolved (a resolved one waits for the return visit, not for their handling);
- ``branch``: open work orders of the person's branch (every visible one for province roles);
- ``overdue``: open work orders past a deadline: no first reply by its due time, not resolved
  by the resolution deadline, or an appeal past its due time (by time, so a late sweeper
  hides nothing);
- ``due_soon``: open work orders in a clock's warning window (or an appeal due within a day)
  and past none of their deadlines — an overdue order is never "due soon";
- ``escalated``: open escalated complaints and appeals;
- ``repeats``: open repeat complaints;
- ``all``: every visible work order, closed ones included.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints.access import home_branch_code, visible_work_orders
from sqm.complaints.core.states import Status
from sqm.complaints.models import OPEN, RUNNING, WorkOrder
from sqm.complaints.workflow.guard import WorkflowError

if TYPE_CHECKING:
    from sqm.lib.people import Requester


QUEUES: tuple[str, ...] = (
    "mine",
    "branch",
    "overdue",
    "due_soon",
    "escalated",
    "repeats",
    "all",
)
APPEAL_NOTICE = timedelta(days=1)


class UnknownQueue(WorkflowError):
    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(
            _("未知的队列「%(name)s」，可选：%(queues)s")
            % {"name": name, "queues": "、".join(QUEUES)}
        )


def _conditions(user: Requester, now: datetime) -> dict[str, Q]:
    is_open = Q(status__in=OPEN)
    branch = home_branch_code(user)
    unanswered = Q(first_reply_at__isnull=True)
    # A paused order (waiting for the customer) is not running its resolution clock.
    unresolved = Q(status__in=RUNNING, resolved_at__isnull=True)
    overdue = (
        (unanswered & Q(first_reply_due__lte=now))
        | (unresolved & Q(resolution_due__lte=now))
        | Q(appeal_due__lte=now)
    )
    warned = (
        (unanswered & Q(first_reply_warn_at__lte=now))
        | (unresolved & Q(resolution_warn_at__lte=now))
        | Q(appeal_due__lte=now + APPEAL_NOTICE)
    )
    return {
        "mine": Q(status__in=(*RUNNING, Status.PENDING_CUSTOMER.value))
        & (Q(owner_id=user.pk) | Q(assignee_id=user.pk)),
        "branch": is_open & (Q(branch__code=branch) if branch else Q()),
        "overdue": is_open & overdue,
        "due_soon": is_open & warned & ~overdue,
        "escalated": is_open & Q(level__in=("escalated", "appeal")),
        "repeats": is_open & Q(is_repeat=True),
        "all": Q(),
    }


def queue(user: Requester, name: str, *, now: datetime | None = None) -> QuerySet[WorkOrder]:
    if name not in QUEUES:
        raise UnknownQueue(name)
    rows = visible_work_orders(user)
    if user is None or not user.is_authenticated:
        return rows
    rows = rows.filter(_conditions(user, now or timezone.now())[name]).select_related(
        "branch", "department", "owner", "assignee", "tier"
    )
    if name == "all":
        return rows.order_by("-created_at", "-id")
    return rows.order_by("resolution_due", "id")


def queue_counts(user: Requester, *, now: datetime | None = None) -> dict[str, int]:
    """Every queue's size in one query."""
    if user is None or not user.is_authenticated:
        return dict.fromkeys(QUEUES, 0)
    conditions = _conditions(user, now or timezone.now())
    counts = visible_work_orders(user).aggregate(
        **{name: Count("id", filter=conditions[name]) for name in QUEUES}
    )
    return {name: int(counts[name] or 0) for name in QUEUES}
