"""Who asks and who acts: the user types that services, access checks and views name.

A read or an access check takes whoever a request belongs to (``Requester``: signed in or
not, so an anonymous visitor is refused by the rule rather than by a crash); a write names
the signed-in person who makes it (``Person``), the one the audit log and timelines record.
A page behind a sign-in guard (``sqm.org.permissions.users_who``) takes a
``SignedInRequest``, whose ``user`` is a Person; an API handler, which authenticates its
own way, narrows with ``signed_in(request.user)``.
"""

from __future__ import annotations

from typing import TypeAlias

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

Person: TypeAlias = User
Requester: TypeAlias = User | AnonymousUser


class SignedInRequest(HttpRequest):
    """The request a guarded page receives (a type only: Django passes an HttpRequest)."""

    user: Person


def signed_in(user: Requester) -> Person:
    """The person, or PermissionDenied for an anonymous visitor."""
    if isinstance(user, AnonymousUser) or not user.is_authenticated:
        raise PermissionDenied
    return user


__all__ = ["Person", "Requester", "SignedInRequest", "signed_in"]
