"""schemathesis against the TMF656 API's served OpenAPI schema, through the WSGI app, a
bounded number of examples per operation: whatever a client sends that the schema allows —
and, in negative mode, what it does not — is answered as documented and never with a server
error. As for TMF621, "schema-valid data is accepted" is left out: a problem can be well-formed
and still refused for a business reason (an unknown department, a stage step the rule refuses).
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode

from sqm.org.models import ApiToken
from tests.conftest import never_a_server_error, schema_operations
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
def served(people: Any, make_case: MakeCase, settings: Any, wsgi_app: Any) -> Any:
    settings.ALLOWED_HOSTS = ["*"]
    make_case("manager_a")  # something to read, patch, group and conflict with
    make_case("manager_a", title="第二个")
    key = ApiToken.issue(people["manager_a"])
    schema = schemathesis.openapi.from_wsgi(
        f"{BASE}/openapi.json", wsgi_app, headers={"Authorization": f"Token {key}"}
    )
    return schema, key


def test_the_served_schema_has_every_operation(served: Any) -> None:
    schema, _key = served
    assert set(schema_operations(schema, BASE)) == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_tmf656_api_never_answers_with_a_server_error(
    served: Any, label: str, mode: GenerationMode
) -> None:
    schema, key = served
    operation = schema_operations(schema, BASE)[label]

    never_a_server_error(operation, mode, {"Authorization": f"Token {key}"}, EXAMPLES)
