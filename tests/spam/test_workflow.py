"""The case life cycle as plain functions: nobody is suspended without people deciding it."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqm.spam.core import workflow
from sqm.spam.core.workflow import (
    Case,
    ConfirmationRequired,
    Decision,
    IllegalTransition,
    ReviewerConflict,
    Status,
)

AT = datetime(2026, 3, 2, 10, 30)
NUMBER = "13912345678"


def test_one_confirmation_confirms_an_ordinary_case_and_allows_its_suspension() -> None:
    case = workflow.decide(Case(Status.FLAGGED), "r1", Decision.CONFIRM)
    assert case.status == Status.CONFIRMED
    suspended, order = workflow.suspend(case, NUMBER, AT)
    assert suspended.status == Status.SUSPENDED
    assert order.action == workflow.SUSPEND_SERVICE  # the whole service, not only SMS (R7.2)
    assert order.confirmed_by == ("r1",)
    assert "139****5678" in order.notification and NUMBER not in order.notification
    assert "申诉" in order.notification


def test_a_high_impact_case_needs_two_distinct_reviewers() -> None:
    case = Case(Status.FLAGGED, high_impact=True)
    once = workflow.decide(case, "r1", Decision.CONFIRM)
    assert once.status == Status.UNDER_REVIEW and once.confirmations_missing == 1
    with pytest.raises(ConfirmationRequired):
        workflow.suspend(once, NUMBER, AT)
    with pytest.raises(ReviewerConflict):
        workflow.decide(once, "r1", Decision.CONFIRM)
    twice = workflow.decide(once, "r2", Decision.CONFIRM)
    assert twice.status == Status.CONFIRMED
    assert workflow.suspend(twice, NUMBER, AT)[1].confirmed_by == ("r1", "r2")


def test_without_the_four_eyes_option_a_high_impact_case_needs_one() -> None:
    case = workflow.decide(Case(Status.FLAGGED, True, four_eyes=False), "r1", Decision.CONFIRM)
    assert case.status == Status.CONFIRMED


def test_one_rejection_closes_the_case_even_after_a_confirmation() -> None:
    once = workflow.decide(Case(Status.FLAGGED, high_impact=True), "r1", Decision.CONFIRM)
    closed = workflow.decide(once, "r2", Decision.REJECT)
    assert closed.status == Status.REJECTED
    with pytest.raises(IllegalTransition):
        workflow.decide(closed, "r3", Decision.CONFIRM)


def test_suspension_checks_the_confirmations_not_the_status_it_is_given() -> None:
    forged = Case(Status.CONFIRMED)  # a status set by hand, no review behind it
    with pytest.raises(ConfirmationRequired):
        workflow.suspend(forged, NUMBER, AT)
    half = Case(
        Status.CONFIRMED, high_impact=True, reviews=(workflow.Review("r1", Decision.CONFIRM),)
    )
    with pytest.raises(ConfirmationRequired):
        workflow.suspend(half, NUMBER, AT)
    rejected = replace(
        half,
        reviews=(workflow.Review("r1", Decision.CONFIRM), workflow.Review("r2", Decision.REJECT)),
        high_impact=False,
    )
    with pytest.raises(ConfirmationRequired):
        workflow.suspend(rejected, NUMBER, AT)


def test_only_a_confirmed_case_can_be_suspended() -> None:
    case = Case(Status.FLAGGED, reviews=(workflow.Review("r1", Decision.CONFIRM),))
    with pytest.raises(IllegalTransition):
        workflow.suspend(case, NUMBER, AT)


def test_an_appeal_is_decided_by_someone_who_did_not_confirm() -> None:
    confirmed = workflow.decide(Case(Status.FLAGGED), "r1", Decision.CONFIRM)
    appealed = workflow.appeal(workflow.suspend(confirmed, NUMBER, AT)[0])
    assert appealed.status == Status.APPEALED
    with pytest.raises(ReviewerConflict):
        workflow.decide_appeal(appealed, "r1", grant=True)
    assert workflow.decide_appeal(appealed, "r2", grant=True).status == Status.RESTORED
    assert workflow.decide_appeal(appealed, "r2", grant=False).status == Status.UPHELD


def test_appeals_only_follow_suspensions() -> None:
    for status in (Status.FLAGGED, Status.UNDER_REVIEW, Status.CONFIRMED, Status.REJECTED):
        with pytest.raises(IllegalTransition):
            workflow.appeal(Case(status))
    with pytest.raises(IllegalTransition):
        workflow.decide_appeal(Case(Status.SUSPENDED), "r2", grant=True)


def test_every_status_is_in_the_transition_table_and_terminal_ones_lead_nowhere() -> None:
    assert set(workflow.TRANSITIONS) == set(Status)
    for terminal in (Status.RESTORED, Status.UPHELD, Status.REJECTED):
        assert workflow.TRANSITIONS[terminal] == frozenset()


def test_enterprise_ports_and_group_or_vip_customers_are_high_impact() -> None:
    assert workflow.is_high_impact("10690001234", None)
    assert workflow.is_high_impact("13900000000", "group")
    assert workflow.is_high_impact("13900000000", "diamond")
    assert not workflow.is_high_impact("13900000000", "ordinary")
    assert not workflow.is_high_impact("13900000000", None)
    assert workflow.impact_reason("10690001234", "group") == "enterprise_port"
    assert workflow.impact_reason("13900000000", "gold") == "tier:gold"
    assert workflow.impact_reason("13900000000", "ordinary") == ""


STEPS = st.lists(
    st.tuples(
        st.sampled_from(["decide", "suspend", "appeal", "decide_appeal", "start"]),
        st.sampled_from(["r1", "r2", "r3"]),
        st.sampled_from(list(Decision)),
    ),
    max_size=12,
)


@given(high_impact=st.booleans(), four_eyes=st.booleans(), steps=STEPS)
def test_no_sequence_of_steps_suspends_without_enough_distinct_confirmations(
    high_impact: bool, four_eyes: bool, steps: list[tuple[str, str, Decision]]
) -> None:
    case = Case(Status.FLAGGED, high_impact, four_eyes)
    for step, reviewer, decision in steps:
        try:
            if step == "decide":
                case = workflow.decide(case, reviewer, decision)
            elif step == "start":
                case = workflow.start_review(case)
            elif step == "appeal":
                case = workflow.appeal(case)
            elif step == "decide_appeal":
                case = workflow.decide_appeal(case, reviewer, decision == Decision.CONFIRM)
            else:
                before = case
                case, order = workflow.suspend(case, NUMBER, AT)
                confirmers = {r.reviewer for r in before.reviews if r.decision == Decision.CONFIRM}
                assert len(confirmers) >= (2 if high_impact and four_eyes else 1)
                assert not any(r.decision == Decision.REJECT for r in before.reviews)
                assert set(order.confirmed_by) == confirmers
        except IllegalTransition:
            pass
    if case.status in (Status.SUSPENDED, Status.APPEALED, Status.RESTORED, Status.UPHELD):
        assert len(case.confirmers) == case.required_confirmations
