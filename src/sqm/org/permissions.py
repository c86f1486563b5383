"""Who may open the administrators' pages (audit log, …)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


def is_administrator(user: Requester) -> bool:
    """Administrators by role (a superuser made with ``createsuperuser`` is one: see
    ``sqm.org.scoping.scope_of``)."""
    return scope_of(user).role == Role.ADMINISTRATOR


View = Callable[..., HttpResponse]


def users_who(check: Callable[[Any], bool]) -> Callable[[View], View]:
    """A view decorator letting in the users for whom ``check(user)`` holds. Anonymous users
    go to the login page; signed-in users who fail the check get 403 — not a redirect to
    login, which would loop for someone already signed in. Every app's page guard is one."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorate


administrator_required = users_who(is_administrator)
