"""Each role's home page: a work list, every item a link to where the work is done.

``sections_for(user, now, data_dir)`` picks the role's builder; each builder is a small
function of its own module, testable alone.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.org.access import role_of
from sqm.org.core.roles import Role
from sqm.web.homes import figures, supervision, work
from sqm.web.homes.items import Item, Section

if TYPE_CHECKING:
    from sqm.lib.people import Requester


Builder = Callable[[Any, datetime, Path], list[Section]]


def administrator_sections(user: Requester, now: datetime, data_dir: Path) -> list[Section]:
    tools = Section(
        "administration",
        _("系统管理"),
        (
            Item(_("数据与组织一览"), reverse("inventory"), _("组织架构、部门代码与已加载的数据")),
            Item(_("审计日志"), reverse("org:audit")),
            Item(_("用户与权限"), reverse("admin:index")),
        ),
        "",
    )
    return [tools, *figures.analyst_sections(user, now)]


HOMES: dict[Role, Builder] = {
    Role.ADMINISTRATOR: administrator_sections,
    Role.ANALYST: lambda user, now, _dir: figures.analyst_sections(user, now),
    Role.BRANCH_MANAGER: lambda user, now, _dir: figures.manager_sections(user, now),
    Role.DEPARTMENT_LIAISON: lambda user, now, _dir: figures.liaison_sections(user, now),
    Role.COMPLAINT_HANDLER: lambda user, now, _dir: work.handler_sections(user, now),
    Role.SUPERVISOR: lambda user, now, data_dir: supervision.supervisor_sections(
        user, data_dir, timezone.localdate(now)
    ),
    Role.SPAM_REVIEWER: lambda user, now, _dir: work.spam_sections(user, now),
    Role.EXECUTIVE: lambda user, now, _dir: figures.executive_sections(user, now),
}

# Roles whose home also shows tracing's newest signals and open cases (tracing's own tag).
WITH_TRACING = frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.BRANCH_MANAGER})


def sections_for(user: Requester, now: datetime, data_dir: Path) -> list[Section]:
    role = role_of(user)
    builder = HOMES.get(role) if role is not None else None
    return builder(user, now, data_dir) if builder else []


def shows_tracing(user: Requester) -> bool:
    return role_of(user) in WITH_TRACING
