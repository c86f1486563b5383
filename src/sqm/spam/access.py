"""Who may see the spam queue and who may decide (one place for pages and the API).

- See cases: spam reviewers, analysts and administrators (province-wide); branch managers only
  their branch's cases (through ``sqm.org.scoping.scoped``).
- Decide cases and appeals, record appeals: spam reviewers and administrators.
- Send reports (the intake API): spam reviewers, administrators and complaint handlers (who
  take bad-information reports on the phone and at the counter, R12.1).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of, scoped
from sqm.spam.models import Appeal, SenderCase

VIEWERS = frozenset({Role.SPAM_REVIEWER, Role.ANALYST, Role.ADMINISTRATOR, Role.BRANCH_MANAGER})
DECIDERS = frozenset({Role.SPAM_REVIEWER, Role.ADMINISTRATOR})
REPORTERS = frozenset({Role.SPAM_REVIEWER, Role.ADMINISTRATOR, Role.COMPLAINT_HANDLER})


def _role(user: Any) -> Role | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    scope = scope_of(user)
    # A superuser made with ``createsuperuser`` has no profile but administers.
    return scope.role or (Role.ADMINISTRATOR if user.is_superuser else None)


def can_view(user: Any) -> bool:
    return _role(user) in VIEWERS


def can_decide(user: Any) -> bool:
    return _role(user) in DECIDERS


def can_report(user: Any) -> bool:
    return _role(user) in REPORTERS


def visible_cases(user: Any) -> QuerySet[SenderCase]:
    if not can_view(user):
        return SenderCase.objects.none()
    return scoped(SenderCase.objects.all(), user)


def visible_appeals(user: Any) -> QuerySet[Appeal]:
    if not can_view(user):
        return Appeal.objects.none()
    return scoped(Appeal.objects.all(), user, "case__branch__code")
