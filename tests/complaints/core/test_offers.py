"""The steps a work order offers: one rule for the page's buttons and the service's checks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqm.complaints.core.escalation import Level
from sqm.complaints.core.offers import Facts, Refused, appeal_refused, escalation_refused, offers
from sqm.complaints.core.states import Action, Status

CREATED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _facts(**changes: object) -> Facts:
    values: dict[str, object] = {
        "status": Status.IN_PROGRESS,
        "level": Level.ORDINARY,
        "created_at": CREATED,
        "first_reply_at": None,
        "satisfaction": None,
    }
    values.update(changes)
    return Facts(**values)


def test_a_closed_order_answered_in_time_to_a_satisfied_customer_offers_no_appeal() -> None:
    facts = _facts(status=Status.CLOSED, first_reply_at=CREATED + timedelta(days=1), satisfaction=4)
    now = CREATED + timedelta(days=20)
    assert not offers(facts, may_write=True, now=now).appeal
    assert appeal_refused(facts, now)[0] == Refused.NOT_YET


def test_sixteen_days_without_an_answer_offers_the_appeal() -> None:
    assert offers(_facts(), may_write=True, now=CREATED + timedelta(days=16)).appeal


def test_a_dissatisfied_customer_may_appeal_at_once() -> None:
    facts = _facts(status=Status.CLOSED, first_reply_at=CREATED, satisfaction=2)
    assert offers(facts, may_write=True, now=CREATED + timedelta(days=1)).appeal


def test_escalation_is_offered_once_and_only_while_open() -> None:
    assert escalation_refused(_facts()) is None
    assert escalation_refused(_facts(level=Level.ESCALATED)) == Refused.ALREADY_ESCALATED
    assert escalation_refused(_facts(status=Status.CLOSED)) == Refused.NOT_OPEN


def test_closing_is_a_form_not_a_step_and_a_reader_is_offered_nothing() -> None:
    resolved = _facts(status=Status.RESOLVED)
    offered = offers(resolved, may_write=True, now=CREATED)
    assert offered.close and Action.CONFIRM not in offered.steps and offered.steps
    assert not any(vars(offers(resolved, may_write=False, now=CREATED)).values())
