"""PATCH with ``application/json-patch+json`` (RFC 6902, as TMF630 names it): applied, or
refused with the reason — never 200 with nothing changed (issue 24, point 3)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import TMF, ClientFor

pytestmark = pytest.mark.django_db

JSON_PATCH = "application/json-patch+json"


def _patch(client: Any, number: str, operations: Any, **headers: str) -> Any:
    return client.patch(
        f"{TMF}/{number}", json.dumps(operations), content_type=JSON_PATCH, headers=headers
    )


def test_a_json_patch_steps_the_status_reclassifies_and_adds_a_note(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a", severity="medium")
    operations = [
        {"op": "replace", "path": "/status", "value": "acknowledged"},
        {"op": "add", "path": "/statusChangeReason", "value": "已电话联系客户"},
        {"op": "replace", "path": "/severity", "value": "high"},
        {"op": "add", "path": "/note/-", "value": {"text": "客户同意等待测试"}},
    ]
    response = _patch(client_for("handler_a"), order.number, operations)
    assert response.status_code == 200, response.content
    stored = WorkOrder.objects.get(pk=order.pk)
    assert (stored.status, stored.severity) == ("acknowledged", "high")
    assert [n.text for n in stored.notes.all()] == ["客户同意等待测试"]
    assert response.json()["statusChangeReason"] == "已电话联系客户"
    assert response["ETag"] == f'"{stored.version}"'


@pytest.mark.parametrize(
    "operations, named",
    [
        ([{"op": "replace", "path": "/description", "value": "改写"}], "description"),
        ([{"op": "remove", "path": "/note"}], "note"),
        ([{"op": "add", "path": "/note", "value": {"text": "不是数组"}}], "/note/-"),
        ([{"op": "replace", "path": "/nothing/here", "value": 1}], "/nothing/here"),
        ([{"op": "jump", "path": "/status"}], "op"),
        ([{"op": "replace", "path": "/status"}], "value"),
        ([], "non-empty"),
        ({"op": "replace", "path": "/status", "value": "acknowledged"}, "array"),
    ],
)
def test_a_json_patch_that_cannot_be_applied_is_a_400_naming_why(
    operations: Any, named: str, make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    response = _patch(client_for("handler_a"), order.number, operations)
    assert response.status_code == 400, response.content
    assert named in response.json()["message"]
    assert WorkOrder.objects.get(pk=order.pk).version == order.version


def test_a_failed_test_operation_is_a_409_and_applies_nothing(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    operations = [
        {"op": "test", "path": "/status", "value": "inProgress"},
        {"op": "replace", "path": "/status", "value": "acknowledged"},
    ]
    response = _patch(client_for("handler_a"), order.number, operations)
    assert response.status_code == 409, response.content
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


def test_a_json_patch_with_a_stale_if_match_is_a_409(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_a")
    operations = [{"op": "replace", "path": "/status", "value": "acknowledged"}]
    response = _patch(
        client_for("handler_a"), order.number, operations, **{"If-Match": f'"{order.version - 1}"'}
    )
    assert response.status_code == 409
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


def test_a_json_patch_on_a_ticket_outside_the_scope_is_a_404(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    order = make_order("handler_b", branch="WX")
    operations = [{"op": "replace", "path": "/status", "value": "acknowledged"}]
    assert _patch(client_for("handler_a"), order.number, operations).status_code == 404
