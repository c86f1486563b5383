"""Who sees which notifications: the notifications' policy for the one access mechanism
(``sqm.org.access``).

A notification is its recipient's alone. One that concerns a branch is shown (and sent) only
while the recipient's scope includes that branch — a manager moved from 南京 to 无锡 no longer
reads 南京's; one about no branch is the province's and every role may read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from sqm.notifications.models import Notification
from sqm.org.access import Policy, allows, may, restrict
from sqm.org.core.roles import Role
from sqm.org.models import Branch

if TYPE_CHECKING:
    from sqm.lib.people import Requester


NOTIFICATIONS = Policy(
    actions={"view": frozenset(Role)},
    branch_field="branch__code",
)


def can_view(user: Requester) -> bool:
    return may(user, NOTIFICATIONS, "view")


@dataclass(frozen=True)
class _About:
    # ``allows`` walks ``branch__code`` from a hashable row; an unsaved model is not hashable.
    branch: Branch


def may_receive(user: Requester, branch: Branch | None) -> bool:
    """Whether ``user`` may be told something about ``branch`` (None: the province)."""
    if branch is None:
        return can_view(user)
    return allows(user, NOTIFICATIONS, "view", _About(branch))


def visible(user: Requester) -> QuerySet[Notification]:
    if not can_view(user):
        return Notification.objects.none()
    mine = Notification.objects.filter(recipient_id=user.pk)
    in_scope = restrict(mine.filter(branch__isnull=False), user, NOTIFICATIONS)
    return mine.filter(Q(branch__isnull=True) | Q(pk__in=in_scope.values("pk")))
