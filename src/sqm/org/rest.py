"""What every router of the REST API at ``/api/v1`` shares: the error body and the refusals
each operation documents, so a client (and schemathesis) knows every status it may get."""

from __future__ import annotations

from typing import Any

from ninja import Schema

# A code as the query or path may hold it: branch, tier, indicator and status codes.
CODE = r"^[A-Za-z0-9_.\-]{1,64}$"
# A calendar month, the form the satisfaction study is kept by.
MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
# Row ids: positive, and inside every database's integer column.
MAX_ID = 2**31 - 1


class ApiError(Schema):
    """ninja's error body: ``{"detail": "<what was wrong>"}``."""

    detail: str


# 400 bad parameter or body, 401 no or a wrong token, 403 role may not, 404 not in scope.
ERRORS: dict[int, Any] = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}
