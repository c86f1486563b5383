"""The REST API at ``/api/v1/``: one NinjaAPI, a router per domain.

Authentication is the browser session or ``Authorization: Token <key>`` (keys from
``sqm createuser --token``). Docs: ``/api/v1/docs`` renders Swagger UI from the files in ninja's
wheel ("ninja" is in INSTALLED_APPS, WhiteNoise serves them), never a CDN; the schema itself is
``/api/v1/openapi.json``. Both need a signed-in user, like every page of SQM.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError
from ninja.openapi.docs import Swagger
from ninja.security import SessionAuth

from sqm.indicators.api import router as indicators_router
from sqm.org.api import router as org_router
from sqm.org.authentication import TokenAuth
from sqm.spam.api import router as spam_router
from sqm.voc.api import router as voc_router

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


def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter or body the operation cannot use is a 400 that says which and why (ninja
    answers 422 with a list of pydantic errors)."""
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
        problems.append(f"{where}: {error.get('msg', 'invalid')}")
    return api.create_response(
        request, {"detail": "; ".join(problems) or "invalid request"}, status=400
    )


# ninja types a handler's exception as "the exception or its class": ours takes instances.
api.add_exception_handler(ValidationError, _invalid)  # type: ignore[arg-type]
api.add_router("/", org_router)
api.add_router("/indicators/", indicators_router)
api.add_router("/spam/", spam_router)
api.add_router("/voc/", voc_router)
