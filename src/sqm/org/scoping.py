"""Data scoping, enforced here and nowhere else: views and the analytics layer ask for a
user's scope and pass querysets through ``scoped``."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db.models import Model, QuerySet

from sqm.org.core.masking import mask_phones_in_text
from sqm.org.core.roles import NOTHING, Scope, scope_for

if TYPE_CHECKING:
    from sqm.lib.people import Requester


M = TypeVar("M", bound=Model)


def scope_of(user: Requester | None) -> Scope:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached: Scope | None = getattr(user, "_sqm_scope", None)
    if cached is not None:
        return cached
    profile = getattr(user, "sqm_profile", None)
    if profile is None:
        # A superuser made with ``createsuperuser`` has no profile but administers.
        scope = scope_for(None, None, None, is_superuser=True) if user.is_superuser else NOTHING
    else:
        scope = profile.scope()
    # Cached on the user object for the rest of the request (through request.user's lazy proxy).
    user._sqm_scope = scope  # type: ignore[attr-defined]
    return scope


def scoped(
    queryset: QuerySet[M], user: Requester, branch_field: str = "branch__code"
) -> QuerySet[M]:
    """Only the rows of branches the user may see."""
    scope = scope_of(user)
    if scope.branches is None:
        return queryset
    if not scope.branches:
        return queryset.none()
    return queryset.filter(**{f"{branch_field}__in": sorted(scope.branches)})


def typed_text_for(user: Requester, text: str | None) -> str:
    """Free text a person typed (a complaint's description, a note, a reason, an SMS) as
    ``user`` may read it: phone numbers in it masked unless their role may reveal numbers.
    Pages (the ``masked_for`` filter), exports and the APIs all go through here."""
    if scope_of(user).may_unmask:
        return text or ""
    return mask_phones_in_text(text)
