"""Clients for the TMF656 API signed in as anyone of the standing cast (tests/conftest.py:
analyst, manager_a of NJ, manager_b of WX, …), tracing cases and work orders to link, and the
official TMF656 specification to hold every answer to."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from django.test import Client

# The work-order factory and its calendar reset, shared as fixtures (pytest finds them by name).
from tests.complaints.conftest import _fresh_calendars, make_order  # noqa: F401
from tests.conftest import require

BASE = "/tmf-api/serviceProblemManagement/v4"
SPEC = (
    Path(__file__).resolve().parents[4] / "shared" / "specs"
    / "TMF656-ServiceProblem-v4.0.0.swagger.json"
)  # fmt: skip
MakeCase = Callable[..., Any]


def send(
    client: Client,
    method: str,
    path: str,
    body: Any = None,
    content_type: str = "application/json",
    **headers: str,
) -> Any:
    """A request to the TMF656 API (``path`` relative to its base)."""
    call = getattr(client, method)
    if body is None:
        return call(f"{BASE}{path}", headers=headers)
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return call(f"{BASE}{path}", data, content_type=content_type, headers=headers)


def extension(document: dict[str, Any], name: str) -> Any:
    for row in document.get("extensionInfo", []):
        if row["name"] == name:
            return row["value"]
    return None


@pytest.fixture
def make_case(people: Any) -> MakeCase:
    """``make_case("manager_a", branches=["NJ"], title=...)``: a case opened through the
    tracing services, as the pages open one."""
    from sqm.tracing import services

    def make(actor: str = "analyst", **fields: Any) -> Any:
        values: dict[str, Any] = {
            "title": "南京 手机上网慢投诉突增",
            "description": "晚高峰 4G 上网慢",
            "branches": ["NJ"],
            "category": "mobile_internet",
            "subcategory": "mobile_internet.slow",
            "lead_department": "network",
        }
        values.update(fields)
        return services.open_case(people[actor], **values)

    return make


def new_problem(**overrides: Any) -> dict[str, Any]:
    """A valid TMF656 ServiceProblem_Create for a NJ mobile-internet problem."""
    body: dict[str, Any] = {
        "@type": "ServiceProblem",
        "category": "mobile_internet.slow",
        "priority": 3,
        "description": "南京晚高峰上网慢\n多个小区 4G 速率低",
        "reason": "Unknown",
        "originatorParty": {"id": "analyst", "@referredType": "Individual"},
        "affectedLocation": [{"id": "NJ", "@type": "Branch"}],
        "responsibleParty": {
            "id": "network",
            "role": "leadDepartment",
            "@referredType": "Organization",
        },
    }
    body.update(overrides)
    return body


class Contract:
    """The official TMF656 v4 definitions as JSON Schema. ``check(doc, "ServiceProblem")``
    fails on any breach — and on any attribute the definition does not declare (TMF's own
    schemas allow extras; ours must not invent them)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.definitions = {k: self._closed(v) for k, v in spec["definitions"].items()}

    @staticmethod
    def _closed(schema: dict[str, Any]) -> dict[str, Any]:
        closed = dict(schema)
        if "properties" in closed:
            closed["additionalProperties"] = False
        return closed

    def validator(self, definition: str) -> Any:
        schema = {"definitions": self.definitions, "$ref": f"#/definitions/{definition}"}
        return jsonschema_rs.Draft4Validator(schema, validate_formats=True)

    def check(self, document: Any, definition: str) -> None:
        errors = [
            f"{e.instance_path}: {e.message}"
            for e in self.validator(definition).iter_errors(document)
        ]
        assert not errors, f"{definition}: {errors[:5]}"

    def response(self, path: str, method: str, status: int) -> dict[str, Any]:
        return self.spec["paths"][path][method]["responses"][str(status)]


@pytest.fixture(scope="session")
def contract() -> Contract:
    require(SPEC.exists(), f"TMF656 specification missing: {SPEC}")
    return Contract(json.loads(SPEC.read_text(encoding="utf-8")))
