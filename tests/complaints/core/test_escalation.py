"""Escalation levels and the MIIT appeal rules."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqm.complaints.core import clocks, escalation
from sqm.complaints.core.calendar import SHANGHAI
from sqm.complaints.core.clocks import ClockError
from sqm.complaints.core.escalation import APPEAL_WAIT_DAYS, Level

CREATED = datetime(2025, 3, 1, 10, tzinfo=SHANGHAI)
FIFTEEN_DAYS = timedelta(days=15)


def check(
    *, first_reply_at: datetime | None = None, dissatisfied: bool = False, now: datetime
) -> escalation.AppealCheck:
    return escalation.appeal_allowed(
        created_at=CREATED, first_reply_at=first_reply_at, dissatisfied=dissatisfied, now=now
    )


def test_a_dissatisfied_customer_may_appeal_at_once() -> None:
    result = check(first_reply_at=CREATED + timedelta(hours=2), dissatisfied=True, now=CREATED)
    assert result.allowed
    assert "不满意" in result.reason


def test_no_reply_within_fifteen_days_allows_an_appeal_from_the_fifteenth_day_inclusive() -> None:
    assert APPEAL_WAIT_DAYS == 15
    assert not check(now=CREATED + FIFTEEN_DAYS - timedelta(seconds=1)).allowed
    on_time = check(now=CREATED + FIFTEEN_DAYS)
    assert on_time.allowed
    assert "超过15日未获答复" in on_time.reason


def test_a_late_reply_does_not_take_the_right_to_appeal_away() -> None:
    result = check(
        first_reply_at=CREATED + FIFTEEN_DAYS + timedelta(hours=1), now=CREATED + timedelta(days=20)
    )
    assert result.allowed


def test_a_timely_reply_without_dissatisfaction_is_no_ground_for_appeal() -> None:
    result = check(first_reply_at=CREATED + timedelta(days=1), now=CREATED + timedelta(days=40))
    assert not result.allowed
    assert "暂不符合申诉条件" in result.reason


def test_the_refusal_says_how_long_is_left() -> None:
    result = check(now=CREATED + timedelta(days=10, hours=1))
    assert not result.allowed
    assert "约5日" in result.reason


def test_naive_times_are_refused() -> None:
    with pytest.raises(ClockError):
        escalation.appeal_allowed(
            created_at=datetime(2025, 3, 1), first_reply_at=None, dissatisfied=False, now=CREATED
        )


@given(st.integers(0, 40 * 86400), st.booleans())
def test_without_a_reply_the_rule_is_exactly_fifteen_days_or_dissatisfaction(
    seconds: int, dissatisfied: bool
) -> None:
    now = CREATED + timedelta(seconds=seconds)
    expected = dissatisfied or seconds >= 15 * 86400
    assert check(dissatisfied=dissatisfied, now=now).allowed == expected


def test_escalation_goes_up_one_step_and_never_into_an_appeal() -> None:
    assert escalation.escalate(Level.ORDINARY) == Level.ESCALATED
    assert escalation.escalate(Level.ESCALATED) == Level.ESCALATED
    assert escalation.escalate(Level.APPEAL) == Level.APPEAL


def test_a_breach_escalates_an_ordinary_complaint_only() -> None:
    assert escalation.level_after_breach(Level.ORDINARY, True) == Level.ESCALATED
    assert escalation.level_after_breach(Level.ORDINARY, False) == Level.ORDINARY
    assert escalation.level_after_breach(Level.ESCALATED, True) == Level.ESCALATED
    assert escalation.level_after_breach(Level.APPEAL, True) == Level.APPEAL


def test_an_appeal_is_due_thirty_calendar_days_after_acceptance() -> None:
    assert escalation.APPEAL_BUDGET_SECONDS == 30 * 86400
    accepted = datetime(2025, 9, 30, 15, tzinfo=SHANGHAI)  # the National Day break counts
    assert escalation.appeal_deadline(accepted) == datetime(2025, 10, 30, 15, tzinfo=SHANGHAI)
    assert clocks.deadline(escalation.appeal_clock(accepted)) == escalation.appeal_deadline(
        accepted
    )


def test_every_level_has_a_chinese_name() -> None:
    assert set(escalation.LEVEL_NAMES_ZH) == set(Level)
