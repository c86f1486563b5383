"""The NinjaAPI every SQM TM Forum API is built on.

``make_api`` gives an API with SQM's authentication (``Authorization: Token <key>`` or the
browser session), its schema and docs readable with either, JSON bodies only
(``sqm.tmf.requests``) and exception handlers that answer every refusal with TMF630's error
body: bad input 400, no credentials 401, a role that may not 403, outside the caller's scope
404 (as if it did not exist), a stale version 409, a body too large 413, not JSON 415.
``urls(api)`` mounts it so that what Django answers around it (404, 405, 500) is that body
too.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger
from ninja.parser import Parser
from ninja.security import SessionAuth

from sqm.lib.people import Person, signed_in
from sqm.org.authentication import TokenAuth
from sqm.tmf.errors import error_body, json_errors
from sqm.tmf.errors import too_large as body_too_large
from sqm.tmf.requests import JsonParser
from sqm.tmf.schemas import Error

# What each documented refusal of a TMF operation answers with (ninja's ``response=``).
ERRORS: dict[int, Any] = {400: Error, 401: Error, 403: Error, 404: Error, 409: Error}
BODY_ERRORS: dict[int, Any] = {**ERRORS, 413: Error, 415: Error}


def schema_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The schema and its docs: for signed-in people (like every page), and for machines with
    an API token, since a BSS/OSS client reads the schema it is about to call."""
    page = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "Authorization" not in request.headers:
            return page(request, *args, **kwargs)
        try:
            user = TokenAuth()(request)
        except AuthenticationError:
            user = None
        if user is None:
            return HttpResponse("invalid token", status=401, content_type="text/plain")
        return view(request, *args, **kwargs)

    return wrapper


def caller(request: HttpRequest) -> Person:
    """The person an API request authenticated as (token or session): ninja's auth has run
    before a handler, so anyone else never reaches it."""
    return signed_in(getattr(request, "auth", None) or request.user)


class SignedInSession(SessionAuth):
    """The browser session, for signed-in people only. ninja checks CSRF before it looks for a
    user, so a request with neither token nor session got 403 "CSRF check failed": nobody is
    signed in, which is a 401 like every other method. A signed-in POST still needs its CSRF
    token."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


def _problem(error: dict[str, Any]) -> str:
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "payload"))
    if error.get("type") == "extra_forbidden":
        return f"{where}: SQM does not keep this attribute here (read-only or unsupported)"
    return f"{where}: {error.get('msg', '')}"


def make_api(
    *,
    title: str,
    version: str,
    description: str,
    namespace: str,
    not_found: str,
    missing: tuple[type[Exception], ...] = (),
    parser: Parser | None = None,
) -> NinjaAPI:
    """A TMF API; ``not_found`` is the message of a 404 for its resource, which the
    ``missing`` exceptions (a model's DoesNotExist) also answer."""
    api = NinjaAPI(
        title=title,
        version=version,
        description=description,
        urls_namespace=namespace,
        auth=[TokenAuth(), SignedInSession()],
        docs=Swagger(),
        docs_decorator=schema_access,
        parser=parser or JsonParser(),
    )

    def reply(request: HttpRequest, status: int, message: str, code: str | None) -> HttpResponse:
        return api.create_response(request, error_body(status, message, code), status=status)

    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return reply(request, 400, "; ".join(_problem(e) for e in exc.errors) or "invalid", None)

    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return reply(request, 401, "sign in, or send Authorization: Token <key>", None)

    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # ninja answers a parser failure with a bare 400 raised from it: the cause says which.
        cause = exc.__cause__
        if isinstance(cause, HttpError):
            exc = cause
        return reply(request, exc.status_code, str(exc), getattr(exc, "code", None))

    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return reply(request, 403, str(exc) or "your role may not do this", None)

    def absent(request: HttpRequest, exc: Exception) -> HttpResponse:
        return reply(request, 404, not_found, None)

    def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
        return body_too_large()

    # ninja types a handler's exception as "the exception or its class": ours take instances.
    api.add_exception_handler(ValidationError, invalid)  # type: ignore[arg-type]
    api.add_exception_handler(AuthenticationError, unauthenticated)  # type: ignore[arg-type]
    api.add_exception_handler(HttpError, http_error)  # type: ignore[arg-type]
    api.add_exception_handler(PermissionDenied, forbidden)  # type: ignore[arg-type]
    api.add_exception_handler(RequestDataTooBig, too_large)  # type: ignore[arg-type]
    for exception in (Http404, *missing):
        api.add_exception_handler(exception, absent)  # type: ignore[arg-type]
    return api


def urls(api: NinjaAPI) -> tuple[list[Any], str, str]:
    """``api.urls`` with every view answering its errors (404, 405, 500) as TMF630 bodies."""
    patterns, app_name, namespace = api.urls
    wrapped = [
        URLPattern(p.pattern, json_errors(p.callback), p.default_args, p.name)
        if isinstance(p, URLPattern)
        else p
        for p in patterns
    ]
    return wrapped, app_name, namespace
