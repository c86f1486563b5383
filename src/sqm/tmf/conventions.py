"""TMF630 conventions every SQM TM Forum API follows: attribute selection (``fields``),
paging (``offset``/``limit`` with ``X-Total-Count``/``X-Result-Count``), optimistic
concurrency (``ETag``/``If-Match``) and no silently ignored parameters."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse

from sqm.tmf.errors import TmfError

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000  # beyond any province's records, and inside the database's integers
# What the query and path may hold: codes, attribute lists and identifiers (never a NUL, which
# no database column can store).
CODE = r"^[A-Za-z0-9_.\-]*$"
FIELDS = r"^[A-Za-z0-9@,._\-]{0,500}$"
IDENTIFIER = r"^[A-Za-z0-9_\-]{1,32}$"
# Attributes every answer carries, whatever ``fields`` asks for.
ALWAYS = ("id", "href", "@type")


def select(document: dict[str, Any], fields: str | None) -> dict[str, Any]:
    """TMF630 ``fields=a,b``: only those attributes (and the identity ones)."""
    if not fields:
        return document
    wanted = {f.strip() for f in fields.split(",") if f.strip()} | set(ALWAYS)
    return {k: v for k, v in document.items() if k in wanted}


def count_headers(response: HttpResponse, total: int, returned: int) -> None:
    response["X-Total-Count"] = str(total)
    response["X-Result-Count"] = str(returned)


def set_etag(response: HttpResponse, version: int) -> None:
    response["ETag"] = f'"{version}"'


def expected_version(if_match: str | None, fallback: Any = None) -> int | None:
    """``If-Match: "7"`` (or ``W/"7"``) wins over a version sent in the body; ``*`` or
    nothing means "whatever the version is"."""
    raw: Any = fallback
    if if_match is not None and if_match.strip() != "*":
        raw = if_match.strip().removeprefix("W/").strip('"')
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise TmfError(400, "version must be an integer")
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise TmfError(400, f"version must be an integer, not {raw!r}") from None


def only_parameters(request: HttpRequest, allowed: Iterable[str]) -> None:
    """A query parameter the operation does not know is an error, not a silent no-op: a
    client that sends ``filter=…`` or misspells an attribute must not take the whole list for
    the filtered one."""
    known = list(dict.fromkeys(allowed))
    unknown = sorted(set(request.GET) - set(known))
    if not unknown:
        return
    hint = (
        " (JSONPath filter is not supported: use attribute filters)" if "filter" in unknown else ""
    )
    raise TmfError(
        400,
        f"unsupported query parameter(s): {', '.join(unknown)}{hint}; "
        f"this operation takes {', '.join(known) or 'none'}",
        "INVALID_QUERY",
    )
