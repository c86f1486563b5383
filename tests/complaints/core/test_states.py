"""The work-order state machine: the whole table, and nothing outside it."""

from __future__ import annotations

import itertools

import pytest

from sqm.complaints.core import states
from sqm.complaints.core.states import (
    OPEN_STATUSES,
    TRANSITIONS,
    Action,
    IllegalTransition,
    Status,
    UnknownTmfStatus,
)

S, A = Status, Action

# Written out again by hand, on purpose: a change to the table must change this test too.
EXPECTED: dict[tuple[Status, Action], Status] = {
    (S.NEW, A.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.NEW, A.CANCEL): S.CANCELLED,
    (S.ACKNOWLEDGED, A.START): S.IN_PROGRESS,
    (S.ACKNOWLEDGED, A.WAIT_CUSTOMER): S.PENDING_CUSTOMER,
    (S.ACKNOWLEDGED, A.RESOLVE): S.RESOLVED,
    (S.ACKNOWLEDGED, A.CANCEL): S.CANCELLED,
    (S.IN_PROGRESS, A.WAIT_CUSTOMER): S.PENDING_CUSTOMER,
    (S.IN_PROGRESS, A.RESOLVE): S.RESOLVED,
    (S.IN_PROGRESS, A.CANCEL): S.CANCELLED,
    (S.PENDING_CUSTOMER, A.CUSTOMER_REPLIED): S.IN_PROGRESS,
    (S.PENDING_CUSTOMER, A.CANCEL): S.CANCELLED,
    (S.RESOLVED, A.CONFIRM): S.CLOSED,
    (S.RESOLVED, A.CLOSE_UNREACHABLE): S.CLOSED,
    (S.RESOLVED, A.REOPEN): S.IN_PROGRESS,
    (S.CLOSED, A.REOPEN): S.IN_PROGRESS,
}
ALL_PAIRS = list(itertools.product(Status, Action))


@pytest.mark.parametrize(("status", "action"), list(EXPECTED))
def test_every_allowed_transition_reaches_its_status(status: Status, action: Action) -> None:
    assert states.next_status(status, action) == EXPECTED[status, action]


@pytest.mark.parametrize(("status", "action"), [pair for pair in ALL_PAIRS if pair not in EXPECTED])
def test_every_other_status_and_action_pair_is_illegal(status: Status, action: Action) -> None:
    with pytest.raises(IllegalTransition) as caught:
        states.next_status(status, action)
    assert caught.value.status == status
    assert caught.value.action == action


def test_the_table_is_exactly_the_expected_one() -> None:
    table = {(s, a): t for s, edges in TRANSITIONS.items() for a, t in edges.items()}
    assert table == EXPECTED
    assert set(TRANSITIONS) == set(Status)


def test_the_illegal_transition_message_is_chinese_then_english_and_lists_allowed_actions() -> None:
    with pytest.raises(IllegalTransition) as caught:
        states.next_status(S.NEW, A.RESOLVE)
    message = str(caught.value)
    assert message.startswith("工单当前状态为「新建」，不能执行「解决」")
    assert "受理、撤销" in message
    assert "cannot resolve a work order that is new" in message
    assert "allowed actions: acknowledge, cancel" in message
    assert caught.value.allowed == (A.ACKNOWLEDGE, A.CANCEL)


def test_a_cancelled_work_order_says_no_action_is_left() -> None:
    with pytest.raises(IllegalTransition, match="终态"):
        states.next_status(S.CANCELLED, A.REOPEN)


def test_illegal_transition_is_a_value_error_for_generic_handlers() -> None:
    assert issubclass(IllegalTransition, ValueError)


def test_plain_strings_are_accepted_as_status_and_action() -> None:
    assert states.next_status("new", "acknowledge") == S.ACKNOWLEDGED  # type: ignore[arg-type]


def test_allowed_actions_follow_the_table_order() -> None:
    assert states.allowed_actions(S.RESOLVED) == (A.CONFIRM, A.CLOSE_UNREACHABLE, A.REOPEN)
    assert states.allowed_actions(S.CANCELLED) == ()


def test_open_statuses_are_all_but_closed_and_cancelled() -> None:
    assert frozenset(Status) - OPEN_STATUSES == {S.CLOSED, S.CANCELLED}
    assert states.is_open(S.RESOLVED)
    assert not states.is_open(S.CLOSED)


def test_only_waiting_for_the_customer_pauses_the_clocks() -> None:
    assert [s for s in Status if states.is_paused(s)] == [S.PENDING_CUSTOMER]


def test_every_status_is_reachable_from_new() -> None:
    seen, frontier = {S.NEW}, [S.NEW]
    while frontier:
        for target in TRANSITIONS[frontier.pop()].values():
            if target not in seen:
                seen.add(target)
                frontier.append(target)
    assert seen == set(Status)


@pytest.mark.parametrize("value", states.TMF_STATUSES)
def test_every_tmf_status_round_trips(value: str) -> None:
    assert states.tmf_status(states.from_tmf_status(value)) == value


@pytest.mark.parametrize("status", [s for s in Status if s != S.NEW])
def test_every_status_but_new_round_trips_through_tmf(status: Status) -> None:
    assert states.from_tmf_status(states.tmf_status(status)) == status


def test_new_is_acknowledged_in_tmf_and_comes_back_as_acknowledged() -> None:
    assert states.tmf_status(S.NEW) == "acknowledged"
    assert states.from_tmf_status("acknowledged") == S.ACKNOWLEDGED


def test_tmf_statuses_are_the_six_tmf621_values() -> None:
    assert set(states.TMF_STATUSES) == {
        "acknowledged",
        "inProgress",
        "pending",
        "resolved",
        "closed",
        "cancelled",
    }
    assert {states.tmf_status(s) for s in Status} == set(states.TMF_STATUSES)


@pytest.mark.parametrize("value", ["held", "rejected", "InProgress", ""])
def test_an_unsupported_tmf_status_is_refused_clearly(value: str) -> None:
    with pytest.raises(UnknownTmfStatus, match="不支持的TMF工单状态"):
        states.from_tmf_status(value)


@pytest.mark.parametrize(("status", "action"), list(EXPECTED))
def test_action_for_finds_an_action_reaching_each_target(status: Status, action: Action) -> None:
    found = states.action_for(status, EXPECTED[status, action])
    assert states.next_status(status, found) == EXPECTED[status, action]


def test_action_for_prefers_confirmation_when_closing() -> None:
    assert states.action_for(S.RESOLVED, S.CLOSED) == A.CONFIRM


def test_action_for_maps_tmf_acknowledged_on_a_new_work_order_to_acknowledge() -> None:
    assert states.action_for(S.NEW, states.from_tmf_status("acknowledged")) == A.ACKNOWLEDGE


@pytest.mark.parametrize(
    ("status", "target"),
    [(s, t) for s, t in itertools.product(Status, Status) if t not in TRANSITIONS[s].values()],
)
def test_action_for_an_unreachable_target_is_illegal(status: Status, target: Status) -> None:
    with pytest.raises(IllegalTransition) as caught:
        states.action_for(status, target)
    assert caught.value.target == target
    assert caught.value.action is None
    assert "不能变更为" in str(caught.value)
