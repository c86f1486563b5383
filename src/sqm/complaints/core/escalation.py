"""Escalation levels and the regulator's rules for appeals (申诉).

::

    ordinary ─► escalated (升级投诉) ─► appeal (申诉, handled with the regulator)

Escalation is internal: a breach or a supervisor moves an ordinary complaint up, and it never
comes down again. An appeal is the customer's right under MIIT's 《电信用户申诉处理办法》
(工业和信息化部令第35号, 2016), not a step we choose, so ``escalate`` never produces it:
第十条第(四)项 lets a customer appeal once they have complained to us and are dissatisfied
with the result, or we did not answer within 15 days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqm.complaints.core.calendar import CONTINUOUS
from sqm.complaints.core.clocks import Clock, ClockError, ClockKind
from sqm.lib.choices import gettext_noop

DAY = 86400


class Level(StrEnum):
    ORDINARY = "ordinary"
    ESCALATED = "escalated"
    APPEAL = "appeal"


LEVEL_NAMES_ZH: dict[Level, str] = {
    Level.ORDINARY: gettext_noop("普通投诉"),
    Level.ESCALATED: gettext_noop("升级投诉"),
    Level.APPEAL: gettext_noop("申诉"),
}

# 《电信用户申诉处理办法》第十条(四): the customer may appeal when the operator "未在15日内答复".
# Counted in calendar days (the rule says 日, not 工作日), from the moment of the complaint.
APPEAL_WAIT_DAYS = 15

# The same rule gives the appeal centre 30 days "自收到全部申诉材料之日起" to answer the
# customer (MIIT's published 申诉处理时限: 受理决定 within 5 working days, answer within 30
# days). Our own handling of an appeal must fit inside that window, so the appeal clock is 30
# calendar days on the continuous calendar from the day the appeal is accepted.
APPEAL_HANDLING_DAYS = 30
APPEAL_BUDGET_SECONDS = APPEAL_HANDLING_DAYS * DAY


@dataclass(frozen=True)
class AppealCheck:
    allowed: bool
    reason: str  # Chinese, shown to the handler as is


def appeal_allowed(
    *,
    created_at: datetime,
    first_reply_at: datetime | None,
    dissatisfied: bool,
    now: datetime,
) -> AppealCheck:
    """Whether the customer may appeal to the regulator now (第十条第(四)项).

    "No answer within 15 days" is met from ``created_at + 15 days`` inclusive, whether the
    answer never came or came late.
    """
    for name, moment in (("created_at", created_at), ("now", now)):
        if moment.tzinfo is None:
            raise ClockError(f"{name} must be timezone-aware: {moment}")
    limit = created_at + timedelta(days=APPEAL_WAIT_DAYS)
    if dissatisfied:
        return AppealCheck(True, "用户对投诉处理结果不满意，可依法向电信用户申诉受理机构申诉。")
    if first_reply_at is not None and first_reply_at > limit:
        return AppealCheck(True, f"投诉超过{APPEAL_WAIT_DAYS}日才获答复，用户可申诉。")
    if first_reply_at is None and now >= limit:
        return AppealCheck(True, f"投诉超过{APPEAL_WAIT_DAYS}日未获答复，用户可申诉。")
    if first_reply_at is not None:
        return AppealCheck(
            False, f"已在{APPEAL_WAIT_DAYS}日内答复且用户未表示不满意，暂不符合申诉条件。"
        )
    left = limit - now
    days_left = left.days + (1 if left.seconds or left.microseconds else 0)
    return AppealCheck(
        False,
        f"投诉尚未满{APPEAL_WAIT_DAYS}日且用户未表示不满意，暂不符合申诉条件"
        f"（距可申诉还有约{days_left}日）。",
    )


def escalate(level: Level) -> Level:
    """One step up inside the operator; an appeal stays an appeal, nothing goes into one."""
    return Level.ESCALATED if Level(level) == Level.ORDINARY else Level(level)


def level_after_breach(level: Level, breached: bool) -> Level:
    """A breached promise escalates an ordinary complaint; otherwise nothing changes."""
    return escalate(level) if breached else Level(level)


def appeal_deadline(accepted_at: datetime) -> datetime:
    """When our answer to an accepted appeal is due (30 calendar days)."""
    return accepted_at + timedelta(seconds=APPEAL_BUDGET_SECONDS)


def appeal_clock(accepted_at: datetime) -> Clock:
    return Clock(ClockKind.APPEAL, CONTINUOUS, accepted_at, APPEAL_BUDGET_SECONDS)
