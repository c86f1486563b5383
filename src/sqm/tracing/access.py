"""Who sees which signals and cases and who may work on them: tracing's two policies for the
one access mechanism (``sqm.org.access``), used by the pages, the TMF656 API, the services and
the exports.

- Analysts and administrators see the whole province and work on it; executives read it.
- A branch service manager (and a branch-bound supervisor or complaint handler) sees the
  signals placed in their branch and the cases that affect it; the manager works on them.
  Signals with no branch (a batch across branches, a spam sender) and cases with no branch are
  the province's.
- A department liaison sees the cases their department leads or is on the team of, and no
  signals: triage is the analysts' and the branches' work.
- Everyone else sees nothing; another branch's signal or case does not exist for them (404).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sqm.org.access import Policy, may, restrict
from sqm.org.access import role_of as role_of
from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of
from sqm.tracing.models import Signal, TracingCase

if TYPE_CHECKING:
    from sqm.lib.people import Requester


SIGNAL_VIEWERS = frozenset(
    {
        Role.ADMINISTRATOR,
        Role.ANALYST,
        Role.BRANCH_MANAGER,
        Role.SUPERVISOR,
        Role.COMPLAINT_HANDLER,
        Role.EXECUTIVE,
    }
)
CASE_VIEWERS = SIGNAL_VIEWERS | {Role.DEPARTMENT_LIAISON}
WRITERS = frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.BRANCH_MANAGER})

SIGNALS = Policy(
    actions={"view": SIGNAL_VIEWERS, "change": WRITERS},
    writes=frozenset({"change"}),
    branch_field="branch",
)
CASES = Policy(
    actions={"view": CASE_VIEWERS, "change": WRITERS},
    writes=frozenset({"change"}),
    branch_field="branches__code",
    department_fields=("lead_department__code", "team_departments__code"),
    to_many=True,
)


def can_view(user: Requester) -> bool:
    return may(user, CASES, "view")


def can_view_signals(user: Requester) -> bool:
    return may(user, SIGNALS, "view")


def can_write(user: Requester) -> bool:
    return may(user, CASES, "change")


def visible_signals(user: Requester) -> QuerySet[Signal]:
    return restrict(Signal.objects.all(), user, SIGNALS)


def visible_cases(user: Requester) -> QuerySet[TracingCase]:
    return restrict(TracingCase.objects.all(), user, CASES)


def allows_branches(user: Requester, codes: set[str]) -> bool:
    """May ``user`` put a case on these branches? A branch user only on their own, and never
    on none (a province case is the analysts')."""
    if not can_write(user):
        return False
    scope = scope_of(user)
    if scope.province_wide:
        return True
    return bool(codes) and all(scope.allows_branch(c) for c in codes)
