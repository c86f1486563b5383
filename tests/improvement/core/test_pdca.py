"""Focus-project stage gates and launch checklists, as plain rules."""

from __future__ import annotations

import pytest

from sqm.improvement.core.pdca import (
    GateRefused,
    LaunchStatus,
    Stage,
    after_launch,
    gap_closed,
    gate,
    go_live,
    sign_off,
)


def move(stage: Stage, target: Stage, **given: object) -> Stage:
    values: dict[str, object] = dict(approved=True, open_tasks=0, task_count=2, note="评审通过")
    values.update(given)
    return gate(stage, target, **values)  # type: ignore[arg-type]


def test_a_plan_goes_to_do_only_approved_and_with_tasks() -> None:
    assert move(Stage.PLAN, Stage.DO) == Stage.DO
    with pytest.raises(GateRefused, match="批准"):
        move(Stage.PLAN, Stage.DO, approved=False)
    with pytest.raises(GateRefused, match="任务"):
        move(Stage.PLAN, Stage.DO, task_count=0)


def test_do_goes_to_check_only_when_every_task_is_done() -> None:
    with pytest.raises(GateRefused, match="2 项任务未完成"):
        move(Stage.DO, Stage.CHECK, open_tasks=2)
    assert move(Stage.DO, Stage.CHECK) == Stage.CHECK


def test_act_standardises_or_starts_a_new_cycle_and_every_move_needs_a_review_note() -> None:
    assert move(Stage.ACT, Stage.STANDARDISED) == Stage.STANDARDISED
    assert move(Stage.ACT, Stage.PLAN) == Stage.PLAN
    assert move(Stage.CHECK, Stage.DO) == Stage.DO
    with pytest.raises(GateRefused, match="评审意见"):
        move(Stage.CHECK, Stage.ACT, note=" ")
    with pytest.raises(GateRefused):
        move(Stage.PLAN, Stage.CHECK)
    with pytest.raises(GateRefused):
        move(Stage.STANDARDISED, Stage.PLAN)


def test_the_gap_closed_runs_from_baseline_to_target_either_way() -> None:
    assert gap_closed(16.0, 10.0, 13.0) == pytest.approx(0.5)
    assert gap_closed(0.80, 0.90, 0.92) == pytest.approx(1.2)
    assert gap_closed(16.0, 10.0, 18.0) == pytest.approx(-1 / 3)
    assert gap_closed(1.0, 1.0, 2.0) is None and gap_closed(1.0, 2.0, None) is None


def test_a_launch_is_signed_off_only_when_every_case_passed_then_goes_live() -> None:
    with pytest.raises(GateRefused, match="1 个用例不通过、1 个用例待测"):
        sign_off(LaunchStatus.TESTING, ["passed", "failed", "pending"])
    with pytest.raises(GateRefused, match="至少"):
        sign_off(LaunchStatus.TESTING, [])
    signed = sign_off(LaunchStatus.TESTING, ["passed", "passed"])
    assert go_live(signed) == LaunchStatus.LAUNCHED
    with pytest.raises(GateRefused):
        go_live(LaunchStatus.TESTING)


def test_a_failing_product_is_rectified_or_taken_offline_with_a_reason() -> None:
    assert after_launch(LaunchStatus.LAUNCHED, "rectify", "投诉突增") == LaunchStatus.RECTIFYING
    assert after_launch(LaunchStatus.LAUNCHED, "offline", "资费错误") == LaunchStatus.OFFLINE
    with pytest.raises(GateRefused, match="理由"):
        after_launch(LaunchStatus.LAUNCHED, "offline", "")
    with pytest.raises(GateRefused):
        after_launch(LaunchStatus.SIGNED_OFF, "offline", "x")
