"""How the TMF621 API reads a request body (ninja's parser for ``tmf_api``).

Only JSON is taken, under the media types TMF630 names: ``application/json`` for a create,
and for a PATCH also ``application/merge-patch+json`` and ``application/json-patch+json``. Any
other Content-Type (or none) is 415; a body that is not a JSON object is 400. A JSON Patch is
turned into the merge patch it amounts to on the ticket as the caller reads it now, with that
version as the precondition, so it is checked and applied by the same code as a merge patch.

ninja turns any parser exception into a bare 400 ``from`` it; the API's error handler answers
the ``TmfError`` found as its cause (tmf.api ``_http_error``).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser
from pydantic import TypeAdapter

from sqm.complaints.tmf import documents, patching
from sqm.complaints.tmf.errors import TmfError
from sqm.complaints.tmf.schemas import TroubleTicket

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
ACCEPTED = {"POST": (JSON,), "PATCH": (JSON, MERGE_PATCH, JSON_PATCH)}
_DOCUMENT = TypeAdapter(TroubleTicket)


def _as_client_sees(document: dict[str, Any]) -> dict[str, Any]:
    """The document as the JSON the client read (dates as strings, no nulls)."""
    model = _DOCUMENT.validate_python(document)
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


def _from_json_patch(request: HttpRequest, operations: Any) -> dict[str, Any]:
    number = str((request.resolver_match.kwargs if request.resolver_match else {}).get("id", ""))
    work_order, document = documents.read(request, getattr(request, "auth", None), number)
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


class TmfParser(Parser):
    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        media = (request.content_type or "").lower()
        accepted = ACCEPTED.get(request.method or "", (JSON,))
        if media not in accepted:
            raise TmfError(
                415,
                f"send the body as {' or '.join(accepted)}, not {media or 'no Content-Type'}",
            )
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise TmfError(400, f"the body is not valid JSON: {error}") from None
        if media == JSON_PATCH:
            data = _from_json_patch(request, data)
        if not isinstance(data, dict):
            kind = "an array" if isinstance(data, list) else f"{json.dumps(data)}"
            raise TmfError(400, f"the body must be a JSON object (a TroubleTicket), not {kind}")
        return data
