"""Who sees and makes plans: the one rule for pages, the CLI's saved plans and the demo.

- Analysts, administrators and supervisors (hotline and hall) plan for the province: the
  hotline, its roster, the halls and the billing cycles. Executives read those plans.
- A branch manager, or a supervisor bound to a branch, sees and makes hall plans of their
  own branch only; province plans (hotline, billing) are not theirs to read.
- Other roles have no business here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sqm.org import access
from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of
from sqm.planning.models import Plan

if TYPE_CHECKING:
    from sqm.lib.people import Requester


VIEWERS = frozenset(
    {Role.ADMINISTRATOR, Role.ANALYST, Role.SUPERVISOR, Role.BRANCH_MANAGER, Role.EXECUTIVE}
)
PLANNERS = VIEWERS - {Role.EXECUTIVE}
BRANCH_KINDS = frozenset({Plan.Kind.HALLS})  # kinds a branch-bound planner may make

PLANS = access.Policy(actions={"view": VIEWERS, "plan": PLANNERS}, writes=frozenset({"plan"}))


def can_view(user: Requester) -> bool:
    return access.may(user, PLANS, "view")


def can_plan(user: Requester, kind: str) -> bool:
    if not access.may(user, PLANS, "plan"):
        return False
    return scope_of(user).province_wide or kind in BRANCH_KINDS


def planning_branch(user: Requester) -> str | None:
    """The branch a branch-bound user's plans are for (None: province-wide user)."""
    branches = scope_of(user).branches
    return None if branches is None else min(branches, default=None)


def visible_plans(user: Requester) -> QuerySet[Plan]:
    return access.restrict(Plan.objects.select_related("branch", "created_by"), user, PLANS)
