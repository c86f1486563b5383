"""Who sees and changes which service problems, per endpoint: the analyst the province, a
branch manager the cases on their branch (another branch's case is 404, as if it did not
exist), the executive reads only, a department liaison the cases their department is on."""

from __future__ import annotations

from typing import Any

import pytest

from tests.tracing.tmf.conftest import MakeCase, new_problem, send

pytestmark = pytest.mark.django_db

SEES = {
    "analyst": {"NJ", "WX"},
    "executive": {"NJ", "WX"},
    "manager_a": {"NJ"},
    "manager_b": {"WX"},
    "liaison": {"NJ", "WX"},  # the network department leads both
    "billing_liaison": set(),
    "spam_reviewer": set(),
}
WRITES = {"analyst", "manager_a", "manager_b"}


@pytest.fixture
def two_cases(make_case: MakeCase) -> dict[str, Any]:
    return {
        "NJ": make_case("analyst", branches=["NJ"]),
        "WX": make_case("analyst", branches=["WX"], title="无锡 上网慢"),
    }


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_lists_and_reads_exactly_the_problems_of_its_scope(
    who: str, two_cases: dict[str, Any], client_for: Any
) -> None:
    client = client_for(who)
    listed = send(client, "get", "/serviceProblem")
    assert listed.status_code == 200
    assert {p["id"] for p in listed.json()} == {two_cases[b].number for b in SEES[who]}
    assert listed["X-Total-Count"] == str(len(SEES[who]))
    for branch, case in two_cases.items():
        read = send(client, "get", f"/serviceProblem/{case.number}")
        assert read.status_code == (200 if branch in SEES[who] else 404), (who, branch)


@pytest.mark.parametrize("who", sorted(SEES))
def test_each_role_reads_the_event_records_of_its_problems_only(
    who: str, two_cases: dict[str, Any], client_for: Any
) -> None:
    records = send(client_for(who), "get", "/serviceProblemEventRecord").json()
    seen = {r["serviceProblem"]["id"] for r in records}
    assert seen == {two_cases[b].number for b in SEES[who]}
    other = {b: c for b, c in two_cases.items() if b not in SEES[who]}
    for case in other.values():
        record = case.events.first()
        response = send(client_for(who), "get", f"/serviceProblemEventRecord/{record.pk}")
        assert response.status_code == 404


@pytest.mark.parametrize("who", sorted(SEES))
def test_only_writers_change_a_problem_and_only_in_their_scope(
    who: str, two_cases: dict[str, Any], client_for: Any
) -> None:
    client = client_for(who)
    for branch, case in two_cases.items():
        response = send(client, "patch", f"/serviceProblem/{case.number}", {"status": "inProgress"})
        if branch not in SEES[who]:
            expected = 404
        elif who in WRITES:
            expected = 200
        else:
            expected = 403
        assert response.status_code == expected, (who, branch, response.content)
        case.refresh_from_db()
        assert (case.stage == "investigating") == (expected == 200)


def test_a_branch_manager_cannot_delete_or_group_another_branchs_problem(
    two_cases: dict[str, Any], client_for: Any
) -> None:
    client = client_for("manager_a")
    nj, wx = two_cases["NJ"].number, two_cases["WX"].number
    assert send(client, "delete", f"/serviceProblem/{wx}").status_code == 404
    body = {"parentProblem": {"id": nj}, "childProblem": [{"id": wx}]}
    assert send(client, "post", "/problemGroup", body).status_code == 404
    two_cases["WX"].refresh_from_db()
    assert two_cases["WX"].parent_id is None


def test_a_branch_manager_opens_a_problem_on_their_branch_and_not_on_another(
    people: Any, client_for: Any
) -> None:
    client = client_for("manager_a")
    own = send(client, "post", "/serviceProblem", new_problem(affectedLocation=[]))
    assert own.status_code == 201, own.content
    assert [p["id"] for p in own.json()["affectedLocation"]] == ["NJ"]
    other = new_problem(affectedLocation=[{"id": "WX"}])
    refused = send(client, "post", "/serviceProblem", other)
    assert refused.status_code == 403
    assert (
        send(client_for("manager_b"), "get", f"/serviceProblem/{own.json()['id']}").status_code
        == 404
    )


def test_a_problem_shows_only_the_tickets_and_related_problems_the_caller_may_see(
    make_case: MakeCase, make_order: Any, client_for: Any, people: Any
) -> None:
    from sqm.tracing import services

    both = make_case("analyst", branches=["NJ", "WX"], title="苏南 上网慢")
    nj_order = make_order("handler_a", branch="NJ")
    wx_order = make_order("handler_b", branch="WX")
    services.add_complaints(people["analyst"], both.number, [nj_order.number, wx_order.number])
    wx_child = make_case("analyst", branches=["WX"], title="无锡 子问题")
    services.group(people["analyst"], both.number, [wx_child.number])

    seen_by_a = send(client_for("manager_a"), "get", f"/serviceProblem/{both.number}").json()
    assert [t["id"] for t in seen_by_a["associatedTroubleTicket"]] == [nj_order.number]
    assert seen_by_a["underlyingProblem"] == []
    seen_by_analyst = send(client_for("analyst"), "get", f"/serviceProblem/{both.number}").json()
    assert {t["id"] for t in seen_by_analyst["associatedTroubleTicket"]} == {
        nj_order.number,
        wx_order.number,
    }
    assert [p["id"] for p in seen_by_analyst["underlyingProblem"]] == [wx_child.number]
