"""The life of a spam case, and the rule that no number is suspended without people deciding it.

::

    flagged ─► under_review ─► confirmed ─► suspended ─► appealed ─► restored
                    │                                        └──────► upheld
                    └────────► rejected

- The model only flags. A reviewer's confirmation is the one way to ``confirmed``; a
  high-impact case (a group or VIP customer's number, an enterprise 106 port) needs two
  *distinct* reviewers when the four-eyes option is on. One rejection closes the case: when
  people disagree, the number keeps its service.
- ``suspend`` is the only function that produces a suspension order, and it checks the
  confirmations itself (``ConfirmationRequired``) instead of trusting the status it is given.
- The action is to stop the number's service, not only its SMS function (R7.2, VP speech 2010).
- The owner may appeal a suspension; a second review by someone who did not confirm the case
  either restores the service (the block was wrong) or upholds it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sqm.org.core.masking import mask_phone


class Status(StrEnum):
    FLAGGED = "flagged"
    UNDER_REVIEW = "under_review"
    CONFIRMED = "confirmed"
    SUSPENDED = "suspended"
    APPEALED = "appealed"
    RESTORED = "restored"
    UPHELD = "upheld"
    REJECTED = "rejected"


class Decision(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"


TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.FLAGGED: frozenset({Status.UNDER_REVIEW}),
    Status.UNDER_REVIEW: frozenset({Status.UNDER_REVIEW, Status.CONFIRMED, Status.REJECTED}),
    Status.CONFIRMED: frozenset({Status.SUSPENDED}),
    Status.SUSPENDED: frozenset({Status.APPEALED}),
    Status.APPEALED: frozenset({Status.RESTORED, Status.UPHELD}),
    Status.RESTORED: frozenset(),
    Status.UPHELD: frozenset(),
    Status.REJECTED: frozenset(),
}
AWAITING_REVIEW = frozenset({Status.FLAGGED, Status.UNDER_REVIEW})
OPEN = frozenset({Status.FLAGGED, Status.UNDER_REVIEW, Status.CONFIRMED})
# Tiers whose wrongful suspension hurts most: group customers and VIPs (org reference codes).
HIGH_IMPACT_TIERS = frozenset({"group", "diamond", "gold", "silver"})
ENTERPRISE_PORT_PREFIX = "106"  # 106xxxx numbers are enterprises' SMS ports


class IllegalTransition(ValueError):
    """The case cannot move from its status to the one asked for."""


class ConfirmationRequired(IllegalTransition):
    """A suspension was asked for without the reviewers' confirmations it needs."""


class ReviewerConflict(IllegalTransition):
    """The same person may not count twice, nor review an appeal against their own decision."""


@dataclass(frozen=True, slots=True)
class Review:
    reviewer: str
    decision: Decision


@dataclass(frozen=True, slots=True)
class Case:
    status: Status
    high_impact: bool = False
    four_eyes: bool = True
    reviews: tuple[Review, ...] = ()

    @property
    def required_confirmations(self) -> int:
        return 2 if self.high_impact and self.four_eyes else 1

    @property
    def confirmers(self) -> tuple[str, ...]:
        seen: list[str] = []
        for review in self.reviews:
            if review.decision == Decision.CONFIRM and review.reviewer not in seen:
                seen.append(review.reviewer)
        return tuple(seen)

    @property
    def confirmations_missing(self) -> int:
        return max(0, self.required_confirmations - len(self.confirmers))


@dataclass(frozen=True, slots=True)
class SuspensionOrder:
    """What the operator's provisioning system executes: stop the whole service of ``number``."""

    number: str
    action: str
    confirmed_by: tuple[str, ...]
    notification: str


SUSPEND_SERVICE = "suspend_service"
RESTORE_SERVICE = "restore_service"


def move(case: Case, target: Status) -> Case:
    if target not in TRANSITIONS[case.status]:
        raise IllegalTransition(f"a case that is {case.status} cannot become {target}")
    return replace(case, status=target)


def start_review(case: Case) -> Case:
    return case if case.status == Status.UNDER_REVIEW else move(case, Status.UNDER_REVIEW)


def decide(case: Case, reviewer: str, decision: Decision) -> Case:
    """Record one reviewer's decision; the case is confirmed once enough distinct reviewers
    confirm, and rejected by any rejection."""
    if case.status not in AWAITING_REVIEW:
        raise IllegalTransition(f"a case that is {case.status} takes no review")
    if any(r.reviewer == reviewer for r in case.reviews):
        raise ReviewerConflict("this reviewer has already decided this case")
    case = start_review(case)
    case = replace(case, reviews=(*case.reviews, Review(reviewer, decision)))
    if decision == Decision.REJECT:
        return move(case, Status.REJECTED)
    if case.confirmations_missing:
        return move(case, Status.UNDER_REVIEW)
    return move(case, Status.CONFIRMED)


def suspend(case: Case, number: str, at: datetime) -> tuple[Case, SuspensionOrder]:
    """The suspension order of a confirmed case. Raises ConfirmationRequired unless the case
    carries every confirmation it needs — whatever its status claims."""
    if case.confirmations_missing or not case.confirmers:
        raise ConfirmationRequired(
            f"suspension needs {case.required_confirmations} reviewer confirmation(s), "
            f"the case has {len(case.confirmers)}"
        )
    if any(r.decision == Decision.REJECT for r in case.reviews):
        raise ConfirmationRequired("a reviewer rejected this case")
    moved = move(case, Status.SUSPENDED)
    order = SuspensionOrder(number, SUSPEND_SERVICE, case.confirmers, notification_text(number, at))
    return moved, order


def appeal(case: Case) -> Case:
    return move(case, Status.APPEALED)


def decide_appeal(case: Case, reviewer: str, grant: bool) -> Case:
    """Second review of an appeal: ``grant`` restores the service (the block was wrong)."""
    if case.status != Status.APPEALED:
        raise IllegalTransition(f"a case that is {case.status} has no appeal to decide")
    if reviewer in case.confirmers:
        raise ReviewerConflict("an appeal is reviewed by someone who did not confirm the case")
    return move(case, Status.RESTORED if grant else Status.UPHELD)


def impact_reason(number: str, tier: str | None) -> str:
    """Why suspending ``number`` would hurt most (empty when it would not): an enterprise port,
    or the number of a group or VIP customer."""
    if number.startswith(ENTERPRISE_PORT_PREFIX):
        return "enterprise_port"
    if tier in HIGH_IMPACT_TIERS:
        return f"tier:{tier}"
    return ""


def is_high_impact(number: str, tier: str | None) -> bool:
    return bool(impact_reason(number, tier))


def notification_text(number: str, at: datetime) -> str:
    """The SMS/letter to the number's owner (Chinese, as the operator sends it)."""
    return (
        f"尊敬的客户:您的号码{mask_phone(number)}被发现发送违法违规广告短信,"
        f"经人工审核确认,依据入网协议已于{at:%Y年%m月%d日 %H:%M}暂停服务。"
        "如有异议,请在30日内拨打10086或到营业厅提出申诉,我们将另行复核。"
    )


def restore_text(number: str, at: datetime) -> str:
    return (
        f"尊敬的客户:经复核,您的号码{mask_phone(number)}已于{at:%Y年%m月%d日 %H:%M}恢复服务。"
        "给您带来的不便,我们深表歉意。"
    )
