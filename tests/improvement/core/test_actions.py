"""The action item lifecycle and the closure gate, as plain rules."""

from __future__ import annotations

import pytest

from sqm.improvement.core.actions import (
    ActionStatus,
    Binding,
    IllegalStep,
    Step,
    closure_gate,
    next_status,
    steps_from,
    target_met,
)

S = ActionStatus


def test_an_item_goes_from_open_through_work_and_evidence_to_verified() -> None:
    status = next_status(S.OPEN, Step.START)
    assert status == S.IN_PROGRESS
    status = next_status(status, Step.COMPLETE, evidence_count=1)
    assert status == S.DONE
    assert next_status(status, Step.VERIFY) == S.VERIFIED


def test_completing_without_evidence_is_refused_in_chinese() -> None:
    with pytest.raises(IllegalStep) as refused:
        next_status(S.IN_PROGRESS, Step.COMPLETE, evidence_count=0)
    assert "佐证" in refused.value.message_zh


def test_reopening_needs_a_reason_and_sends_the_item_back_to_work() -> None:
    with pytest.raises(IllegalStep):
        next_status(S.DONE, Step.REOPEN, reason="  ")
    assert next_status(S.DONE, Step.REOPEN, reason="证据不足") == S.REOPENED
    assert next_status(S.REOPENED, Step.START) == S.IN_PROGRESS


def test_an_item_not_yet_done_cannot_be_verified_and_a_verified_one_takes_no_step() -> None:
    with pytest.raises(IllegalStep):
        next_status(S.IN_PROGRESS, Step.VERIFY)
    assert steps_from(S.VERIFIED) == ()
    assert steps_from(S.DONE) == (Step.VERIFY, Step.REOPEN)


HALL_QUEUE = Binding("hall_queue_minutes", "NT", 10.0, "lower")


def test_a_bound_item_closes_only_when_its_indicator_meets_the_target() -> None:
    assert not closure_gate(HALL_QUEUE, 12.5).passes
    assert "尚未达标" in closure_gate(HALL_QUEUE, 12.5).message_zh
    assert closure_gate(HALL_QUEUE, 10.0) == closure_gate(HALL_QUEUE, 9.0)
    assert closure_gate(HALL_QUEUE, 9.0).passes
    assert not closure_gate(HALL_QUEUE, None).passes


def test_the_verifier_may_override_the_gate_only_with_a_reason() -> None:
    gate = closure_gate(HALL_QUEUE, 12.5, override_reason="指标口径调整，已由领导确认")
    assert gate.passes and gate.overridden
    assert not closure_gate(HALL_QUEUE, 12.5, override_reason=" ").passes


def test_an_unbound_item_always_passes_the_gate_without_an_override() -> None:
    gate = closure_gate(None, None)
    assert gate.passes and not gate.overridden


def test_targets_are_met_on_the_indicators_good_side() -> None:
    assert target_met(0.91, 0.9, "higher") and not target_met(0.89, 0.9, "higher")
    assert target_met(9.9, 10, "lower") and not target_met(10.1, 10, "lower")
    with pytest.raises(ValueError):
        target_met(1.0, 1.0, "neutral")
