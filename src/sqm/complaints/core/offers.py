"""Which steps a work order offers now: the one rule the page's buttons and the service's own
checks share, so the page never offers a step the service then refuses (before this module the
page offered an appeal whenever the level allowed it, without the regulator's 15-day rule).

Django-free: it takes the facts of a work order, not the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqm.complaints.core.escalation import AppealCheck, Level, appeal_allowed
from sqm.complaints.core.states import Action, Status, allowed_actions, is_open

# A satisfaction of 1–5 at or below this is a dissatisfied customer (reopen, may appeal).
DISSATISFIED_AT_MOST = 2
# Closing goes through the return-visit form (confirmation or documented attempts), never a
# plain step.
CLOSURE_ACTIONS = frozenset({Action.CONFIRM, Action.CLOSE_UNREACHABLE})


class Refused(StrEnum):
    """Why a level change is refused; the service words each one for the person."""

    NOT_OPEN = "not_open"  # escalation of a closed or cancelled work order
    ALREADY_ESCALATED = "already_escalated"
    CANCELLED = "cancelled"  # appeal of a cancelled work order
    ALREADY_APPEAL = "already_appeal"
    NOT_YET = "not_yet"  # the regulator's rule does not allow the appeal (yet)


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one work order."""

    status: Status
    level: Level
    created_at: datetime
    first_reply_at: datetime | None
    satisfaction: int | None
    is_repeat: bool = False


@dataclass(frozen=True)
class Offers:
    """What the page offers a person who may write (nothing for one who may not)."""

    steps: tuple[Action, ...] = ()
    close: bool = False
    escalate: bool = False
    appeal: bool = False
    route: bool = False
    refund: bool = False
    name_repeat_owner: bool = False


def is_dissatisfied(satisfaction: int | None) -> bool:
    return satisfaction is not None and satisfaction <= DISSATISFIED_AT_MOST


def escalation_refused(facts: Facts) -> Refused | None:
    """Ordinary → escalated only, and only while the work order is open."""
    if not is_open(facts.status):
        return Refused.NOT_OPEN
    if facts.level != Level.ORDINARY:
        return Refused.ALREADY_ESCALATED
    return None


def appeal_refused(
    facts: Facts, now: datetime, dissatisfied: bool | None = None
) -> tuple[Refused | None, AppealCheck | None]:
    """Whether the customer may appeal now; the regulator's check (with its reason) when it
    was asked. ``dissatisfied`` defaults to the recorded satisfaction."""
    if facts.status == Status.CANCELLED:
        return Refused.CANCELLED, None
    if facts.level == Level.APPEAL:
        return Refused.ALREADY_APPEAL, None
    if dissatisfied is None:
        dissatisfied = is_dissatisfied(facts.satisfaction)
    check = appeal_allowed(
        created_at=facts.created_at,
        first_reply_at=facts.first_reply_at,
        dissatisfied=dissatisfied,
        now=now,
    )
    return (None if check.allowed else Refused.NOT_YET), check


def offers(facts: Facts, *, may_write: bool, now: datetime) -> Offers:
    """The steps, forms and buttons to offer: the same rules the service applies."""
    if not may_write:
        return Offers()
    open_ = is_open(facts.status)
    return Offers(
        steps=tuple(a for a in allowed_actions(facts.status) if a not in CLOSURE_ACTIONS),
        close=facts.status == Status.RESOLVED,
        escalate=escalation_refused(facts) is None,
        appeal=appeal_refused(facts, now)[0] is None,
        route=open_,
        refund=facts.status != Status.CANCELLED,
        name_repeat_owner=open_ and facts.is_repeat,
    )
