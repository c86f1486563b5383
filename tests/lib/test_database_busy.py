"""A busy database is a 503 the client may retry, never a 500 (sqm.lib.database_busy)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from sqm.lib.database_busy import BUSY, DatabaseBusyMiddleware, refusal_for


def _locked_error(tmp_path: Path) -> OperationalError:
    """A real "database is locked" from sqlite3, wrapped as Django wraps it."""
    path = tmp_path / "busy.sqlite3"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as cause:
        error = OperationalError(str(cause))
        error.__cause__ = cause
        return error
    finally:
        other.close()
        holder.close()
    raise AssertionError("the second writer got the lock")


def _middleware() -> DatabaseBusyMiddleware:
    return DatabaseBusyMiddleware(lambda request: HttpResponse())


def test_a_locked_sqlite_database_is_a_503_with_the_tmf630_body_under_tmf_api(
    tmp_path: Path,
) -> None:
    error = _locked_error(tmp_path)
    assert refusal_for(error) == BUSY
    request = RequestFactory().post("/tmf-api/troubleTicket/v5/troubleTicket")
    response = _middleware().process_exception(request, error)
    assert response is not None and response.status_code == 503
    assert response["Retry-After"] == "1"
    body = json.loads(response.content)
    assert body["status"] == "503" and body["code"] == "DATABASE_BUSY" and body["message"]


def test_other_database_errors_are_left_to_the_error_handling_they_had(tmp_path: Path) -> None:
    request = RequestFactory().get("/complaints/")
    assert _middleware().process_exception(request, OperationalError("no such table: x")) is None
    assert _middleware().process_exception(request, ValueError("database is locked")) is None


def test_a_tmf_view_that_meets_a_locked_database_answers_503_not_500(tmp_path: Path) -> None:
    from sqm.tmf.errors import json_errors

    error = _locked_error(tmp_path)

    def view(request: HttpRequest) -> HttpResponse:
        raise error

    response = json_errors(view)(RequestFactory().post("/tmf-api/troubleTicket/v5/troubleTicket"))
    assert response.status_code == 503
    assert json.loads(response.content)["code"] == "DATABASE_BUSY"
