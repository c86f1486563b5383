"""The stages of a tracing case: the table is the whole truth."""

from __future__ import annotations

import pytest

from sqm.tracing.core.stages import (
    TRANSITIONS,
    IllegalStageChange,
    Stage,
    UnknownStage,
    allowed_stages,
    is_open,
    next_stage,
    stage_of,
)


def test_a_case_walks_forward_from_open_to_closed() -> None:
    path = [Stage.INVESTIGATING, Stage.MEASURES_IN_PROGRESS, Stage.EVALUATING, Stage.CLOSED]
    stage = Stage.OPEN
    for target in path:
        stage = next_stage(stage, target)
    assert stage == Stage.CLOSED


def test_an_evaluation_that_finds_no_effect_sends_the_case_back_to_its_measures() -> None:
    assert next_stage(Stage.EVALUATING, Stage.MEASURES_IN_PROGRESS) == Stage.MEASURES_IN_PROGRESS


def test_a_closed_case_reopens_for_investigation_only() -> None:
    assert allowed_stages(Stage.CLOSED) == (Stage.INVESTIGATING,)


def test_skipping_the_measures_is_refused_with_the_allowed_moves_named() -> None:
    with pytest.raises(IllegalStageChange) as raised:
        next_stage(Stage.INVESTIGATING, Stage.EVALUATING)
    assert "整改中" in str(raised.value) and "measures_in_progress" in str(raised.value)


def test_every_stage_has_a_way_on_and_none_loops_to_itself() -> None:
    assert set(TRANSITIONS) == set(Stage)
    for stage, targets in TRANSITIONS.items():
        assert targets and stage not in targets


def test_only_closed_cases_are_not_open() -> None:
    assert [s for s in Stage if not is_open(s)] == [Stage.CLOSED]


def test_an_unknown_stage_name_is_a_clear_error() -> None:
    with pytest.raises(UnknownStage, match="未知的阶段"):
        stage_of("resolved")
