"""``Authorization: Token <key>`` for SQM's APIs (the REST API at ``/api/v1`` and the TM Forum
APIs under ``/tmf-api/``): one class, so every API judges a key the same way."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader

from sqm.org.models import ApiToken

# Writing last_used_at on every call would turn each read into a write (and, on SQLite, a
# lock); a minute's resolution is all an administrator needs to spot stale keys.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenAuth(APIKeyHeader):
    """``Authorization: Token <key>``; only the key's SHA-256 is stored (``ApiToken``)."""

    param_name = "Authorization"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if not key:
            return None  # no header: let the session have its turn
        scheme, _, raw = key.strip().partition(" ")
        if scheme.lower() != "token" or not raw.strip():
            raise AuthenticationError  # a header was sent and it is wrong: refuse, don't fall back
        token = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(raw.strip()))
            .first()
        )
        if token is None or not token.user.is_active:
            raise AuthenticationError
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # Code below the API (scoping, audit) reads request.user, as it does for pages.
        request.user = token.user
        return token.user
