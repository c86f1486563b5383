"""What the improvement app tells people, and whom: assignment, due soon, overdue, escalated,
verified. The one place that calls the notifications app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from sqm.improvement.core.deadlines import Level
from sqm.improvement.models import ActionItem
from sqm.lib.choices import gettext_noop
from sqm.notifications import services as notifications
from sqm.org.core.roles import Role

if TYPE_CHECKING:
    from sqm.lib.people import Person


# The demo seeds a month of history: its notices go to the bell, not as a burst of mail.
_MAIL: ContextVar[bool] = ContextVar("improvement_mail", default=True)


@contextmanager
def without_mail() -> Iterator[None]:
    token = _MAIL.set(False)
    try:
        yield
    finally:
        _MAIL.reset(token)


TITLES: dict[str, str] = {
    "assignment": gettext_noop("新督办事项 %(number)s：%(title)s"),
    "due_soon": gettext_noop("督办事项 %(number)s 即将到期（%(deadline)s）"),
    "overdue": gettext_noop("督办事项 %(number)s 已超期（时限 %(deadline)s）"),
    "escalated": gettext_noop("督办事项 %(number)s 已超期升级至%(level)s"),
    "verified": gettext_noop("督办事项 %(number)s 已验证关闭"),
}


def _people(role: Role, department: str | None = None) -> list[Any]:
    users = get_user_model().objects.filter(is_active=True, sqm_profile__role=role)
    if department is not None:
        users = users.filter(sqm_profile__department__code=department)
    return list(users)


def recipients(item: ActionItem, kind: str, level: Level | None = None) -> list[Any]:
    """The owner (or, without one, the owner department's liaisons); on escalation, the level's
    people: the department's head (its liaisons stand for the head in SQM's roles), then the
    vice president (the executives)."""
    department = item.owner_department.code
    if kind == "escalated":
        if level == Level.VICE_PRESIDENT:
            return _people(Role.EXECUTIVE)
        return _people(Role.DEPARTMENT_LIAISON, department)
    if item.owner is not None:
        return [item.owner]
    return _people(Role.DEPARTMENT_LIAISON, department)


def tell(item: ActionItem, kind: str, *, level: Level | None = None) -> int:
    """Notify the people ``kind`` concerns about ``item``; how many were told. Each message has
    a key per item, kind and level, so telling twice tells once."""
    from sqm.improvement.choices import LevelChoices

    params = {
        "number": item.number,
        "title": item.title,
        "deadline": item.deadline.isoformat(),
        "level": LevelChoices.label(str(int(level))) if level is not None else "",
    }
    url = reverse("improvement:action", args=[item.pk])
    key = f"action:{item.pk}:{kind}" + (f":{int(level)}" if level is not None else "")
    told = 0
    for person in recipients(item, kind, level):
        if _notify(person, kind, TITLES[kind], url, params, item.branch, key):
            told += 1
    return told


def _notify(
    recipient: Person,
    kind: str,
    title: str,
    url: str,
    params: dict[str, str],
    branch: Any,
    key: str,
) -> bool:
    # The notifications app drops (and logs) a recipient whose scope lacks the item's branch,
    # and the key makes a second call for the same event a no-op.
    return (
        notifications.notify(
            recipient, kind, title, url, params=params, branch=branch, key=key, email=_MAIL.get()
        )
        is not None
    )
