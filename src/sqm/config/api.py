"""The REST API at ``/api/v1/``: one NinjaAPI, a router per domain.

Authentication is the browser session or ``Authorization: Token <key>`` (keys from
``sqm createuser --token``). Docs: ``/api/v1/docs`` renders Swagger UI from the files in ninja's
wheel ("ninja" is in INSTALLED_APPS, WhiteNoise serves them), never a CDN; the schema itself is
``/api/v1/openapi.json``. Both need a signed-in user, like every page of SQM.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import Swagger
from ninja.security import APIKeyHeader, SessionAuth

from sqm.indicators.api import router as indicators_router
from sqm.org.api import router as org_router
from sqm.org.models import ApiToken
from sqm.spam.api import router as spam_router
from sqm.voc.api import router as voc_router

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


api = NinjaAPI(
    title="SQM API",
    version="1",
    description="SQM — service quality management for telecom customer service.",
    urls_namespace="api",
    # Token first: a request that names a key is judged by that key alone.
    auth=[TokenAuth(), SessionAuth()],
    docs=Swagger(),
    docs_decorator=login_required,
)
api.add_router("/", org_router)
api.add_router("/indicators/", indicators_router)
api.add_router("/spam/", spam_router)
api.add_router("/voc/", voc_router)
