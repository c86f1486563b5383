"""Who may see the spam queue and who may decide (one place for pages and the API).

- See cases: spam reviewers, analysts and administrators (province-wide); branch managers only
  their branch's cases (through ``sqm.org.scoping.scoped``).
- Decide cases and appeals, record appeals: spam reviewers and administrators.
- Send reports (the intake API): spam reviewers, administrators and complaint handlers (who
  take bad-information reports on the phone and at the counter, R12.1).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from sqm.org import access
from sqm.org.core.roles import Role
from sqm.spam.models import Appeal, SenderCase

if TYPE_CHECKING:
    from sqm.lib.people import Requester


VIEWERS = frozenset({Role.SPAM_REVIEWER, Role.ANALYST, Role.ADMINISTRATOR, Role.BRANCH_MANAGER})
DECIDERS = frozenset({Role.SPAM_REVIEWER, Role.ADMINISTRATOR})
REPORTERS = frozenset({Role.SPAM_REVIEWER, Role.ADMINISTRATOR, Role.COMPLAINT_HANDLER})

CASES = access.Policy(
    actions={"view": VIEWERS, "decide": DECIDERS, "report": REPORTERS},
    writes=frozenset({"decide", "report"}),
)
APPEALS = replace(CASES, branch_field="case__branch__code")


def can_view(user: Requester) -> bool:
    return access.may(user, CASES, "view")


def can_decide(user: Requester) -> bool:
    return access.may(user, CASES, "decide")


def can_report(user: Requester) -> bool:
    return access.may(user, CASES, "report")


def visible_cases(user: Requester) -> QuerySet[SenderCase]:
    return access.restrict(SenderCase.objects.all(), user, CASES)


def visible_appeals(user: Requester) -> QuerySet[Appeal]:
    return access.restrict(Appeal.objects.all(), user, APPEALS)
