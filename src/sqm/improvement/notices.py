"""What the improvement app tells people, and whom: assignment, due soon, overdue, escalated,
verified. The one place that calls the notifications app."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.urls import reverse

from sqm.improvement.core.deadlines import Level
from sqm.improvement.models import ActionItem
from sqm.lib.choices import gettext_noop
from sqm.org.core.roles import Role

log = logging.getLogger("sqm.improvement")

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
    recipient: Any, kind: str, title: str, url: str, params: dict[str, str], branch: Any, key: str
) -> bool:
    # The notifications app is being built beside this one; until its face is committed the
    # notice is logged, so the sweep and the steps already run end to end.
    log.info("notify %s %s %s %s", getattr(recipient, "username", recipient), kind, key, url)
    return True
