"""How the TMF621 API reads a request body (ninja's parser for ``tmf_api``).

Only JSON is taken, under the media types TMF630 names: ``application/json`` for a create,
and for a PATCH also ``application/merge-patch+json`` and ``application/json-patch+json``. Any
other Content-Type (or none) is 415; a body that is not a JSON object is 400. A JSON Patch is
turned into the merge patch it amounts to on the ticket as the caller reads it now, with that
version as the precondition, so it is checked and applied by the same code as a merge patch.

ninja turns any parser exception into a bare 400 ``from`` it; the API's error handler answers
the ``TmfError`` found as its cause (``sqm.tmf.api``).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from pydantic import TypeAdapter

from sqm.complaints.tmf import documents, patching
from sqm.complaints.tmf.schemas import TroubleTicket
from sqm.tmf.api import caller
from sqm.tmf.errors import TmfError
from sqm.tmf.requests import JSON, JSON_PATCH, MERGE_PATCH, JsonParser

ACCEPTED = {"POST": (JSON,), "PATCH": (JSON, MERGE_PATCH, JSON_PATCH)}
_DOCUMENT = TypeAdapter(TroubleTicket)


def _as_client_sees(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the JSON the client read (dates as strings, no nulls)."""
    model = _DOCUMENT.validate_python(document)
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _from_json_patch(request: HttpRequest, operations: Any) -> dict[str, Any]:
    number = str((request.resolver_match.kwargs if request.resolver_match else {}).get("id", ""))
    work_order, document = documents.read(request, caller(request), number)
    before = _as_client_sees(document)
    try:
        after = patching.apply(before, operations)
        body = patching.merge_patch(before, after, patching.touched(operations))
    except patching.FailedTest as error:
        raise TmfError(409, str(error), "PATCH_TEST_FAILED") from None
    except patching.BadPatch as error:
        raise TmfError(400, str(error), "INVALID_PATCH") from None
    if not body:
        raise TmfError(400, "the JSON Patch changes nothing SQM keeps", "INVALID_PATCH")
    rows = body.setdefault(patching.CHARACTERISTICS, [])
    if not any(row.get("name") == "version" for row in rows):
        # The patch was computed on this version: a change in between is a conflict (409).
        rows.append({"name": "version", "value": work_order.version})
    return body


class TmfParser(JsonParser):
    """sqm.tmf's JSON parser, with JSON Patch taken for a PATCH."""

    def __init__(self) -> None:
        super().__init__(ACCEPTED)

    def convert(self, request: HttpRequest, media: str, data: Any) -> Any:
        return _from_json_patch(request, data) if media == JSON_PATCH else data
