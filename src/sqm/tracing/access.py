"""Who sees which signals and cases and who may work on them: the one rule for the pages, the
TMF656 API, the services and the exports. The branch rule itself is org's
(``sqm.org.scoping``); this module only says which rows carry the branch.

- Analysts and administrators see the whole province and work on it; executives read it.
- A branch service manager (and a branch-bound supervisor or complaint handler) sees the
  signals placed in their branch and the cases that affect it, and works on them. Signals
  with no branch (a batch across branches, a spam sender) and cases with no branch are the
  province's.
- A department liaison sees the cases their department leads or is on the team of, and no
  signals: triage is the analysts' and the branches' work.
- Everyone else sees nothing; another branch's signal or case does not exist for them (404).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of, scoped
from sqm.tracing.models import Signal, TracingCase

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


def role_of(user: Any) -> Role | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    # A superuser made with ``createsuperuser`` has no profile but administers.
    return scope_of(user).role or (Role.ADMINISTRATOR if user.is_superuser else None)


def can_view(user: Any) -> bool:
    return role_of(user) in CASE_VIEWERS


def can_view_signals(user: Any) -> bool:
    return role_of(user) in SIGNAL_VIEWERS


def can_write(user: Any) -> bool:
    return role_of(user) in WRITERS and not scope_of(user).read_only


def visible_signals(user: Any) -> QuerySet[Signal]:
    if not can_view_signals(user):
        return Signal.objects.none()
    return scoped(Signal.objects.all(), user, branch_field="branch")


def visible_cases(user: Any) -> QuerySet[TracingCase]:
    role = role_of(user)
    if role not in CASE_VIEWERS:
        return TracingCase.objects.none()
    cases = TracingCase.objects.all()
    if role == Role.DEPARTMENT_LIAISON:
        department = scope_of(user).department
        if not department:
            return cases.none()
        involved = Q(lead_department__code=department) | Q(team_departments__code=department)
        return cases.filter(pk__in=cases.filter(involved).values("pk"))
    if scope_of(user).province_wide:
        return cases
    # Through a subquery, not .distinct(): a case affecting two branches stays one row and
    # callers may still order and slice freely.
    return cases.filter(pk__in=scoped(cases, user, branch_field="branches__code").values("pk"))


def allows_branches(user: Any, codes: set[str]) -> bool:
    """May ``user`` put a case on these branches? A branch user only on their own, and never
    on none (a province case is the analysts')."""
    scope = scope_of(user)
    if scope.province_wide and role_of(user) in WRITERS:
        return True
    return bool(codes) and all(scope.allows_branch(c) for c in codes)
