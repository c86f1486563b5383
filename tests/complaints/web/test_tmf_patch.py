"""PATCH /troubleTicket/{id}: a status step per request, notes, assignment, severity, level
and transfer, with optimistic concurrency and TMF error bodies."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.complaints import services
from sqm.complaints.models import WorkOrder
from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor, characteristic, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(make_order: MakeOrder) -> Any:
    return make_order("handler_a")


def _patch(client: Any, number: str, body: dict[str, Any], **headers: str) -> Any:
    return send(client, "patch", f"/{number}", body, **headers)


def test_a_handler_walks_a_ticket_from_acknowledged_to_closed(
    order: Any, client_for: ClientFor
) -> None:
    client = client_for("handler_a")
    for status, reason in (
        ("acknowledged", "已电话联系客户"),
        ("inProgress", "派网络部测试"),
        ("pending", "等客户提供测试时间"),
        ("inProgress", "客户已回复"),
        ("resolved", "已优化基站参数"),
    ):
        response = _patch(client, order.number, {"status": status, "statusChangeReason": reason})
        assert response.status_code == 200, response.content
        assert response.json()["status"] == status
    closing = {
        "status": "closed",
        "statusChangeReason": "回访客户确认",
        "troubleTicketCharacteristic": [
            {"name": "confirmed", "value": True},
            {"name": "satisfaction", "value": 5},
        ],
    }
    ticket = _patch(client, order.number, closing).json()
    assert ticket["status"] == "closed"
    assert characteristic(ticket, "confirmed") is True
    assert characteristic(ticket, "satisfaction") == 5
    history = [(h["status"], h["statusChangeReason"]) for h in ticket["statusChangeHistory"]]
    assert history[0] == ("acknowledged", "已电话联系客户")
    assert history[-1] == ("closed", "回访客户确认")
    assert ticket["resolutionDate"] is not None


def test_an_illegal_transition_is_a_409_conflict_with_a_tmf_error_body(
    order: Any, client_for: ClientFor
) -> None:
    # A state conflict, as in the spam API and the page (sqm.lib.refusals), no longer a 400.
    response = _patch(client_for("handler_a"), order.number, {"status": "closed"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "ILLEGAL_TRANSITION" and body["reason"] and body["status"] == "409"
    assert "acknowledge" in body["message"]  # it says what is allowed instead
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


def test_an_unknown_status_value_is_a_400(order: Any, client_for: ClientFor) -> None:
    response = _patch(client_for("handler_a"), order.number, {"status": "held"})
    assert response.status_code == 400 and response.json()["code"] == "INVALID_REQUEST"


def test_a_stale_if_match_is_a_409_and_changes_nothing(order: Any, client_for: ClientFor) -> None:
    client = client_for("handler_a")
    etag = send(client, "get", f"/{order.number}")["ETag"]
    services.add_note(order.owner, order.number, "别人先改了")  # the version moves on
    response = _patch(client, order.number, {"status": "acknowledged"}, **{"If-Match": etag})
    assert response.status_code == 409
    assert response.json()["code"] == "VERSION_CONFLICT"
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


def test_a_current_if_match_goes_through_and_returns_the_new_etag(
    order: Any, client_for: ClientFor
) -> None:
    client = client_for("handler_a")
    etag = send(client, "get", f"/{order.number}")["ETag"]
    response = _patch(client, order.number, {"status": "acknowledged"}, **{"If-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] == f'"{order.version + 1}"'


def test_a_stale_version_characteristic_is_a_409_too(order: Any, client_for: ClientFor) -> None:
    body = {
        "status": "acknowledged",
        "troubleTicketCharacteristic": [{"name": "version", "value": order.version + 5}],
    }
    assert _patch(client_for("handler_a"), order.number, body).status_code == 409


def test_a_refused_step_also_undoes_the_note_sent_with_it(
    order: Any, client_for: ClientFor
) -> None:
    body = {"status": "resolved", "note": [{"text": "不该留下的备注"}]}
    assert _patch(client_for("handler_a"), order.number, body).status_code == 409
    assert not order.notes.exists()


def test_notes_are_appended_and_existing_ones_left_alone(order: Any, client_for: ClientFor) -> None:
    client = client_for("handler_a")
    first = _patch(client, order.number, {"note": [{"text": "第一条"}]}).json()
    kept = first["note"][0]
    second = _patch(client, order.number, {"note": [kept, {"text": "第二条"}]}).json()
    assert [n["text"] for n in second["note"]] == ["第一条", "第二条"]


def test_assignment_goes_through_related_party_and_keeps_the_first_ask_owner(
    order: Any, client_for: ClientFor
) -> None:
    body = {"relatedParty": [{"role": "assignee", "partyOrPartyRole": {"id": "supervisor_a"}}]}
    ticket = _patch(client_for("manager_a"), order.number, body).json()
    roles = {p["role"]: p["partyOrPartyRole"]["id"] for p in ticket["relatedParty"]}
    assert roles == {
        "customer": order.customer_id,
        "firstAskOwner": "handler_a",
        "assignee": "supervisor_a",
    }


def test_assigning_to_someone_outside_the_branch_is_refused(
    order: Any, client_for: ClientFor
) -> None:
    body = {"relatedParty": [{"role": "assignee", "partyOrPartyRole": {"id": "handler_b"}}]}
    response = _patch(client_for("manager_a"), order.number, body)
    assert response.status_code == 400 and response.json()["code"] == "WORKFLOW_REFUSED"
    body = {"relatedParty": [{"role": "assignee", "partyOrPartyRole": {"id": "nobody"}}]}
    assert _patch(client_for("manager_a"), order.number, body).status_code == 400


def test_raising_the_severity_shortens_the_resolution_deadline(
    order: Any, client_for: ClientFor
) -> None:
    before = WorkOrder.objects.get(pk=order.pk).resolution_due
    response = _patch(client_for("handler_a"), order.number, {"severity": "critical"})
    assert response.status_code == 200
    after = WorkOrder.objects.get(pk=order.pk)
    assert after.severity == "critical" and after.resolution_due < before
    assert response.json()["priority"] == "1"


def test_the_level_characteristic_escalates_the_complaint(
    order: Any, client_for: ClientFor
) -> None:
    body = {
        "statusChangeReason": "客户要求升级",
        "troubleTicketCharacteristic": [{"name": "level", "value": "escalated"}],
    }
    ticket = _patch(client_for("handler_a"), order.number, body).json()
    assert characteristic(ticket, "level") == "escalated"
    back = {"troubleTicketCharacteristic": [{"name": "level", "value": "ordinary"}]}
    assert _patch(client_for("handler_a"), order.number, back).status_code == 400


def test_the_department_characteristic_transfers_the_work(
    order: Any, client_for: ClientFor
) -> None:
    body = {
        "statusChangeReason": "需核查计费",
        "troubleTicketCharacteristic": [{"name": "department", "value": "csc"}],
    }
    ticket = _patch(client_for("manager_a"), order.number, body).json()
    assert characteristic(ticket, "department") == "csc"
    assert characteristic(ticket, "firstAskOwner") == "handler_a"


def test_closing_needs_the_customers_answer(order: Any, client_for: ClientFor) -> None:
    client = client_for("handler_a")
    _patch(client, order.number, {"status": "resolved"})  # acknowledged → resolved is allowed
    _patch(client, order.number, {"status": "acknowledged"})
    _patch(client, order.number, {"status": "resolved"})
    response = _patch(client, order.number, {"status": "closed"})
    assert response.status_code == 400 and "confirmed" in response.json()["message"]
    unreachable = {
        "status": "closed",
        "statusChangeReason": "3月5日10:00、15:00两次电话未接通",
        "troubleTicketCharacteristic": [{"name": "confirmed", "value": False}],
    }
    ticket = _patch(client, order.number, unreachable).json()
    assert ticket["status"] == "closed" and characteristic(ticket, "confirmed") is False


def test_a_cancelled_ticket_stays_cancelled(order: Any, client_for: ClientFor) -> None:
    client = client_for("handler_a")
    assert _patch(client, order.number, {"status": "cancelled"}).json()["status"] == "cancelled"
    assert _patch(client, order.number, {"status": "inProgress"}).status_code == 409


def test_asking_for_the_current_status_changes_nothing(order: Any, client_for: ClientFor) -> None:
    client = client_for("handler_a")
    _patch(client, order.number, {"status": "acknowledged"})
    version = WorkOrder.objects.get(pk=order.pk).version
    assert _patch(client, order.number, {"status": "acknowledged"}).status_code == 200
    assert WorkOrder.objects.get(pk=order.pk).version == version


def test_the_executive_reads_but_may_not_patch(order: Any, client_for: ClientFor) -> None:
    client = client_for("executive")
    assert send(client, "get", f"/{order.number}").status_code == 200
    response = _patch(client, order.number, {"status": "acknowledged"})
    assert response.status_code == 403 and response.json()["code"] == "FORBIDDEN"
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


@pytest.mark.parametrize("who", ["manager_b", "handler_b", "billing_liaison", "spam_reviewer"])
def test_people_outside_the_tickets_scope_get_404_on_patch(
    who: str, order: Any, client_for: ClientFor
) -> None:
    response = _patch(client_for(who), order.number, {"status": "acknowledged"})
    assert response.status_code == 404
    assert WorkOrder.objects.get(pk=order.pk).status == "new"


@pytest.mark.parametrize("who", ["handler_a", "manager_a", "supervisor_a", "liaison", "analyst"])
def test_everyone_who_works_on_the_ticket_may_patch_it(
    who: str, order: Any, client_for: ClientFor
) -> None:
    response = _patch(client_for(who), order.number, {"note": [{"text": f"{who} 跟进"}]})
    assert response.status_code == 200, response.content


def test_a_bad_version_or_flag_is_a_400(order: Any, client_for: ClientFor) -> None:
    client = client_for("handler_a")
    assert _patch(client, order.number, {}, **{"If-Match": '"seven"'}).status_code == 400
    body = {"troubleTicketCharacteristic": [{"name": "version", "value": True}]}
    assert _patch(client, order.number, body).status_code == 400
