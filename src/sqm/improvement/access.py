"""Who sees which action items and meetings and who may work on them: the improvement app's
policies for the one access mechanism (``sqm.org.access``).

- Analysts (the quality department) and administrators see every item, create items, run the
  meetings and verify; executives read everything.
- A branch person (manager, supervisor, handler) sees the items about their branch; the
  manager works on them. Items with no branch are the province's.
- A department liaison sees and works on the items their department owns.
- Whoever an item names as its owner works on it while they may see it.
- Focus projects: the quality department runs them; executives, the leading department's
  liaison and the branch's manager (for a branch project) read them. Launches likewise,
  without branches.
- Meetings are the province's: analysts, administrators, executives and liaisons (the
  departments attend) see them; analysts and administrators run them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sqm.improvement.models import ActionItem, Launch, Meeting, Project
from sqm.org.access import Policy, allows, may, restrict
from sqm.org.core.roles import Role

if TYPE_CHECKING:
    from sqm.lib.people import Requester


QUALITY = frozenset({Role.ADMINISTRATOR, Role.ANALYST})
VIEWERS = QUALITY | {
    Role.BRANCH_MANAGER,
    Role.SUPERVISOR,
    Role.COMPLAINT_HANDLER,
    Role.DEPARTMENT_LIAISON,
    Role.EXECUTIVE,
}
WORKERS = QUALITY | {Role.BRANCH_MANAGER, Role.DEPARTMENT_LIAISON}

ACTIONS = Policy(
    actions={"view": VIEWERS, "work": WORKERS, "verify": QUALITY, "create": QUALITY},
    writes=frozenset({"work", "verify", "create"}),
    branch_field="branch__code",
    department_fields=("owner_department__code",),
)
MEETINGS = Policy(
    actions={
        "view": QUALITY | {Role.EXECUTIVE, Role.DEPARTMENT_LIAISON},
        "manage": QUALITY,
    },
    writes=frozenset({"manage"}),
    branch_field=None,
)


def can_view_actions(user: Requester) -> bool:
    return may(user, ACTIONS, "view")


def can_create(user: Requester) -> bool:
    return may(user, ACTIONS, "create")


def can_verify(user: Requester) -> bool:
    return may(user, ACTIONS, "verify")


def can_view_meetings(user: Requester) -> bool:
    return may(user, MEETINGS, "view")


def can_manage_meetings(user: Requester) -> bool:
    return may(user, MEETINGS, "manage")


def visible_actions(user: Requester) -> QuerySet[ActionItem]:
    return restrict(ActionItem.objects.all(), user, ACTIONS)


def visible_meetings(user: Requester) -> QuerySet[Meeting]:
    return restrict(Meeting.objects.all(), user, MEETINGS)


def may_work(user: Requester, item: ActionItem) -> bool:
    """The owner's side of the lifecycle (start, complete, evidence)."""
    if allows(user, ACTIONS, "work", item):
        return True
    return (
        item.owner_id is not None
        and item.owner_id == getattr(user, "pk", None)
        and allows(user, ACTIONS, "view", item)
    )


def may_verify(user: Requester, item: ActionItem) -> bool:
    return allows(user, ACTIONS, "verify", item)


PROJECTS = Policy(
    actions={
        "view": QUALITY | {Role.EXECUTIVE, Role.DEPARTMENT_LIAISON, Role.BRANCH_MANAGER},
        "manage": QUALITY,
    },
    writes=frozenset({"manage"}),
    branch_field="branch__code",
    department_fields=("department__code",),
)
LAUNCHES = Policy(
    actions={"view": QUALITY | {Role.EXECUTIVE, Role.DEPARTMENT_LIAISON}, "manage": QUALITY},
    writes=frozenset({"manage"}),
    branch_field=None,
    department_fields=("department__code",),
)


def visible_projects(user: Requester) -> QuerySet[Project]:
    return restrict(Project.objects.all(), user, PROJECTS)


def visible_launches(user: Requester) -> QuerySet[Launch]:
    return restrict(Launch.objects.all(), user, LAUNCHES)


def can_view_projects(user: Requester) -> bool:
    return may(user, PROJECTS, "view")


def can_view_launches(user: Requester) -> bool:
    return may(user, LAUNCHES, "view")


def can_manage_projects(user: Requester) -> bool:
    return may(user, PROJECTS, "manage")
