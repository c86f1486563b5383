"""The spam API: intake into the event store, the scoped queue, reviews and appeals — and no
way to suspend a number except a reviewer's confirming review."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sqm.events.core.store import EventStore
from sqm.org.models import ApiToken
from sqm.spam.models import Suspension

pytestmark = pytest.mark.django_db
BASE = "/api/v1/spam"
MakeCase = Callable[..., Any]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _post(client: Client, path: str, body: Any) -> Any:
    return client.post(f"{BASE}{path}", json.dumps(body), content_type="application/json")


def _report(i: int, **fields: Any) -> dict[str, Any]:
    return {
        "report_id": f"R{i:05d}",
        "sender": "13912345678",
        "at": "2026-03-02T10:00:00+08:00",
        "text": "代开发票,联系王经理",
        "reporter": f"1380000{i:04d}",
        "branch": "NJ",
        **fields,
    }


def test_reports_go_to_the_event_store_once(people: dict[str, Any], data_dir: Path) -> None:
    client = _client(people["spam_reviewer"])
    body = {"reports": [_report(i) for i in range(3)] + [_report(9, origin="gateway_sample")]}
    first = _post(client, "/reports", body)
    assert first.status_code == 200, first.content
    assert first.json() == {"accepted": 4, "duplicates": 0, "rejected": []}
    again = _post(client, "/reports", body).json()
    assert again == {"accepted": 0, "duplicates": 4, "rejected": []}
    stored = EventStore(data_dir).read("sms_reports")
    assert stored.num_rows == 4
    assert stored["text"].to_pylist()[0] == "代开发票,联系王经理"
    assert str(stored["at"][0].as_py()) == "2026-03-02 10:00:00"  # province wall-clock time


def test_bad_rows_are_rejected_with_their_reasons_and_the_rest_stored(
    people: dict[str, Any], data_dir: Path
) -> None:
    body = {"reports": [_report(1), _report(2, branch="XX"), _report(3, text=" ")]}
    answer = _post(_client(people["admin"]), "/reports", body).json()
    assert answer["accepted"] == 1
    assert [r["index"] for r in answer["rejected"]] == [1, 2]
    assert "XX" in answer["rejected"][0]["reason"]


def test_a_complaint_handler_reports_for_their_own_branch_only(
    people: dict[str, Any], data_dir: Path
) -> None:
    body = {"reports": [_report(1, branch=None), _report(2, branch="WX")]}
    answer = _post(_client(people["handler_a"]), "/reports", body).json()
    assert answer["accepted"] == 1 and answer["rejected"][0]["index"] == 1
    assert EventStore(data_dir).read("sms_reports")["branch"].to_pylist() == ["NJ"]


@pytest.mark.parametrize("who", ["analyst", "manager_a", "executive"])
def test_people_who_do_not_take_reports_cannot_send_them(
    people: dict[str, Any], data_dir: Path, who: str
) -> None:
    response = _post(_client(people[who]), "/reports", {"reports": [_report(1)]})
    assert response.status_code == 403


def test_each_person_sees_the_cases_of_their_scope(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    nanjing = make_case("13900000001", branch="NJ", risk=0.7)
    wuxi = make_case("13900000002", branch="WX", risk=0.9)

    def ids(who: str) -> list[int]:
        return [c["id"] for c in _client(people[who]).get(f"{BASE}/cases").json()]

    assert ids("analyst") == [wuxi.pk, nanjing.pk]  # riskiest first
    assert ids("spam_reviewer") == [wuxi.pk, nanjing.pk]
    assert ids("manager_a") == [nanjing.pk]
    assert ids("manager_b") == [wuxi.pk]
    assert _client(people["executive"]).get(f"{BASE}/cases").status_code == 403
    assert Client().get(f"{BASE}/cases").status_code == 401
    assert _client(people["manager_b"]).get(f"{BASE}/cases/{nanjing.pk}").status_code == 404
    detail = _client(people["manager_a"]).get(f"{BASE}/cases/{nanjing.pk}").json()
    assert detail["sender"] == "139****0001"  # masked
    assert len(detail["evidence"]["messages"]) == 3


def test_a_reviewer_confirms_through_the_api_with_a_token(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13912345678")
    key = ApiToken.issue(people["spam_reviewer"])
    response = Client().post(
        f"{BASE}/cases/{case.pk}/review",
        json.dumps({"decision": "confirm", "note": "发票广告"}),
        content_type="application/json",
        headers={"Authorization": f"Token {key}"},
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "suspended"
    assert Suspension.objects.get().confirmed_by == ["spam_reviewer"]
    again = _post(
        _client(people["spam_reviewer_2"]), f"/cases/{case.pk}/review", {"decision": "reject"}
    )
    assert again.status_code == 409


@pytest.mark.parametrize("who", ["analyst", "manager_a", "handler_a"])
def test_people_who_may_not_decide_get_403_from_the_review_endpoint(
    people: dict[str, Any], make_case: MakeCase, who: str
) -> None:
    case = make_case("13912345678")
    response = _post(_client(people[who]), f"/cases/{case.pk}/review", {"decision": "confirm"})
    assert response.status_code == 403
    assert not Suspension.objects.exists()


def test_appeal_and_restore_through_the_api(people: dict[str, Any], make_case: MakeCase) -> None:
    case = make_case("13912345678")
    _post(_client(people["spam_reviewer"]), f"/cases/{case.pk}/review", {"decision": "confirm"})
    unknown = _post(
        _client(people["spam_reviewer_2"]),
        f"/cases/{case.pk}/appeal",
        {"reason": "误停", "channel": "fax"},
    )
    assert unknown.status_code == 422
    appeal = _post(
        _client(people["spam_reviewer_2"]),
        f"/cases/{case.pk}/appeal",
        {"reason": "误停", "channel": "hall"},
    ).json()
    own = _post(
        _client(people["spam_reviewer"]),
        f"/appeals/{appeal['id']}/decision",
        {"outcome": "granted"},
    )
    assert own.status_code == 409  # the confirming reviewer may not judge the appeal
    decided = _post(
        _client(people["spam_reviewer_2"]),
        f"/appeals/{appeal['id']}/decision",
        {"outcome": "granted"},
    )
    assert decided.json()["outcome"] == "granted"
    detail = _client(people["analyst"]).get(f"{BASE}/cases/{case.pk}").json()
    assert detail["status"] == "restored" and detail["restored_at"] is not None


def _spam_operations(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    schema = client.get("/api/v1/openapi.json").json()
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        if path.startswith(f"{BASE}/")
        for method, operation in item.items()
    ]


def test_the_api_offers_no_operation_that_suspends(people: dict[str, Any]) -> None:
    operations = _spam_operations(_client(people["admin"]))
    assert {path for _, path, _ in operations} >= {f"{BASE}/reports", f"{BASE}/cases"}
    schemas = _client(people["admin"]).get("/api/v1/openapi.json").json()["components"]["schemas"]
    for _, path, operation in operations:
        assert "suspend" not in path and "status" not in path
        assert "suspend" not in operation.get("operationId", "")
    # No request body carries a status to set.
    for name in ("ReviewIn", "AppealIn", "AppealDecisionIn", "ReportsIn", "ReportIn"):
        assert "status" not in schemas[name]["properties"]


def test_no_api_call_but_a_confirming_review_suspends_a_number(
    people: dict[str, Any], make_case: MakeCase, data_dir: Path
) -> None:
    """Every spam POST operation, called by an administrator with hostile bodies (extra
    fields asking for a suspension), leaves no suspension; only a confirming review makes one."""
    case = make_case("13912345678")
    admin = _client(people["admin"])
    hostile = {
        "status": "suspended",
        "suspend": True,
        "decision": "reject",
        "outcome": "granted",
        "reason": "x",
        "channel": "hotline",
        "reports": [_report(1)],
    }
    for method, path, _ in _spam_operations(admin):
        url = path.replace("{case_id}", str(case.pk)).replace("{appeal_id}", "1")
        if method == "post":
            admin.post(url, json.dumps(hostile), content_type="application/json")
        else:
            admin.get(url)
    for guess in ("/suspend", f"/cases/{case.pk}/suspend", "/suspensions", f"/cases/{case.pk}"):
        assert _post(admin, guess, {"number": case.sender}).status_code in (404, 405)
    case.refresh_from_db()
    assert case.status == "rejected" and not Suspension.objects.exists()

    other = make_case("13900000002")
    _post(admin, f"/cases/{other.pk}/review", {"decision": "confirm", "status": "flagged"})
    assert Suspension.objects.get().case == other


def test_a_decision_on_a_case_already_decided_is_a_409_conflict_as_in_every_api(
    people: dict[str, Any], make_case: MakeCase
) -> None:
    case = make_case("13912345678")
    _post(_client(people["spam_reviewer"]), f"/cases/{case.pk}/review", {"decision": "reject"})
    again = _post(
        _client(people["spam_reviewer_2"]), f"/cases/{case.pk}/review", {"decision": "confirm"}
    )
    # The spam API's answer is the shared one (sqm.lib.refusals): TMF621, TMF656 and the
    # work-order page answer an illegal step the same way.
    assert again.status_code == 409, again.content
    assert "reject" in again.content.decode() or again.json()["detail"]
    assert not Suspension.objects.exists()
