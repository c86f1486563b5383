"""The spam fields' choice sets hold exactly the workflow core's values, in its order."""

from __future__ import annotations

from django.utils import translation

from sqm.spam.choices import CaseStatusChoices, DecisionChoices
from sqm.spam.core.workflow import Decision, Status
from sqm.spam.models import Review, SenderCase


def test_the_case_status_and_decision_sets_are_the_core_code_sets() -> None:
    assert CaseStatusChoices.values == tuple(s.value for s in Status)
    assert DecisionChoices.values == tuple(d.value for d in Decision)


def test_the_models_read_the_choice_sets() -> None:
    assert SenderCase._meta.get_field("status").choices == CaseStatusChoices.choices
    assert Review._meta.get_field("decision").choices == DecisionChoices.choices
    with translation.override("zh-hans"):
        assert SenderCase(status=Status.UPHELD.value).get_status_display() == "维持停机"
