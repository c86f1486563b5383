"""A database that is busy, or a write that lost a race, answers 503 or 409, never a 500.

With IMMEDIATE transactions on SQLite and batched sweeps a writer waits milliseconds for the
lock; this is what a client gets when a wait still runs out (the settings' busy timeout on
SQLite, a lock timeout on PostgreSQL: 503 with ``Retry-After``), or when PostgreSQL gives up a
transaction to break a deadlock or a serialization conflict (409: nothing was written, send it
again). Under ``/tmf-api/`` the body is TMF630's error, under ``/api/`` ninja's ``detail``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import NamedTuple

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

# sqlite3's primary result codes (the extended code's low byte).
SQLITE_BUSY, SQLITE_LOCKED = 5, 6
# PostgreSQL SQLSTATEs: lock_not_available (lock_timeout ran out); serialization_failure and
# deadlock_detected (the transaction was rolled back for another's sake).
PG_BUSY = frozenset({"55P03"})
PG_CONFLICT = frozenset({"40001", "40P01"})
RETRY_AFTER_S = 1


class Refusal(NamedTuple):
    status: int
    code: str
    reason: str
    message: str


BUSY = Refusal(
    503, "DATABASE_BUSY", "Service unavailable", "the database is busy; nothing was written, retry"
)
CONFLICT = Refusal(
    409,
    "CONFLICT",
    "Conflict",
    "another request changed the same data at the same moment; nothing was written, retry",
)


def refusal_for(error: BaseException) -> Refusal | None:
    """The answer a transient database error deserves; None for any other error."""
    if not isinstance(error, OperationalError):
        return None
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if state in PG_CONFLICT:
        return CONFLICT
    if state in PG_BUSY:
        return BUSY
    sqlite_code = getattr(cause, "sqlite_errorcode", None)
    if sqlite_code is not None and sqlite_code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED):
        return BUSY
    if sqlite_code is None and state is None and "database is locked" in str(error):
        return BUSY
    return None


def refusal_response(request: HttpRequest, refusal: Refusal) -> HttpResponse:
    response: HttpResponse
    if request.path.startswith("/tmf-api/"):
        body = {
            "code": refusal.code,
            "reason": refusal.reason,
            "message": refusal.message,
            "status": str(refusal.status),
            "@type": "Error",
        }
        response = JsonResponse(body, status=refusal.status)
    elif request.path.startswith("/api/"):
        response = JsonResponse({"detail": refusal.message}, status=refusal.status)
    else:
        response = HttpResponse(refusal.message, status=refusal.status, content_type="text/plain")
    if refusal.status == 503:
        response["Retry-After"] = str(RETRY_AFTER_S)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        refusal = refusal_for(exception)
        if refusal is None:
            return None
        logger.warning("%s %s: %s (%s)", request.method, request.path, refusal.code, exception)
        return refusal_response(request, refusal)
