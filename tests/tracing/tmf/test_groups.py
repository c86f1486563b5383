"""problemGroup and problemUngroup: merging tracing cases under a parent problem and taking
them out again, each step on both cases' timelines."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.tracing.models import TracingCase
from tests.tracing.tmf.conftest import MakeCase, send

pytestmark = pytest.mark.django_db


def _group(parent: Any, *children: Any) -> dict[str, Any]:
    return {
        "parentProblem": {"id": parent.number},
        "childProblem": [{"id": c.number} for c in children],
    }


def test_grouping_merges_the_children_under_the_parent(
    client_for: Any, make_case: MakeCase
) -> None:
    parent, first, second = make_case(), make_case(title="鼓楼"), make_case(title="玄武")
    client = client_for("analyst")
    response = send(client, "post", "/problemGroup", _group(parent, first, second))
    assert response.status_code == 201, response.content
    task = response.json()
    assert task["parentProblem"]["id"] == parent.number
    assert [c["id"] for c in task["childProblem"]] == [first.number, second.number]

    head = send(client, "get", f"/serviceProblem/{parent.number}").json()
    assert {p["id"] for p in head["underlyingProblem"]} == {first.number, second.number}
    child = send(client, "get", f"/serviceProblem/{first.number}").json()
    assert [p["id"] for p in child["parentProblem"]] == [parent.number]
    assert child["parentProblem"][0]["href"].endswith(f"/serviceProblem/{parent.number}")
    kinds = [
        r["extensionInfo"][0]["value"] for r in child["trackingRecord"]
    ]  # the step is on the child's timeline
    assert kinds[-1] == "grouped"


def test_a_problem_cannot_be_grouped_under_its_own_child(
    client_for: Any, make_case: MakeCase
) -> None:
    parent, child = make_case(), make_case(title="子问题")
    client = client_for("analyst")
    assert send(client, "post", "/problemGroup", _group(parent, child)).status_code == 201
    cycle = send(client, "post", "/problemGroup", _group(child, parent))
    assert cycle.status_code == 400
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_ungrouping_takes_the_children_out_and_checks_their_parent(
    client_for: Any, make_case: MakeCase
) -> None:
    parent, child, stranger = make_case(), make_case(title="子"), make_case(title="另一个")
    client = client_for("analyst")
    send(client, "post", "/problemGroup", _group(parent, child))
    wrong = send(client, "post", "/problemUngroup", _group(stranger, child))
    assert wrong.status_code == 400
    assert TracingCase.objects.get(pk=child.pk).parent_id == parent.pk
    done = send(client, "post", "/problemUngroup", _group(parent, child))
    assert done.status_code == 201, done.content
    assert TracingCase.objects.get(pk=child.pk).parent_id is None
    head = send(client, "get", f"/serviceProblem/{parent.number}").json()
    assert head["underlyingProblem"] == []


def test_a_patch_of_parent_problem_groups_and_detaches(
    client_for: Any, make_case: MakeCase
) -> None:
    parent, child = make_case(), make_case(title="子")
    client = client_for("analyst")
    path = f"/serviceProblem/{child.number}"
    joined = send(client, "patch", path, {"parentProblem": [{"id": parent.number}]}).json()
    assert [p["id"] for p in joined["parentProblem"]] == [parent.number]
    left = send(client, "patch", path, {"parentProblem": []}).json()
    assert left["parentProblem"] == []


def test_the_executive_may_not_group(client_for: Any, make_case: MakeCase) -> None:
    parent, child = make_case(), make_case(title="子")
    response = send(client_for("executive"), "post", "/problemGroup", _group(parent, child))
    assert response.status_code == 403
    assert TracingCase.objects.get(pk=child.pk).parent_id is None
