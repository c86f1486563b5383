"""Who may see the satisfaction pages, and which branches' answers (through sqm.org.scoping).

Analysts, executives, administrators and department liaisons see the province; a branch
manager sees only their own branch's respondents. Other roles have no business here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqm.org import access
from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


VIEWERS = frozenset(
    {Role.ANALYST, Role.EXECUTIVE, Role.ADMINISTRATOR, Role.DEPARTMENT_LIAISON, Role.BRANCH_MANAGER}
)
ANSWERS = access.Policy(actions={"view": VIEWERS})


def can_view(user: Requester) -> bool:
    return access.may(user, ANSWERS, "view")


def visible_branches(user: Requester, requested: str | None = None) -> frozenset[str] | None:
    """The branches whose answers this user's page reads (None = the whole province). The
    answers live in the event store, not the ORM: the scope narrows the store query."""
    wanted = frozenset({requested}) if requested else None
    return scope_of(user).restrict(wanted)
