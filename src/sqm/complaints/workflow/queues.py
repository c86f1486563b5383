"""The work queues: what a person should look at, inside what they may see.

- ``mine``: open work orders the person owns (first ask) or is working on;
- ``branch``: open work orders of the person's branch (every visible one for province roles);
- ``breaching``: open work orders whose first-reply or resolution clock is in its warning
  window or past its deadline (by time, so a late sweeper hides nothing), or whose appeal
  deadline is within a day;
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
from sqm.complaints.models import OPEN, RUNNING, WorkOrder
from sqm.complaints.workflow.guard import WorkflowError

if TYPE_CHECKING:
    from sqm.lib.people import Requester


QUEUES: tuple[str, ...] = ("mine", "branch", "breaching", "escalated", "repeats", "all")
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
    breaching = (
        Q(first_reply_at__isnull=True, first_reply_warn_at__lte=now)
        | Q(status__in=RUNNING, resolved_at__isnull=True, resolution_warn_at__lte=now)
        | Q(appeal_due__lte=now + APPEAL_NOTICE)
    )
    return {
        "mine": is_open & (Q(owner_id=user.pk) | Q(assignee_id=user.pk)),
        "branch": is_open & (Q(branch__code=branch) if branch else Q()),
        "breaching": is_open & breaching,
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
