"""Who sees which work orders and who may change them: the one scoping rule for pages, the
TMF621 API, the services and the exports.

- Branch-bound roles (branch service manager, complaint handler, hotline/hall supervisor with
  a branch) see their branch's work orders.
- A department liaison sees the work orders currently with their department.
- Analysts, administrators and executives see the whole province; executives only read.
- Spam reviewers (and users without a role) see none.
- Everyone who sees a work order may work on it, except read-only roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sqm.complaints.models import Callback, WorkOrder
from sqm.org import access
from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


VIEWERS = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.ANALYST,
        Role.BRANCH_MANAGER,
        Role.DEPARTMENT_LIAISON,
        Role.COMPLAINT_HANDLER,
        Role.SUPERVISOR,
        Role.EXECUTIVE,
    }
)
WRITERS = VIEWERS - {Role.EXECUTIVE}
# Callbacks are hotline work: liaisons of other departments have no business with them.
CALLBACK_VIEWERS = VIEWERS - {Role.DEPARTMENT_LIAISON}

WORK_ORDERS = access.Policy(
    actions={"view": VIEWERS, "change": WRITERS},
    writes=frozenset({"change"}),
    department_fields=("department__code",),
)
CALLBACKS = access.Policy(actions={"view": CALLBACK_VIEWERS})


def can_view(user: Requester) -> bool:
    return access.may(user, WORK_ORDERS, "view")


def can_write(user: Requester) -> bool:
    return access.may(user, WORK_ORDERS, "change")


def may_reveal_phone(user: Requester) -> bool:
    return can_view(user) and scope_of(user).may_unmask


def visible_work_orders(user: Requester) -> QuerySet[WorkOrder]:
    return access.restrict(WorkOrder.objects.all(), user, WORK_ORDERS)


def sees(user: Requester, work_order: WorkOrder) -> bool:
    """``visible_work_orders`` for one row in memory (e.g. before a transfer is saved)."""
    return access.allows(user, WORK_ORDERS, "view", work_order)


def can_view_callbacks(user: Requester) -> bool:
    return access.may(user, CALLBACKS, "view")


def visible_callbacks(user: Requester) -> QuerySet[Callback]:
    return access.restrict(Callback.objects.all(), user, CALLBACKS)


def home_branch_code(user: Requester) -> str | None:
    """The branch a user belongs to (for the "my branch" queue), if any."""
    profile = getattr(user, "sqm_profile", None)
    if profile is None or profile.branch_id is None:
        return None
    return str(profile.branch.code)
