"""schemathesis against SQM's own REST API at /api/v1 (indicators, voc, spam), through the WSGI
app: whatever a client sends, valid by the served schema or not, the API answers as documented
and never with a server error (issue 24, point 6). A few examples an operation keep the run
well under a minute. The driver and the WSGI app are the TMF suites' (tests/conftest.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode

from sqm.config.api import api
from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes
from sqm.org.models import ApiToken
from sqm.voc.intake import import_file
from tests.conftest import never_a_server_error, schema_operations
from tests.voc.conftest import synthetic_study

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"
BASE = "/api/v1"
TAGS = ("indicators", "voc", "spam")
EXAMPLES = 8


@pytest.fixture
def served(people: Any, data_dir: Path, settings: Any, wsgi_app: Any) -> Any:
    """The served schema and an analyst's token (every router answers them), over a store
    holding a two-month survey study."""
    settings.ALLOWED_HOSTS = ["*"]
    path = data_dir / "study.csv"
    synthetic_study(respondents=40).to_csv(path, index=False)
    import_file(data_dir, path, ReferenceCodes.from_province(PROVINCE))
    key = ApiToken.issue(people["analyst"])
    # The schema page is for signed-in people only (config/api.py), so it is taken from the API
    # object, as the page renders it. (Not through Django's test client: a request through it
    # reconnects the signal that closes the database connection after each request, which on
    # PostgreSQL would end the test's transaction under the WSGI app.)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(api.get_openapi_schema())))
    schema.app = wsgi_app
    schema.location = OPENAPI
    return schema, key


def _operations(schema: Any, tag: str) -> dict[str, Any]:
    return {
        label: operation
        for label, operation in schema_operations(schema, BASE).items()
        if tag in operation.definition.raw.get("tags", [])
    }


def test_the_served_schema_has_the_operations_under_test(served: Any) -> None:
    schema, _key = served
    assert set(_operations(schema, "indicators")) == {
        "GET /indicators/catalog",
        "GET /indicators/results",
    }
    assert set(_operations(schema, "voc")) == {"GET /voc/report", "GET /voc/drivers"}
    assert {"POST /spam/reports", "GET /spam/cases"} <= set(_operations(schema, "spam"))


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("tag", TAGS)
def test_the_rest_api_never_answers_with_a_server_error(
    served: Any, tag: str, mode: GenerationMode
) -> None:
    schema, key = served
    for operation in _operations(schema, tag).values():
        raw = operation.definition.raw
        if mode == GenerationMode.NEGATIVE and not (raw.get("parameters") or "requestBody" in raw):
            continue  # nothing a client sends can be invalid (GET /indicators/catalog)
        never_a_server_error(operation, mode, {"Authorization": f"Token {key}"}, EXAMPLES)
