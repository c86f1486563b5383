"""schemathesis against the TMF621 API's served OpenAPI schema, through the WSGI app: whatever
a client sends that the schema allows — and, in negative mode, what it does not — the API
answers without a server error. Examples are kept moderate so the run stays well under a
minute.

Every other check of schemathesis runs too (status codes, content types and bodies as
documented, authentication not ignored, invalid data rejected), except "schema-valid data is
accepted": a ticket can be well-formed and still be refused for a business reason the schema
cannot express (an unknown category code, a branch outside the caller's scope) with 400.

(schemathesis' ``from_fixture``/``parametrize`` pair does not run under pytest 9, so each
operation's strategy is driven with hypothesis directly.)"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from schemathesis import GenerationMode

from sqm.org.models import ApiToken
from tests.complaints.conftest import MakeOrder
from tests.conftest import never_a_server_error, schema_operations

pytestmark = pytest.mark.django_db

OPENAPI = "/tmf-api/troubleTicket/v5/openapi.json"
BASE = "/tmf-api/troubleTicket/v5"
OPERATIONS = (
    "GET /troubleTicket",
    "POST /troubleTicket",
    "GET /troubleTicket/{id}",
    "PATCH /troubleTicket/{id}",
)
EXAMPLES = 25


@pytest.fixture
def served(
    people: dict[str, Any], make_order: MakeOrder, data_dir: Any, settings: Any, wsgi_app: Any
) -> Any:
    """The schema as the server serves it, fetched with an API token, and that token."""
    settings.ALLOWED_HOSTS = ["*"]
    make_order("handler_a")  # something to read, patch and conflict with
    key = ApiToken.issue(people["handler_a"])
    schema = schemathesis.openapi.from_wsgi(
        OPENAPI, wsgi_app, headers={"Authorization": f"Token {key}"}
    )
    return schema, key


def test_the_served_schema_has_the_four_operations(served: Any) -> None:
    schema, _key = served
    assert set(schema_operations(schema, BASE)) == set(OPERATIONS)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=str)
@pytest.mark.parametrize("label", OPERATIONS)
def test_the_tmf_api_never_answers_with_a_server_error(
    served: Any, label: str, mode: GenerationMode
) -> None:
    schema, key = served
    operation = schema_operations(schema, BASE)[label]

    never_a_server_error(operation, mode, {"Authorization": f"Token {key}"}, EXAMPLES)
