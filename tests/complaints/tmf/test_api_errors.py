"""Every answer under /tmf-api/ is JSON with TMF630's error body when it is an error: unknown
paths, methods a resource does not have, bodies over the upload limit, and missing
authentication on every method (issue 24, point 3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import TMF, ClientFor, new_ticket

pytestmark = pytest.mark.django_db


def _tmf_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert body["status"] == str(status) and body["code"] and body["reason"] and body["message"]
    assert body["@type"] == "Error"
    return body


@pytest.mark.parametrize(
    "path",
    [
        "/tmf-api/",
        "/tmf-api/nothing",
        "/tmf-api/troubleTicket/v5/",
        "/tmf-api/troubleTicket/v5/troubleTickets",
        "/tmf-api/troubleTicket/v4/troubleTicket",
        "/tmf-api/serviceProblemX/v4/x",
    ],
)
def test_an_unknown_path_is_a_json_404(path: str, client_for: ClientFor) -> None:
    _tmf_error(client_for("handler_a").get(path), 404)


@pytest.mark.parametrize("method", ["delete", "put"])
def test_a_method_the_resource_does_not_have_is_a_json_405_with_allow(
    method: str, make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    response = getattr(client_for("handler_a"), method)(f"{TMF}/{order.number}")
    body = _tmf_error(response, 405)
    assert "PATCH" in response["Allow"] and "GET" in response["Allow"]
    assert method.upper() in body["message"]
    assert WorkOrder.objects.filter(pk=order.pk).exists()


def test_a_body_over_the_upload_limit_is_a_json_413(client_for: ClientFor, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2_000
    body = new_ticket(description="多扣费" * 1000)
    response = client_for("handler_a").post(TMF, json.dumps(body), content_type="application/json")
    _tmf_error(response, 413)
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize("method", ["get", "post", "patch", "put", "delete"])
def test_without_credentials_every_method_is_a_401_even_with_csrf_checks_on(
    method: str, make_order: MakeOrder
) -> None:
    number = make_order("handler_a").number
    client = Client(enforce_csrf_checks=True)
    path = TMF if method == "post" else f"{TMF}/{number}"
    body = json.dumps(new_ticket() if method == "post" else {"status": "acknowledged"})
    if method == "get":
        response = client.get(path)
    else:
        response = getattr(client, method)(path, body, content_type="application/json")
    expected = 405 if method in ("put", "delete") else 401
    _tmf_error(response, expected)
    assert WorkOrder.objects.get(number=number).status == "new"


def test_a_signed_in_browser_post_without_its_csrf_token_is_still_refused(
    people: dict[str, Any],
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["handler_a"])
    response = client.post(TMF, json.dumps(new_ticket()), content_type="application/json")
    _tmf_error(response, 403)
    assert WorkOrder.objects.count() == 0
