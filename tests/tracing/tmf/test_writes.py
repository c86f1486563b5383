"""Creating and changing service problems through TMF656: what a body means for the case,
stage steps by status, ETag/If-Match, and the refusals that leave everything as it was."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.tracing.models import TracingCase
from tests.tracing.tmf.conftest import MakeCase, extension, new_problem, send

pytestmark = pytest.mark.django_db
MERGE = "application/merge-patch+json"


def test_a_created_problem_is_a_case_with_everything_the_body_named(
    client_for: Any, make_order: Any
) -> None:
    order = make_order("handler_a")
    body = new_problem(
        affectedLocation=[{"id": "NJ"}, {"id": "NJ-H001", "@type": "Hall"}],
        affectedService=[{"id": "4G 上网", "@referredType": "Service"}],
        rootCauseResource=[{"id": "business_support"}],
        reason="3 个基站退服",
        relatedParty=[{"id": "it", "role": "teamDepartment", "@referredType": "Organization"}],
        associatedTroubleTicket=[{"id": order.number}],
        comment=[{"text": "先查基站告警"}],
    )
    response = send(client_for("analyst"), "post", "/serviceProblem", body)
    assert response.status_code == 201, response.content
    problem = response.json()
    case = TracingCase.objects.get(number=problem["id"])
    assert response["Location"].endswith(f"/serviceProblem/{case.number}")
    assert response["ETag"] == f'"{case.version}"'
    assert case.title == "南京晚高峰上网慢" and case.description == body["description"]
    assert (case.category, case.subcategory) == ("mobile_internet", "mobile_internet.slow")
    assert [b.code for b in case.branches.all()] == ["NJ"] and case.hall.code == "NJ-H001"
    assert (case.root_cause_class, case.root_cause_text) == ("business_support", "3 个基站退服")
    assert case.lead_department.code == "network"
    assert [d.code for d in case.team_departments.all()] == ["it"]
    assert case.created_by.username == "analyst"
    assert problem["status"] == "acknowledged" and extension(problem, "stage") == "open"
    assert problem["reason"] == "3 个基站退服"
    assert problem["rootCauseResource"][0]["id"] == "business_support"
    ticket = problem["associatedTroubleTicket"][0]
    assert ticket["id"] == order.number
    assert ticket["href"].endswith(f"/tmf-api/troubleTicket/v5/troubleTicket/{order.number}")
    assert [c["text"] for c in problem["comment"]] == ["先查基站告警"]
    assert problem["affectedService"] == [
        {"id": "4G 上网", "name": "4G 上网", "@referredType": "Service"}
    ]
    assert case.priority == 3 and problem["priority"] == 3  # stored as sent, not derived


def test_a_priority_is_stored_patched_and_its_change_on_the_timeline(
    client_for: Any, make_case: MakeCase
) -> None:
    case = make_case()
    client = client_for("analyst")
    derived = send(client, "get", f"/serviceProblem/{case.number}").json()["priority"]
    assert derived == 7  # no priority given, no complaints: the lowest the complaints rank
    response = send(client, "patch", f"/serviceProblem/{case.number}", {"priority": 1})
    assert response.status_code == 200, response.content
    assert response.json()["priority"] == 1
    case.refresh_from_db()
    assert case.priority == 1
    assert case.events.filter(kind="updated", note__contains="priority").exists()
    refused = send(client, "patch", f"/serviceProblem/{case.number}", {"priority": 11})
    assert refused.status_code == 400
    case.refresh_from_db()
    assert case.priority == 1


def test_the_ticket_href_of_a_problem_opens_that_ticket_in_the_tmf621_api(
    client_for: Any, make_order: Any
) -> None:
    order = make_order("handler_a")
    client = client_for("analyst")
    body = new_problem(associatedTroubleTicket=[{"id": order.number}])
    ticket = send(client, "post", "/serviceProblem", body).json()["associatedTroubleTicket"][0]
    opened = client.get(ticket["href"].removeprefix("http://testserver"))
    assert opened.status_code == 200 and opened.json()["id"] == order.number


@pytest.mark.parametrize(
    ("steps", "stages"),
    [
        (["inProgress"], ["investigating"]),
        (["inProgress", "resolved"], None),  # investigating cannot skip the measures
        (["closed"], ["closed"]),
        (["closed", "inProgress"], ["closed", "investigating"]),  # reopened
    ],
)
def test_a_status_moves_the_case_to_the_stage_it_maps_to(
    steps: list[str], stages: list[str] | None, client_for: Any, make_case: MakeCase
) -> None:
    case, client = make_case(), client_for("analyst")
    answers = [
        send(client, "patch", f"/serviceProblem/{case.number}", {"status": s}, MERGE) for s in steps
    ]
    if stages is None:
        assert answers[-1].status_code == 409  # a state conflict in every API
        assert answers[-1].json()["code"] == "ILLEGAL_TRANSITION"
        return
    assert [a.status_code for a in answers] == [200] * len(steps)
    assert [extension(a.json(), "stage") for a in answers] == stages


def test_the_stage_extension_takes_the_step_two_stages_of_one_status_need(
    client_for: Any, make_case: MakeCase
) -> None:
    case, client = make_case(), client_for("analyst")
    path = f"/serviceProblem/{case.number}"
    send(client, "patch", path, {"status": "inProgress"})
    stage = {"extensionInfo": [{"name": "stage", "value": "measures_in_progress"}]}
    moved = send(client, "patch", path, {**stage, "statusChangeReason": "措施已派发"})
    assert moved.status_code == 200, moved.content
    problem = moved.json()
    assert problem["status"] == "inProgress"
    assert extension(problem, "stage") == "measures_in_progress"
    assert problem["statusChangeReason"] == "措施已派发"
    assert send(client, "patch", path, {"status": "resolved"}).json()["status"] == "resolved"


def test_a_stale_if_match_is_a_conflict_and_changes_nothing(
    client_for: Any, make_case: MakeCase
) -> None:
    case, client = make_case(), client_for("analyst")
    path = f"/serviceProblem/{case.number}"
    etag = send(client, "get", path)["ETag"]
    first = send(client, "patch", path, {"description": "第一次"}, **{"If-Match": etag})
    assert first.status_code == 200 and first["ETag"] != etag
    second = send(client, "patch", path, {"description": "第二次"}, **{"If-Match": etag})
    assert second.status_code == 409 and second.json()["code"] == "VERSION_CONFLICT"
    case.refresh_from_db()
    assert case.description == "第一次" and first["ETag"] == f'"{case.version}"'
    stale_delete = send(client, "delete", path, **{"If-Match": etag})
    assert stale_delete.status_code == 409
    assert TracingCase.objects.filter(number=case.number).exists()


def test_a_refusal_half_way_undoes_the_changes_before_it(
    client_for: Any, make_case: MakeCase
) -> None:
    case, client = make_case(), client_for("analyst")
    body = {"description": "改了描述", "status": "resolved"}  # open cannot become resolved
    response = send(client, "patch", f"/serviceProblem/{case.number}", body)
    assert response.status_code == 409  # an illegal step: a state conflict
    case.refresh_from_db()
    assert case.description == "晚高峰 4G 上网慢" and case.version == 1


def test_the_tickets_of_a_problem_become_the_list_sent(
    client_for: Any, make_case: MakeCase, make_order: Any
) -> None:
    case, client = make_case(), client_for("analyst")
    first, second = make_order("handler_a"), make_order("handler_a")
    path = f"/serviceProblem/{case.number}"
    both = [{"id": first.number}, {"id": second.number}]
    added = send(client, "patch", path, {"associatedTroubleTicket": both}).json()
    assert {t["id"] for t in added["associatedTroubleTicket"]} == {first.number, second.number}
    kept = send(client, "patch", path, {"associatedTroubleTicket": both[1:]}).json()
    assert [t["id"] for t in kept["associatedTroubleTicket"]] == [second.number]
    unknown = send(client, "patch", path, {"associatedTroubleTicket": [{"id": "TT0"}]})
    assert unknown.status_code == 400
    assert list(case.complaints.values_list("complaint_id", flat=True)) == [second.number]


@pytest.mark.parametrize(
    ("content_type", "status"),
    [
        ("text/plain", 415),
        ("application/x-www-form-urlencoded", 415),
        ("application/json-patch+json", 415),
        ("application/merge-patch+json", 200),
        ("application/json", 200),
    ],
)
def test_a_patch_is_json_or_a_merge_patch_and_anything_else_is_415(
    content_type: str, status: int, client_for: Any, make_case: MakeCase
) -> None:
    case = make_case()
    body = '{"description": "新描述"}'
    response = send(
        client_for("analyst"), "patch", f"/serviceProblem/{case.number}", body, content_type
    )
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"colour": "red"}, "colour"),  # not a TMF656 attribute
        ({"underlyingAlarm": []}, "underlyingAlarm"),  # TMF's, but SQM keeps no alarms
        ({"reason": "缺少根因分类"}, "rootCauseResource"),  # a cause needs its class
        ({"category": "weather"}, "category"),
        ({"extensionInfo": [{"name": "stage", "value": "done"}]}, "stage"),
    ],
)
def test_what_sqm_would_not_keep_is_refused_with_the_attribute_named(
    change: dict[str, Any], words: str, client_for: Any, make_case: MakeCase
) -> None:
    case = make_case()
    response = send(client_for("analyst"), "patch", f"/serviceProblem/{case.number}", change)
    assert response.status_code == 400, response.content
    assert words in response.json()["message"]
    case.refresh_from_db()
    assert case.version == 1


def test_a_query_parameter_the_list_does_not_know_is_refused(client_for: Any) -> None:
    response = send(client_for("analyst"), "get", "/serviceProblem?statis=closed")
    assert response.status_code == 400 and "statis" in response.json()["message"]


def test_the_list_filters_pages_and_selects_fields(client_for: Any, make_case: MakeCase) -> None:
    make_case(branches=["NJ"])
    wx = make_case(branches=["WX"], title="无锡")
    client = client_for("analyst")
    send(client, "patch", f"/serviceProblem/{wx.number}", {"status": "inProgress"})
    only = send(client, "get", "/serviceProblem?status=inProgress&fields=status")
    assert only.json() == [
        {"id": wx.number, "href": only.json()[0]["href"], "@type": "ServiceProblem",
         "status": "inProgress"}
    ]  # fmt: skip
    page = send(client, "get", "/serviceProblem?limit=1&offset=1&affectedLocation.id=WX")
    assert page["X-Total-Count"] == "1" and page["X-Result-Count"] == "0"


def test_deleting_a_problem_removes_the_case(client_for: Any, make_case: MakeCase) -> None:
    case = make_case()
    client = client_for("analyst")
    assert send(client, "delete", f"/serviceProblem/{case.number}").status_code == 204
    assert send(client, "get", f"/serviceProblem/{case.number}").status_code == 404


def test_fields_select_the_attributes_of_event_records_too(
    client_for: Any, make_case: MakeCase
) -> None:
    make_case()
    records = send(client_for("analyst"), "get", "/serviceProblemEventRecord?fields=eventType")
    assert records.status_code == 200
    assert [set(r) for r in records.json()] == [{"id", "href", "@type", "eventType"}]


def test_an_unknown_hall_is_a_bad_request_not_a_server_error(client_for: Any) -> None:
    body = new_problem(affectedLocation=[{"id": "NJ"}, {"id": "NJ-H999", "@type": "Hall"}])
    response = send(client_for("analyst"), "post", "/serviceProblem", body)
    assert response.status_code == 400, response.content
    assert not TracingCase.objects.exists()


def test_an_originator_other_than_the_caller_stays_on_the_timeline(client_for: Any) -> None:
    body = new_problem(
        originatorParty={"id": "oss-7", "name": "综合网管", "@referredType": "Organization"}
    )
    response = send(client_for("analyst"), "post", "/serviceProblem", body)
    assert response.status_code == 201, response.content
    problem = response.json()
    assert problem["originatorParty"]["id"] == "analyst"
    assert [c["text"] for c in problem["comment"]] == ["originatorParty: oss-7 (综合网管)"]
