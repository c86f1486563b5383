"""The TMF621 Trouble Ticket API: reading and creating, for every role of the cast.

PATCH (status steps, concurrency, closure, notes, assignment) is in test_tmf_patch.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sqm.complaints.models import WorkOrder
from sqm.org.models import ApiToken, AuditLog
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import TMF, ClientFor, characteristic, new_ticket, send

pytestmark = pytest.mark.django_db

# Who sees which of two work orders: one of Nanjing (NJ), one of Wuxi (WX), both with the
# network department (the category mobile_internet.slow routes there).
SEES = {
    "analyst": {"NJ", "WX"},
    "admin": {"NJ", "WX"},
    "executive": {"NJ", "WX"},
    "manager_a": {"NJ"},
    "manager_b": {"WX"},
    "handler_a": {"NJ"},
    "handler_b": {"WX"},
    "supervisor_a": {"NJ"},
    "liaison": {"NJ", "WX"},
    "billing_liaison": set(),
    "spam_reviewer": set(),
}


@pytest.fixture
def two_orders(make_order: MakeOrder) -> dict[str, Any]:
    return {
        "NJ": make_order("handler_a", branch="NJ"),
        "WX": make_order("handler_b", branch="WX"),
    }


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_lists_exactly_the_tickets_of_its_scope(
    who: str, two_orders: dict[str, Any], client_for: ClientFor
) -> None:
    response = send(client_for(who), "get", "")
    assert response.status_code == 200, response.content
    ids = {ticket["id"] for ticket in response.json()}
    assert ids == {two_orders[b].number for b in SEES[who]}
    assert response["X-Total-Count"] == str(len(SEES[who]))


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_reads_a_ticket_of_its_scope_and_gets_404_for_any_other(
    who: str, two_orders: dict[str, Any], client_for: ClientFor
) -> None:
    client = client_for(who)
    for branch, order in two_orders.items():
        response = send(client, "get", f"/{order.number}")
        if branch in SEES[who]:
            assert response.status_code == 200
            assert response.json()["id"] == order.number
            assert response["ETag"] == f'"{order.version}"'
        else:
            assert response.status_code == 404
            assert response.json()["code"] == "NOT_FOUND"


def test_without_credentials_every_endpoint_answers_401_with_a_tmf_error(
    two_orders: dict[str, Any],
) -> None:
    client, number = Client(), two_orders["NJ"].number
    for method, path, body in (
        ("get", "", None),
        ("get", f"/{number}", None),
        ("post", "", new_ticket()),
        ("patch", f"/{number}", {"status": "acknowledged"}),
    ):
        response = send(client, method, path, body)
        assert response.status_code == 401, (method, path)
        assert set(response.json()) >= {"code", "reason", "message", "status"}


def test_a_ticket_carries_the_tmf621_field_names(
    two_orders: dict[str, Any], client_for: ClientFor
) -> None:
    order = two_orders["NJ"]
    ticket = send(client_for("manager_a"), "get", f"/{order.number}").json()
    for name in (
        "id",
        "href",
        "@type",
        "name",
        "description",
        "ticketType",
        "severity",
        "priority",
        "status",
        "statusChangeHistory",
        "creationDate",
        "lastUpdate",
        "expectedResolutionDate",
        "channel",
        "relatedEntity",
        "relatedParty",
        "troubleTicketRelationship",
        "note",
        "attachment",
        "externalIdentifier",
        "troubleTicketCharacteristic",
    ):
        assert name in ticket, name
    assert ticket["@type"] == "TroubleTicket" and ticket["ticketType"] == "complaint"
    assert ticket["href"].endswith(f"{TMF}/{order.number}")
    assert ticket["status"] == "acknowledged"  # NEW has no TMF twin: received = acknowledged
    assert ticket["channel"] == {
        "id": "hotline",
        "name": "客服热线",
        "@referredType": "Channel",
        "@type": "ChannelRef",
    }
    roles = {p["role"]: p["partyOrPartyRole"] for p in ticket["relatedParty"]}
    assert roles["customer"]["id"] == order.customer_id
    assert roles["firstAskOwner"]["id"] == roles["assignee"]["id"] == "handler_a"
    names = {c["name"] for c in ticket["troubleTicketCharacteristic"]}
    assert names >= {
        "category",
        "factor",
        "level",
        "branch",
        "firstReplyDue",
        "resolutionDue",
        "isRepeat",
        "firstAskOwner",
        "version",
    }
    assert characteristic(ticket, "branch") == "NJ"
    assert characteristic(ticket, "version") == order.version


def test_phone_numbers_leave_the_api_masked(
    two_orders: dict[str, Any], client_for: ClientFor
) -> None:
    body = send(client_for("admin"), "get", f"/{two_orders['NJ'].number}").content.decode()
    assert "13912345678" not in body and "139****5678" in body


def test_the_list_filters_by_status_severity_channel_branch_and_ticket_type(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    a = make_order("handler_a", severity="high", channel="hotline")
    b = make_order("handler_a", severity="low", channel="app")
    c = make_order("handler_b", branch="WX", severity="low", channel="app")
    client = client_for("analyst")

    def ids(query: str) -> set[str]:
        response = send(client, "get", f"?{query}")
        assert response.status_code == 200, response.content
        return {t["id"] for t in response.json()}

    assert ids("severity=high") == {a.number}
    assert ids("channel=app") == {b.number, c.number}
    assert ids("branch=WX") == {c.number}
    assert ids("status=acknowledged") == {a.number, b.number, c.number}
    assert ids("status=resolved") == set()
    assert ids("ticketType=complaint") == {a.number, b.number, c.number}
    assert ids("ticketType=incident") == set()
    assert send(client, "get", "?status=held").status_code == 400


def test_offset_limit_and_fields_page_and_trim_the_list(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    numbers = [make_order("handler_a").number for _ in range(5)]
    response = send(client_for("handler_a"), "get", "?offset=1&limit=2&fields=status,severity")
    assert response.status_code == 200
    assert response["X-Total-Count"] == "5" and response["X-Result-Count"] == "2"
    page = response.json()
    assert [t["id"] for t in page] == sorted(numbers, reverse=True)[1:3]
    assert all(set(t) == {"id", "href", "@type", "status", "severity"} for t in page)
    assert send(client_for("handler_a"), "get", "?limit=0").status_code == 400


@pytest.mark.parametrize("who", ["handler_a", "manager_a", "supervisor_a", "analyst", "admin"])
def test_people_who_work_on_complaints_create_tickets_and_own_them(
    who: str, client_for: ClientFor, people: dict[str, Any]
) -> None:
    response = send(client_for(who), "post", "", new_ticket())
    assert response.status_code == 201, response.content
    ticket = response.json()
    assert response["Location"] == ticket["href"]
    order = WorkOrder.objects.get(number=ticket["id"])
    assert order.owner == people[who] and order.branch.code == "NJ"
    assert order.category == "bills.overcharge" and order.severity == "high"
    assert order.related == [{"role": "bill", "type": "CustomerBill", "id": "B202603-001"}]
    assert characteristic(ticket, "firstAskOwner") == who
    assert characteristic(ticket, "customerPhone") == "139****5678"


def test_a_branch_bound_creator_need_not_name_the_branch(client_for: ClientFor) -> None:
    body = new_ticket()
    body["troubleTicketCharacteristic"] = [
        c for c in body["troubleTicketCharacteristic"] if c["name"] != "branch"
    ]
    response = send(client_for("handler_b"), "post", "", body)
    assert response.status_code == 201, response.content
    assert characteristic(response.json(), "branch") == "WX"
    assert send(client_for("analyst"), "post", "", body).status_code == 400


def test_a_manager_cannot_create_a_ticket_for_another_branch(client_for: ClientFor) -> None:
    response = send(client_for("manager_b"), "post", "", new_ticket())
    assert response.status_code == 400
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize("who", ["executive", "spam_reviewer"])
def test_roles_that_only_read_or_do_not_handle_complaints_cannot_create(
    who: str, client_for: ClientFor
) -> None:
    response = send(client_for(who), "post", "", new_ticket())
    assert response.status_code == 403
    assert response.json()["code"] == "FORBIDDEN"
    assert WorkOrder.objects.count() == 0


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ticketType": "incident"}, "ticketType"),
        ({"troubleTicketCharacteristic": []}, "category"),
        ({"relatedParty": []}, "customer"),
        ({"channel": {"id": "pigeon"}}, "pigeon"),
        ({"severity": "apocalyptic"}, "severity"),
    ],
)
def test_a_ticket_the_system_cannot_take_is_refused_with_400_and_the_reason(
    change: dict[str, Any], message: str, client_for: ClientFor
) -> None:
    response = send(client_for("handler_a"), "post", "", new_ticket(**change))
    assert response.status_code == 400, response.content
    body = response.json()
    assert body["status"] == "400" and message in body["message"]


def test_an_unknown_category_is_refused_with_400(client_for: ClientFor) -> None:
    body = new_ticket(troubleTicketCharacteristic=[{"name": "category", "value": "bills.nonsense"}])
    assert send(client_for("handler_a"), "post", "", body).status_code == 400


def test_an_external_identifier_is_kept_and_a_second_ticket_with_it_is_a_conflict(
    client_for: ClientFor,
) -> None:
    body = new_ticket(externalIdentifier=[{"id": "BSS-42", "owner": "BSS"}])
    client = client_for("handler_a")
    first = send(client, "post", "", body)
    assert first.status_code == 201
    assert first.json()["externalIdentifier"][0]["id"] == "BSS-42"
    again = send(client, "post", "", body)
    assert again.status_code == 409 and again.json()["code"] == "DUPLICATE_EXTERNAL_ID"
    assert WorkOrder.objects.count() == 1


def test_notes_sent_with_a_new_ticket_are_recorded(client_for: ClientFor) -> None:
    body = new_ticket(note=[{"text": "客户要求短信回复"}])
    ticket = send(client_for("handler_a"), "post", "", body).json()
    assert [n["text"] for n in ticket["note"]] == ["客户要求短信回复"]
    assert ticket["note"][0]["author"] == "handler_a"


def test_a_repeat_complaint_points_to_the_earlier_ticket(
    make_order: MakeOrder, client_for: ClientFor
) -> None:
    first = make_order("handler_a", customer_id="C777")
    second = make_order("handler_a", customer_id="C777")
    ticket = send(client_for("handler_a"), "get", f"/{second.number}").json()
    (link,) = ticket["troubleTicketRelationship"]
    assert link["relationshipType"] == "isRepeatOf" and link["id"] == first.number
    assert characteristic(ticket, "isRepeat") is True


def test_a_token_authenticates_like_a_session(
    two_orders: dict[str, Any], people: dict[str, Any]
) -> None:
    key = ApiToken.issue(people["manager_b"])
    response = send(Client(), "get", "", Authorization=f"Token {key}")
    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == [two_orders["WX"].number]
    assert send(Client(), "get", "", Authorization="Token wrong").status_code == 401


def test_there_is_no_delete_complaints_are_cancelled(
    two_orders: dict[str, Any], client_for: ClientFor
) -> None:
    response = send(client_for("admin"), "delete", f"/{two_orders['NJ'].number}")
    assert response.status_code == 405
    assert WorkOrder.objects.count() == 2


def test_creating_through_the_api_is_audited(client_for: ClientFor) -> None:
    number = send(client_for("handler_a"), "post", "", new_ticket()).json()["id"]
    assert AuditLog.objects.filter(action="complaints.create", object_id=number).exists()


def test_the_openapi_schema_is_served_to_signed_in_people(client_for: ClientFor) -> None:
    schema_url = "/tmf-api/troubleTicket/v5/openapi.json"
    response = client_for("analyst").get(schema_url)
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {TMF, f"{TMF}/{{id}}"}
    assert set(schema["paths"][f"{TMF}/{{id}}"]) == {"get", "patch"}
    assert "TroubleTicket" in schema["components"]["schemas"]
    assert client_for("anonymous").get(schema_url).status_code == 302  # to the login page


def test_a_related_phone_number_is_masked_too(client_for: ClientFor) -> None:
    related = [
        {"role": "number", "entity": {"id": "13800001111", "@referredType": "LogicalResource"}}
    ]
    ticket = send(client_for("handler_a"), "post", "", new_ticket(relatedEntity=related)).json()
    assert ticket["relatedEntity"][0]["entity"]["id"] == "138****1111"


def test_attachments_are_listed_with_their_size(
    two_orders: dict[str, Any], client_for: ClientFor, people: dict[str, Any]
) -> None:
    from sqm.complaints import services

    order = two_orders["NJ"]
    services.add_attachment(
        people["handler_a"], order.number, name="账单.pdf", mime_type="application/pdf", size=2048
    )
    ticket = send(client_for("handler_a"), "get", f"/{order.number}").json()
    (attachment,) = ticket["attachment"]
    assert attachment["name"] == "账单.pdf" and attachment["mimeType"] == "application/pdf"
    assert attachment["size"] == {"amount": 2048.0, "units": "bytes"}
    assert ticket["lastUpdate"] >= ticket["creationDate"]


def test_text_a_database_cannot_store_is_a_400_not_a_server_error(
    two_orders: dict[str, Any], client_for: ClientFor
) -> None:
    client = client_for("handler_a")
    assert send(client, "post", "", new_ticket(description="多扣\x00费")).status_code == 400
    assert send(client, "get", "?channel=hot%00line").status_code == 400
    assert send(client, "get", "/TT%00").status_code == 400
    assert send(client, "get", "?offset=99999999999999999999").status_code == 400
    assert WorkOrder.objects.count() == 2
