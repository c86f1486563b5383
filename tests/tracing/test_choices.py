"""The tracing fields read one choice set each, whose values are the core's."""

from __future__ import annotations

from django.utils import translation

from sqm.tracing.choices import (
    RootCauseChoices,
    SignalKindChoices,
    SignalStatusChoices,
    StageChoices,
)
from sqm.tracing.core.causes import RootCauseClass
from sqm.tracing.core.signals import SignalKind, SignalStatus
from sqm.tracing.core.stages import STAGE_NAMES_ZH, Stage
from sqm.tracing.models import Signal, TracingCase


def test_each_set_holds_exactly_the_core_values_in_order() -> None:
    assert SignalKindChoices.values == tuple(k.value for k in SignalKind)
    assert SignalStatusChoices.values == tuple(s.value for s in SignalStatus)
    assert StageChoices.values == tuple(s.value for s in Stage)
    assert RootCauseChoices.values == tuple(c.value for c in RootCauseClass)


def test_the_stage_names_are_the_cores_and_read_in_english_in_the_english_ui() -> None:
    with translation.override("zh-hans"):
        assert [str(label) for _, label in StageChoices.choices] == list(STAGE_NAMES_ZH.values())
    with translation.override("en"):
        assert StageChoices.label(Stage.OPEN) != STAGE_NAMES_ZH[Stage.OPEN]


def test_the_models_read_the_sets_and_the_chips_keep_their_classes() -> None:
    assert Signal._meta.get_field("status").choices == SignalStatusChoices.choices
    assert TracingCase._meta.get_field("stage").choices == StageChoices.choices
    assert SignalStatusChoices.colour(SignalStatus.LINKED) == "status-linked"
    assert StageChoices.colour(Stage.MEASURES_IN_PROGRESS) == "stage-measures_in_progress"
