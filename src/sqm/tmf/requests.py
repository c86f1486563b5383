"""How a TMF API reads a request body (ninja's parser for the API).

Only JSON is taken, under the media types TMF630 names: ``application/json`` for a create or
a task, and for a PATCH also ``application/merge-patch+json`` (and ``application/json-patch+
json`` where an API turns a JSON Patch into the merge patch it amounts to: ``convert``). Any
other Content-Type (or none) is 415; a body that is not a JSON object is 400.

ninja turns any parser exception into a bare 400 ``from`` it; the API's error handler answers
the ``TmfError`` found as its cause (``sqm.tmf.api``).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest
from ninja.parser import Parser

from sqm.tmf.errors import TmfError

JSON = "application/json"
MERGE_PATCH = "application/merge-patch+json"
JSON_PATCH = "application/json-patch+json"
MERGE_ONLY: dict[str, tuple[str, ...]] = {"POST": (JSON,), "PATCH": (JSON, MERGE_PATCH)}


class JsonParser(Parser):
    """``accepted``: the media types per method (POST and PATCH)."""

    def __init__(self, accepted: dict[str, tuple[str, ...]] | None = None) -> None:
        self.accepted = accepted or MERGE_ONLY

    def convert(self, request: HttpRequest, media: str, data: Any) -> Any:
        """The body as the API's schema reads it (a JSON Patch becomes a merge patch)."""
        return data

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        media = (request.content_type or "").lower()
        accepted = self.accepted.get(request.method or "", (JSON,))
        if media not in accepted:
            hint = " (JSON Patch is not offered here: send a merge patch)"
            raise TmfError(
                415,
                f"send the body as {' or '.join(accepted)}, not {media or 'no Content-Type'}"
                + (hint if media == JSON_PATCH else ""),
            )
        try:
            data = json.loads(request.body)
        except (ValueError, UnicodeDecodeError) as error:
            raise TmfError(400, f"the body is not valid JSON: {error}") from None
        data = self.convert(request, media, data)
        if not isinstance(data, dict):
            kind = "an array" if isinstance(data, list) else json.dumps(data)
            raise TmfError(400, f"the body must be a JSON object, not {kind}")
        return data
