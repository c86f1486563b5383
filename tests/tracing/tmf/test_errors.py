"""Around the TMF656 operations too, every error is JSON with TMF630's body: no credentials on
any method, unknown paths, methods a resource does not have, bodies over the upload limit."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sqm.tracing.models import TracingCase
from tests.tracing.tmf.conftest import BASE, MakeCase, new_problem

pytestmark = pytest.mark.django_db


def _tmf_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == str(status) and body["code"] and body["reason"] and body["message"]
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/serviceProblem"),
        ("post", "/serviceProblem"),
        ("get", "/serviceProblem/{n}"),
        ("patch", "/serviceProblem/{n}"),
        ("delete", "/serviceProblem/{n}"),
        ("get", "/serviceProblemEventRecord"),
        ("post", "/problemGroup"),
        ("post", "/problemUngroup"),
        ("post", "/hub"),
        ("delete", "/hub/1"),
    ],
)
def test_without_credentials_every_operation_is_a_401_even_with_csrf_checks_on(
    method: str, path: str, make_case: MakeCase
) -> None:
    case = make_case()
    client = Client(enforce_csrf_checks=True)
    url = BASE + path.format(n=case.number)
    if method in ("get", "delete"):
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(url, json.dumps({}), content_type="application/json")
    _tmf_error(response, 401)
    assert TracingCase.objects.get(pk=case.pk).version == 1


@pytest.mark.parametrize(
    "path", ["/", "/serviceProblems", "/serviceProblem/SP1/x", "/problemAcknowledgement"]
)
def test_an_unknown_path_is_a_json_404(path: str, client_for: Any) -> None:
    _tmf_error(client_for("analyst").get(BASE + path), 404)


def test_a_method_the_resource_does_not_have_is_a_json_405_with_allow(
    client_for: Any, make_case: MakeCase
) -> None:
    case = make_case()
    response = client_for("analyst").put(f"{BASE}/serviceProblem/{case.number}", "{}")
    body = _tmf_error(response, 405)
    assert {"GET", "PATCH", "DELETE"} <= set(response["Allow"].replace(" ", "").split(","))
    assert "PUT" in body["message"]


def test_a_body_over_the_upload_limit_is_a_json_413(client_for: Any, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    body = json.dumps(new_problem(description="上网慢" * 1000))
    response = client_for("analyst").post(
        f"{BASE}/serviceProblem", body, content_type="application/json"
    )
    _tmf_error(response, 413)
    assert not TracingCase.objects.exists()
