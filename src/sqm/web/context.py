"""Template context shared by every page: the navigation for the domains and who is signed in."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from sqm.assessment import services as assessment
from sqm.complaints import services as complaints
from sqm.improvement import services as improvement
from sqm.indicators import services as indicators
from sqm.lib.language import localized_name
from sqm.org.models import Branch
from sqm.org.permissions import is_administrator
from sqm.org.scoping import scope_of
from sqm.planning import services as planning
from sqm.spam import services as spam
from sqm.tracing import services as tracing
from sqm.voc import services as voc
from sqm.web.labels import role_label, scope_label

if TYPE_CHECKING:
    from sqm.lib.people import Requester


def _signed_in(user: Requester) -> bool:
    return bool(getattr(user, "is_authenticated", False))


@dataclass(frozen=True, slots=True)
class NavItem:
    url_name: str | None  # None while the domain is still to come: shown greyed, not a link
    label: Any
    # Who may open the entry: the app's own access rule (its services face), so a menu never
    # leads to a refusal. Entries still to come are shown to everyone signed in.
    may_open: Callable[[Any], bool] = _signed_in

    @property
    def namespace(self) -> str | None:
        """A domain's entry stays lit on every page of the domain, not only its first."""
        if self.url_name is None or ":" not in self.url_name:
            return None
        return self.url_name.split(":", 1)[0]


NAVIGATION: tuple[NavItem, ...] = (
    NavItem("home", _("首页")),
    NavItem("indicators:overview", _("指标矩阵"), indicators.may_view_indicators),
    NavItem("complaints:queue", _("投诉工单"), complaints.can_view),
    NavItem("tracing:index", _("投诉溯源"), tracing.can_view),
    NavItem("planning:index", _("容量规划"), planning.can_view),
    NavItem("voc:dashboard", _("客户满意度"), voc.can_view),
    NavItem("spam:queue", _("垃圾短信"), spam.can_view),
    NavItem("improvement:index", _("改进管理"), improvement.can_view_actions),
    NavItem("assessment:ranking", _("考核评价"), assessment.may_view),
)


@dataclass(frozen=True, slots=True)
class Viewer:
    """The top bar's account block."""

    name: str
    role: str
    scope: str
    is_administrator: bool


def viewer(user: Requester | None) -> Viewer | None:
    if user is None or not user.is_authenticated:
        return None
    scope = scope_of(user)
    names: dict[str, str] = {}
    if scope.branches:
        names = {b.code: localized_name(b) for b in Branch.objects.filter(code__in=scope.branches)}
    return Viewer(
        name=user.get_full_name() or user.get_username(),
        role=role_label(scope.role),
        scope=scope_label(scope, names),
        is_administrator=is_administrator(user),
    )


def menu_for(user: Requester | None) -> list[NavItem]:
    """The entries this user may open: a role never sees a menu entry that answers 403."""
    return [item for item in NAVIGATION if item.may_open(user)]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    match = getattr(request, "resolver_match", None)
    return {
        "navigation": SimpleLazyObject(lambda: menu_for(user)),
        "current_url_name": match.view_name if match else None,
        "current_namespace": match.namespace if match else None,
        "scope": SimpleLazyObject(lambda: scope_of(user)),
        # Lazy: pages that never show the top bar (API docs, admin) do not pay its query.
        "viewer": SimpleLazyObject(lambda: viewer(user)),
    }
