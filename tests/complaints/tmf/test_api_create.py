"""A create keeps what it is sent or refuses it by name (400): nothing is dropped or replaced
silently (issue 24, point 3)."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.complaints.models import WorkOrder
from tests.complaints.web.conftest import ClientFor, new_ticket, send

pytestmark = pytest.mark.django_db


def _with_characteristic(name: str, value: Any) -> dict[str, Any]:
    body = new_ticket()
    body["troubleTicketCharacteristic"].append({"name": name, "value": value})
    return body


def _with_party(role: str, **party: Any) -> dict[str, Any]:
    body = new_ticket()
    body["relatedParty"].append({"role": role, "partyOrPartyRole": {"id": "x", **party}})
    return body


@pytest.mark.parametrize(
    "body, named",
    [
        (new_ticket(status="resolved"), "status"),
        (new_ticket(id="TT-MINE"), "id"),
        (new_ticket(creationDate="2020-01-01T00:00:00Z"), "creationDate"),
        (new_ticket(priority="1"), "priority"),
        (new_ticket(attachment=[{"name": "bill.pdf"}]), "attachment"),
        (new_ticket(favouriteColour="blue"), "favouriteColour"),
        (new_ticket(name="我自己的标题"), "name"),
        (_with_characteristic("level", "appeal"), "level"),
        (_with_characteristic("version", 7), "version"),
        (_with_characteristic("colour", "blue"), "colour"),
        (_with_party("assignee"), "assignee"),
        (new_ticket(note=[{"text": "备注", "author": "someone_else"}]), "author"),
        (new_ticket(note=[{"text": "备注", "id": "42"}]), "id"),
        (
            new_ticket(
                relatedParty=[
                    {"role": "customer", "partyOrPartyRole": {"id": "C1", "name": "张三"}}
                ]
            ),
            "name",
        ),
        (new_ticket(externalIdentifier=[{"id": "A"}, {"id": "B"}]), "externalIdentifier"),
    ],
    ids=lambda v: v if isinstance(v, str) else "",
)
def test_what_a_create_would_not_keep_is_refused_by_name(
    body: dict[str, Any], named: str, client_for: ClientFor
) -> None:
    response = send(client_for("handler_a"), "post", "", body)
    assert response.status_code == 400, response.content
    assert named in response.json()["message"], response.json()
    assert WorkOrder.objects.count() == 0


def test_a_name_that_is_the_category_name_is_kept(client_for: ClientFor) -> None:
    first = send(client_for("handler_a"), "post", "", new_ticket()).json()
    again = send(client_for("handler_a"), "post", "", new_ticket(name=first["name"]))
    assert again.status_code == 201, again.content
    assert again.json()["name"] == first["name"]
