"""TMF621 answers mean what they say: the ETag is the stored version, a PATCH that answers 200
made its change, bodies are JSON of the right media type, and every answer under /tmf-api/ is
a TMF630 error body when it is an error (issue 24, point 3)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import TMF, ClientFor, characteristic, new_ticket, send

pytestmark = pytest.mark.django_db

ERROR_FIELDS = {"code", "reason", "message", "status", "@type"}


def _is_tmf_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    body: dict[str, Any] = response.json()
    assert set(body) >= ERROR_FIELDS and body["status"] == str(status), body
    return body


def _raw(client: Client, method: str, path: str, body: bytes, content_type: str | None) -> Any:
    extra: dict[str, Any] = {}
    if content_type is not None:
        extra["CONTENT_TYPE"] = content_type
    else:
        extra["CONTENT_TYPE"] = ""
    return client.generic(method.upper(), f"{TMF}{path}", body, **extra)


def test_a_create_with_notes_answers_the_etag_of_the_stored_version(
    client_for: ClientFor,
) -> None:
    body = new_ticket(note=[{"text": "客户要求短信回复"}, {"text": "已告知处理时限"}])
    response = send(client_for("handler_a"), "post", "", body)
    assert response.status_code == 201, response.content
    stored = WorkOrder.objects.get(number=response.json()["id"]).version
    assert stored >= 2
    assert response["ETag"] == f'"{stored}"'
    assert characteristic(response.json(), "version") == stored


def test_the_etag_of_a_create_is_accepted_as_if_match(client_for: ClientFor) -> None:
    client = client_for("handler_a")
    created = send(client, "post", "", new_ticket(note=[{"text": "先记一笔"}]))
    number, etag = created.json()["id"], created["ETag"]
    response = send(client, "patch", f"/{number}", {"status": "acknowledged"}, **{"If-Match": etag})
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{WorkOrder.objects.get(number=number).version}"'


@pytest.mark.parametrize("body", ["[null, null]", "0", "false", '"x"', "null", "[]", "1.5"])
def test_a_patch_body_that_is_not_an_object_is_a_400_and_changes_nothing(
    body: str, make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    response = _raw(
        client_for("handler_a"), "patch", f"/{order.number}", body.encode(), "application/json"
    )
    error = _is_tmf_error(response, 400)
    assert "object" in error["message"]
    assert WorkOrder.objects.get(pk=order.pk).version == order.version


@pytest.mark.parametrize("body", ["[null, null]", "0", "false", '"x"', "[]"])
def test_a_create_body_that_is_not_an_object_is_a_400(body: str, client_for: ClientFor) -> None:
    response = _raw(client_for("handler_a"), "post", "", body.encode(), "application/json")
    _is_tmf_error(response, 400)
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "application/xml", None],
    ids=str,
)
def test_a_create_that_is_not_sent_as_json_is_a_415(
    content_type: str | None, client_for: ClientFor
) -> None:
    body = json.dumps(new_ticket()).encode()
    response = _raw(client_for("handler_a"), "post", "", body, content_type)
    error = _is_tmf_error(response, 415)
    assert "application/json" in error["message"]
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize("content_type", ["text/plain", "application/xml", None], ids=str)
def test_a_patch_that_is_not_sent_as_json_is_a_415(
    content_type: str | None, make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    body = json.dumps({"status": "acknowledged"}).encode()
    response = _raw(client_for("handler_a"), "patch", f"/{order.number}", body, content_type)
    _is_tmf_error(response, 415)
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


def test_a_merge_patch_sent_as_merge_patch_json_is_applied(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    body = json.dumps({"status": "acknowledged"}).encode()
    response = _raw(
        client_for("handler_a"),
        "patch",
        f"/{order.number}",
        body,
        "application/merge-patch+json",
    )
    assert response.status_code == 200, response.content
    assert WorkOrder.objects.get(pk=order.pk).status == "acknowledged"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"description": "改写投诉内容"}, "description"),
        ({"name": "新名字"}, "name"),
        ({"id": "TT-1"}, "id"),
        (
            {"troubleTicketCharacteristic": [{"name": "category", "value": "network.slow"}]},
            "category",
        ),
        ({"troubleTicketCharacteristic": [{"name": "nonsense", "value": "x"}]}, "nonsense"),
        ({"relatedParty": [{"role": "customer", "partyOrPartyRole": {"id": "C1"}}]}, "customer"),
        ({"note": [{"id": "99999", "text": "别人的备注"}]}, "99999"),
    ],
)
def test_a_merge_patch_of_what_cannot_change_is_a_400_naming_it(
    change: dict[str, Any], field: str, make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    response = send(client_for("handler_a"), "patch", f"/{order.number}", change)
    error = _is_tmf_error(response, 400)
    assert field in error["message"], error
    assert WorkOrder.objects.get(pk=order.pk).version == order.version


TYPED = "客户留了备用号 139-1234-5678,座机 025-83001234"


@pytest.mark.parametrize(
    "who, shown",
    [
        ("analyst", "139-****-5678"),
        ("executive", "139-****-5678"),
        ("handler_a", "139-1234-5678"),
        ("admin", "139-1234-5678"),
    ],
)
def test_phone_numbers_typed_into_free_text_are_masked_for_who_may_not_reveal_them(
    who: str, shown: str, client_for: ClientFor
) -> None:
    body = new_ticket(description=TYPED, note=[{"text": TYPED}])
    number = send(client_for("handler_a"), "post", "", body).json()["id"]
    for path in (f"/{number}", ""):
        text = send(client_for(who), "get", path).content.decode()
        assert shown in text, (who, path)
        if "*" in shown:
            assert "1234-5678" not in text and "83001234" not in text
