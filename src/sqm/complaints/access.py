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

from typing import Any

from django.db.models import QuerySet

from sqm.complaints.models import Callback, WorkOrder
from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of, scoped

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


def role_of(user: Any) -> Role | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    scope = scope_of(user)
    # A superuser made with ``createsuperuser`` has no profile but administers.
    return scope.role or (Role.ADMINISTRATOR if user.is_superuser else None)


def can_view(user: Any) -> bool:
    return role_of(user) in VIEWERS


def can_write(user: Any) -> bool:
    return role_of(user) in WRITERS and not scope_of(user).read_only


def may_reveal_phone(user: Any) -> bool:
    return can_view(user) and scope_of(user).may_unmask


def visible_work_orders(user: Any) -> QuerySet[WorkOrder]:
    role = role_of(user)
    if role not in VIEWERS:
        return WorkOrder.objects.none()
    if role == Role.DEPARTMENT_LIAISON:
        department = scope_of(user).department
        if not department:
            return WorkOrder.objects.none()
        return WorkOrder.objects.filter(department__code=department)
    return scoped(WorkOrder.objects.all(), user)


def sees(user: Any, work_order: WorkOrder) -> bool:
    """``visible_work_orders`` for one row in memory (e.g. before a transfer is saved)."""
    role = role_of(user)
    if role not in VIEWERS:
        return False
    scope = scope_of(user)
    if role == Role.DEPARTMENT_LIAISON:
        department = work_order.department
        return department is not None and department.code == scope.department
    return scope.allows_branch(work_order.branch.code)


def visible_callbacks(user: Any) -> QuerySet[Callback]:
    if role_of(user) not in CALLBACK_VIEWERS:
        return Callback.objects.none()
    return scoped(Callback.objects.all(), user)


def home_branch_code(user: Any) -> str | None:
    """The branch a user belongs to (for the "my branch" queue), if any."""
    profile = getattr(user, "sqm_profile", None)
    if profile is None or profile.branch_id is None:
        return None
    return str(profile.branch.code)
