"""schemathesis against SQM's own REST API at /api/v1 (indicators, voc, spam), through the WSGI
app: whatever a client sends, valid by the served schema or not, the API answers without a
server error, and a parameter it cannot use is a 4xx with a message (issue 24, point 6).

Examples are few per operation so the run stays well under a minute; every check of
schemathesis runs except "schema-valid data is accepted" (a month with no data, a branch outside
the caller's scope or a spam case that is not awaiting review is refused for reasons the schema
cannot express)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes
from sqm.org.models import ApiToken
from sqm.voc.intake import import_file
from tests.voc.conftest import synthetic_study

pytestmark = pytest.mark.django_db

OPENAPI = "/api/v1/openapi.json"
BASE = "/api/v1"
TAGS = ("indicators", "voc", "spam")
EXAMPLES = 8


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's real WSGI application, keeping the test's database connection open between
    requests (as Django's own test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def served(people: Any, data_dir: Path, settings: Any, wsgi_app: Any) -> Any:
    """The served schema, fetched with the analyst's token (every router answers them), over
    a store holding a two-month survey study."""
    settings.ALLOWED_HOSTS = ["*"]
    path = data_dir / "study.csv"
    synthetic_study(respondents=40).to_csv(path, index=False)
    import_file(data_dir, path, ReferenceCodes.from_province(PROVINCE))
    key = ApiToken.issue(people["analyst"])
    # The schema page is for signed-in people (config/api.py): read it with a session.
    reader = Client()
    reader.force_login(people["analyst"])
    response = reader.get(OPENAPI)
    assert response.status_code == 200
    schema = schemathesis.openapi.from_dict(response.json())
    schema.app = wsgi_app
    schema.location = OPENAPI
    return schema, key


def _operations(schema: Any, tag: str) -> dict[str, Any]:
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        if tag in operation.definition.raw.get("tags", []):
            found[f"{operation.method.upper()} {operation.path.removeprefix(BASE)}"] = operation
    return found


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

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        )
        def run(case: Any) -> None:
            case.call_and_validate(
                headers={"Authorization": f"Token {key}"},
                excluded_checks=[positive_data_acceptance],
            )

        run()
