"""Action items through the services: lifecycle, evidence, the closure gate, scoping."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sqm.improvement import services
from sqm.improvement.models import ActionEvent
from tests.improvement.conftest import MakeAction, store_results

pytestmark = pytest.mark.django_db


def test_an_item_is_worked_evidenced_done_and_verified_with_every_step_attributed(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action(department="network", branch="NJ")
    services.take_step(people["manager_a"], item.pk, "start")
    services.add_evidence(people["liaison"], item.pk, note="已增开两个窗口")
    services.take_step(people["liaison"], item.pk, "complete")
    done = services.take_step(people["analyst"], item.pk, "verify")
    assert done.status == "verified" and done.verified_by == people["analyst"]
    steps = list(
        ActionEvent.objects.filter(action=item, kind="step").values_list("actor", "to_status")
    )
    assert steps == [
        ("manager_a", "in_progress"),
        ("liaison", "done"),
        ("analyst", "verified"),
    ]


def test_completing_without_evidence_is_refused(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action()
    with pytest.raises(services.IllegalStep, match="佐证"):
        services.take_step(people["manager_a"], item.pk, "complete")


def test_only_the_quality_department_verifies(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action()
    services.add_evidence(people["manager_a"], item.pk, url="https://wiki.example/q.html")
    services.take_step(people["manager_a"], item.pk, "complete")
    with pytest.raises(PermissionDenied):
        services.take_step(people["manager_a"], item.pk, "verify")


def test_reopening_needs_a_reason_and_keeps_it_on_the_timeline(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action()
    services.add_evidence(people["manager_a"], item.pk, note="done")
    services.take_step(people["manager_a"], item.pk, "complete")
    with pytest.raises(services.IllegalStep):
        services.take_step(people["analyst"], item.pk, "reopen", reason="")
    services.take_step(people["analyst"], item.pk, "reopen", reason="佐证不足，请补充排队数据")
    last = ActionEvent.objects.filter(action=item).last()
    assert last is not None and last.to_status == "reopened" and "排队数据" in last.note


def bound_done(people: dict[str, Any], make_action: MakeAction) -> Any:
    item = make_action(indicator="hall_mean_wait_minutes", target=10.0)
    services.add_evidence(people["manager_a"], item.pk, note="增开窗口")
    return services.take_step(people["manager_a"], item.pk, "complete")


def test_an_item_bound_to_an_indicator_is_not_verified_while_the_figure_misses_the_target(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    store_results("2026-12", [("hall_mean_wait_minutes", "NJ", 16.0, None)])
    item = bound_done(people, make_action)
    with pytest.raises(services.IllegalStep, match="尚未达标"):
        services.take_step(people["analyst"], item.pk, "verify")
    store_results("2027-01", [("hall_mean_wait_minutes", "NJ", 9.5, None)])
    assert services.take_step(people["analyst"], item.pk, "verify").status == "verified"


def test_the_verifier_may_override_the_gate_with_a_reason_which_is_recorded(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    store_results("2026-12", [("hall_mean_wait_minutes", "NJ", 16.0, None)])
    item = bound_done(people, make_action)
    closed = services.take_step(
        people["analyst"], item.pk, "verify", override_reason="营业厅搬迁，指标暂不可比"
    )
    assert closed.override_reason == "营业厅搬迁，指标暂不可比"
    assert "强制关闭" in ActionEvent.objects.filter(action=item).last().note  # type: ignore[union-attr]


def test_a_binding_needs_a_known_indicator_and_a_target(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    with pytest.raises(services.ImprovementError, match="指标库"):
        make_action(indicator="no_such_indicator", target=1.0)
    with pytest.raises(services.ImprovementError, match="目标值"):
        make_action(indicator="hall_mean_wait_minutes")
    with pytest.raises(services.ImprovementError, match="完成时限"):
        make_action(deadline=date(2026, 12, 1))


def test_a_branch_manager_sees_only_their_branchs_items_and_a_liaison_their_departments(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    nj = make_action("南京", branch="NJ", department="market")
    wx = make_action("无锡", branch="WX", department="network")
    assert set(services.visible_actions(people["manager_a"])) == {nj}
    assert set(services.visible_actions(people["manager_b"])) == {wx}
    assert set(services.visible_actions(people["liaison"])) == {wx}
    assert set(services.visible_actions(people["analyst"])) == {nj, wx}
    assert not services.visible_actions(people["spam_reviewer"]).exists()
    with pytest.raises(services.ActionItem.DoesNotExist):
        services.take_step(people["manager_b"], nj.pk, "start")


def test_an_executive_reads_but_cannot_comment_or_step(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action()
    assert services.get_action(people["executive"], item.pk) == item
    with pytest.raises(PermissionDenied):
        services.add_comment(people["executive"], item.pk, "请加快")
    with pytest.raises(PermissionDenied):
        services.take_step(people["executive"], item.pk, "start")


def test_evidence_refuses_an_empty_or_a_non_web_link_and_an_oversized_file(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action()
    with pytest.raises(services.ImprovementError):
        services.add_evidence(people["manager_a"], item.pk)
    with pytest.raises(services.ImprovementError, match="http"):
        services.add_evidence(people["manager_a"], item.pk, url="javascript:alert(1)")
    big = services.Upload("big.bin", b"x" * (10 * 1024 * 1024 + 1))
    with pytest.raises(services.ImprovementError, match="10 MB"):
        services.add_evidence(people["manager_a"], item.pk, upload=big)
    kept = services.add_evidence(
        people["manager_a"], item.pk, upload=services.Upload("排队.xlsx", b"PK..")
    )
    assert kept.kind == "file" and kept.size == 4


def test_a_stale_version_is_a_conflict_and_changes_nothing(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    item = make_action()
    services.take_step(people["manager_a"], item.pk, "start", expected_version=item.version)
    with pytest.raises(services.ConcurrentEdit, match="已被他人修改"):
        services.add_evidence(people["manager_a"], item.pk, note="x", expected_version=item.version)
    assert not item.evidence.exists()
