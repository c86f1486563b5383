"""Every answer of the TMF656 API against the official specification
(TMF656-ServiceProblem-v4.0.0.swagger.json): each body validates against the definition the
specification names for that operation and status — with no attribute the definition does not
declare — and lists carry the headers it promises."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tracing.tmf.conftest import Contract, MakeCase, new_problem, send

pytestmark = pytest.mark.django_db

# The operations the specification defines that SQM serves (path, method) — everything but
# the listener side (a client's endpoints) and problem (un)acknowledgement, which SQM's case
# stages have no step for (a case is acknowledged when it is opened).
SERVED = {
    ("/serviceProblem", "get"),
    ("/serviceProblem", "post"),
    ("/serviceProblem/{id}", "get"),
    ("/serviceProblem/{id}", "patch"),
    ("/serviceProblem/{id}", "delete"),
    ("/serviceProblemEventRecord", "get"),
    ("/serviceProblemEventRecord/{id}", "get"),
    ("/problemGroup", "post"),
    ("/problemUngroup", "post"),
    ("/hub", "post"),
    ("/hub/{id}", "delete"),
}


def _body_definition(contract: Contract, path: str, method: str, status: int) -> str | None:
    schema = contract.response(path, method, status).get("schema")
    if schema is None:
        return None
    if schema.get("type") == "array":
        return schema["items"]["$ref"].rsplit("/", 1)[-1]
    return schema["$ref"].rsplit("/", 1)[-1]


def _holds(contract: Contract, response: Any, path: str, method: str) -> Any:
    """The answer's body validates against what the specification names for its status."""
    status = response.status_code
    definition = _body_definition(contract, path, method, status)
    if definition is None:
        assert response.content == b"", (path, method, status)
        return None
    body = response.json()
    items = body if isinstance(body, list) else [body]
    assert isinstance(body, list) == (
        contract.response(path, method, status)["schema"].get("type") == "array"
    )
    for item in items:
        contract.check(item, definition)
    return body


def test_the_api_serves_every_operation_of_the_specification_it_claims(
    contract: Contract, client_for: Any
) -> None:
    schema = client_for("analyst").get("/tmf-api/serviceProblemManagement/v4/openapi.json")
    assert schema.status_code == 200
    served = {
        (path.removeprefix("/tmf-api/serviceProblemManagement/v4"), method)
        for path, operations in schema.json()["paths"].items()
        for method in operations
    }
    assert served == SERVED
    specified = {(p, m) for p, ops in contract.spec["paths"].items() for m in ops}
    assert served <= specified


def test_every_answer_of_a_problems_life_holds_to_the_specification(
    contract: Contract, client_for: Any, make_case: MakeCase, make_order: Any
) -> None:
    client = client_for("analyst")
    order = make_order("handler_a")
    parent = make_case()

    created = send(
        client,
        "post",
        "/serviceProblem",
        new_problem(
            associatedTroubleTicket=[{"id": order.number}],
            rootCauseResource=[{"id": "business_support", "value": "基站退服"}],
            reason="基站退服",
            comment=[{"text": "先查 3 个基站"}],
            relatedParty=[{"id": "it", "role": "teamDepartment", "@referredType": "Organization"}],
        ),
    )
    assert created.status_code == 201, created.content
    problem = _holds(contract, created, "/serviceProblem", "post")
    number = problem["id"]

    listed = send(client, "get", "/serviceProblem")
    assert len(_holds(contract, listed, "/serviceProblem", "get")) == 2
    assert listed["X-Total-Count"] == "2" and listed["X-Result-Count"] == "2"

    read = send(client, "get", f"/serviceProblem/{number}")
    _holds(contract, read, "/serviceProblem/{id}", "get")

    patched = send(
        client,
        "patch",
        f"/serviceProblem/{number}",
        {"status": "inProgress"},
        "application/merge-patch+json",
        **{"If-Match": read["ETag"]},
    )
    assert patched.status_code == 200, patched.content
    _holds(contract, patched, "/serviceProblem/{id}", "patch")

    body = {"parentProblem": {"id": parent.number}, "childProblem": [{"id": number}]}
    grouped = send(client, "post", "/problemGroup", body)
    assert grouped.status_code == 201, grouped.content
    _holds(contract, grouped, "/problemGroup", "post")
    ungrouped = send(client, "post", "/problemUngroup", body)
    assert ungrouped.status_code == 201, ungrouped.content
    _holds(contract, ungrouped, "/problemUngroup", "post")

    records = send(client, "get", "/serviceProblemEventRecord")
    listed_records = _holds(contract, records, "/serviceProblemEventRecord", "get")
    assert records["X-Total-Count"] == str(len(listed_records)) != "0"
    one = send(client, "get", f"/serviceProblemEventRecord/{listed_records[0]['id']}")
    _holds(contract, one, "/serviceProblemEventRecord/{id}", "get")

    hub = send(client, "post", "/hub", {"callback": "http://127.0.0.1:9/listener"})
    assert hub.status_code == 201, hub.content
    listener = _holds(contract, hub, "/hub", "post")
    gone = send(client, "delete", f"/hub/{listener['id']}")
    assert gone.status_code == 204
    _holds(contract, gone, "/hub/{id}", "delete")

    deleted = send(client, "delete", f"/serviceProblem/{number}")
    assert deleted.status_code == 204
    _holds(contract, deleted, "/serviceProblem/{id}", "delete")


def test_every_refusal_is_the_specifications_error_body(
    contract: Contract, client_for: Any, make_case: MakeCase
) -> None:
    case = make_case()
    analyst, stranger = client_for("analyst"), client_for("anonymous")
    answers = [
        (send(stranger, "get", "/serviceProblem"), 401, "/serviceProblem", "get"),
        (send(analyst, "get", "/serviceProblem/SP0"), 404, "/serviceProblem/{id}", "get"),
        (send(analyst, "get", "/serviceProblem?colour=red"), 400, "/serviceProblem", "get"),
        (
            send(analyst, "post", "/serviceProblem", new_problem(priority=11)),
            400,
            "/serviceProblem",
            "post",
        ),
        (
            send(client_for("executive"), "post", "/serviceProblem", new_problem()),
            403,
            "/serviceProblem",
            "post",
        ),
        (
            send(
                analyst,
                "patch",
                f"/serviceProblem/{case.number}",
                {"status": "closed"},
                **{"If-Match": '"99"'},
            ),
            409,
            "/serviceProblem/{id}",
            "patch",
        ),
    ]
    for response, status, path, method in answers:
        assert response.status_code == status, (path, method, response.content)
        error = _holds(contract, response, path, method)
        assert error["status"] == str(status) and error["code"] and error["reason"]
