"""schemathesis against the TMF656 API's served OpenAPI schema, through the WSGI app, a
bounded number of examples per operation: whatever a client sends that the schema allows —
and, in negative mode, what it does not — is answered as documented and never with a server
error. As for TMF621, "schema-valid data is accepted" is left out: a problem can be well-formed
and still refused for a business reason (an unknown department, a stage step the rule refuses).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance

from sqm.org.models import ApiToken
from tests.tracing.tmf.conftest import BASE, MakeCase

pytestmark = pytest.mark.django_db

OPERATIONS = (
    "GET /serviceProblem",
    "POST /serviceProblem",
    "GET /serviceProblem/{id}",
    "PATCH /serviceProblem/{id}",
    "DELETE /serviceProblem/{id}",
    "GET /serviceProblemEventRecord",
    "GET /serviceProblemEventRecord/{id}",
    "POST /problemGroup",
    "POST /problemUngroup",
    "POST /hub",
    "DELETE /hub/{id}",
)
EXAMPLES = 20


@pytest.fixture
def wsgi_app() -> Iterator[Any]:
    """Django's WSGI application, keeping the test's connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def served(people: Any, make_case: MakeCase, settings: Any, wsgi_app: Any) -> Any:
    settings.ALLOWED_HOSTS = ["*"]
    make_case("manager_a")  # something to read, patch, group and conflict with
    make_case("manager_a", title="第二个")
    key = ApiToken.issue(people["manager_a"])
    schema = schemathesis.openapi.from_wsgi(
        f"{BASE}/openapi.json", wsgi_app, headers={"Authorization": f"Token {key}"}
    )
    return schema, key


def _operations(schema: Any) -> dict[str, Any]:
    found = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        found[f"{operation.method.upper()} {operation.path.removeprefix(BASE)}"] = operation
    return found


def test_the_served_schema_has_every_operation(served: Any) -> None:
    schema, _key = served
    assert set(_operations(schema)) == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_tmf656_api_never_answers_with_a_server_error(
    served: Any, label: str, mode: GenerationMode
) -> None:
    schema, key = served
    operation = _operations(schema)[label]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        case.call_and_validate(
            headers={"Authorization": f"Token {key}"}, excluded_checks=[positive_data_acceptance]
        )

    run()
