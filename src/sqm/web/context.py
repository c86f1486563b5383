"""Template context shared by every page: the navigation for the domains and the user's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sqm.org.scoping import scope_of

# (url name or None when the domain is still to come, label)
NAVIGATION: tuple[tuple[str | None, Any], ...] = (
    ("home", _("首页")),
    (None, _("指标矩阵")),
    (None, _("投诉工单")),
    (None, _("投诉溯源")),
    (None, _("容量规划")),
    (None, _("客户满意度")),
    (None, _("垃圾短信")),
    (None, _("改进管理")),
)


def navigation(request: HttpRequest) -> dict[str, Any]:
    return {"navigation": NAVIGATION, "scope": scope_of(getattr(request, "user", None))}
