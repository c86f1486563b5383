"""TMF630's error body for every answer under ``/tmf-api/``.

The APIs' own refusals are built here (``error_response``); what Django or ninja answer by
themselves around it — an unknown path (404), a method the resource does not have (405), a
body over the upload limit (413), a server error — would be HTML or plain text, so the URL
patterns are wrapped (``json_errors``) and a catch-all answers unknown paths. A client parses
one error shape whatever went wrong.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError

from sqm.lib.database_busy import refusal_for, refusal_response
from sqm.lib.refusals import ILLEGAL_TRANSITION, STATE_CONFLICT

logger = logging.getLogger("django.request")

REASONS = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    500: "Internal server error",
}
CODES = {
    400: "INVALID_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    500: "INTERNAL_ERROR",
}


class TmfError(HttpError):
    """An HttpError with TMF630's machine-readable ``code``."""

    def __init__(self, status_code: int, message: str, code: str | None = None) -> None:
        super().__init__(status_code, message)
        self.code = code or CODES.get(status_code, str(status_code))


def illegal_transition(message: str) -> TmfError:
    """A step the object's state does not allow: a conflict (409), never bad input
    (``sqm.lib.refusals``), in every TMF API."""
    return TmfError(STATE_CONFLICT, message, ILLEGAL_TRANSITION)


def state_conflict(message: str) -> TmfError:
    """A business step the object's state forbids now (already escalated, not yet appealable):
    409 as well, with its own code so a client tells it from a status step."""
    return TmfError(STATE_CONFLICT, message, "STATE_CONFLICT")


def error_body(status: int, message: str, code: str | None = None) -> dict[str, str]:
    """TMF630's error body: ``code``, ``reason``, ``message``, ``status``."""
    return {
        "code": code or CODES.get(status, str(status)),
        "reason": REASONS.get(status, "Error"),
        "message": message,
        "status": str(status),
        "@type": "Error",
    }


def error_response(status: int, message: str, code: str | None = None) -> HttpResponse:
    return JsonResponse(
        error_body(status, message, code), status=status, json_dumps_params={"ensure_ascii": False}
    )


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


def _message(request: HttpRequest, response: HttpResponse) -> str:
    if response.status_code == 405:
        allowed = response.get("Allow", "")
        return f"{request.method} is not allowed here; allowed: {allowed}"
    if response.status_code == 404:
        return f"no such resource: {request.path}"
    text = getattr(response, "content", b"").decode("utf-8", "replace").strip()
    if text and len(text) <= 200 and "<" not in text:
        return text
    return REASONS.get(response.status_code, "error")


def as_tmf_error(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """An error answer that is not JSON becomes the same status with the TMF630 body (headers
    such as ``Allow`` kept)."""
    if response.status_code < 400 or _is_json(response):
        return response
    answer = error_response(response.status_code, _message(request, response))
    for header in ("Allow", "WWW-Authenticate"):
        if header in response:
            answer[header] = response[header]
    return answer


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view mounted under ``/tmf-api/`` so its error answers are TMF630 bodies, and
    an exception that escapes it is a logged 500 with that body rather than Django's page."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except Http404:
            return not_found(request)
        except PermissionDenied:
            return error_response(403, "your role may not do this")
        except RequestDataTooBig:
            return too_large()
        except SuspiciousOperation as error:
            return error_response(400, str(error) or "bad request")
        except Exception as error:
            # A busy database or a lost race is a 503 or 409 to retry, not a server error.
            refusal = refusal_for(error)
            if refusal is not None:
                return refusal_response(request, refusal)
            logger.exception("TMF API error: %s %s", request.method, request.path)
            return error_response(500, "the server failed to answer; the error is logged")
        return as_tmf_error(request, response)

    return wrapper


def too_large() -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(413, f"the body is larger than the {limit} bytes the API takes")


def not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """Any path under ``/tmf-api/`` that names no resource."""
    return error_response(404, f"no such resource: {request.path}")
