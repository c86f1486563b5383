"""The demo's reviewing: a reviewer works through part of the flagged senders, as in a real
week — the riskiest confirmed (each suspension created by the confirming review), the least
risky rejected, one high-impact sender confirmed by two people, and one suspended owner's
appeal granted — so the spam pages and the monthly report show real figures. Everything
goes through ``services`` (the only code that changes a case)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqm.org.models import Channel
from sqm.spam import services
from sqm.spam.core.workflow import Decision, Status
from sqm.spam.models import Review, SenderCase

if TYPE_CHECKING:
    from sqm.lib.people import Person

CONFIRMED = 6
REJECTED = 3
APPEAL_CHANNEL = "hotline"


@dataclass(frozen=True, slots=True)
class SeededReviews:
    confirmed: int = 0
    rejected: int = 0
    suspended: int = 0
    appeals_granted: int = 0


def seed_reviews(reviewer: Person, second: Person) -> SeededReviews:
    """Review the demo's flagged cases (nothing when any case was reviewed already).
    ``second`` confirms a high-impact case after ``reviewer`` and decides the appeal, which
    the confirming reviewer may not."""
    if Review.objects.exists():
        return SeededReviews()
    flagged = SenderCase.objects.filter(status=Status.FLAGGED.value)
    ordinary = list(flagged.filter(high_impact=False).order_by("-risk", "id"))
    confirm = ordinary[:CONFIRMED]
    reject = ordinary[CONFIRMED:][-REJECTED:]
    for case in confirm:
        services.review_case(case.pk, reviewer, Decision.CONFIRM, "演示：人工核对短信内容，确认")
    for case in reject:
        services.review_case(case.pk, reviewer, Decision.REJECT, "演示：正常通知类短信，误报")
    confirmed = len(confirm)
    high = flagged.filter(high_impact=True).order_by("-risk", "id").first()
    if high is not None:
        services.review_case(high.pk, reviewer, Decision.CONFIRM, "演示：第一人确认")
        services.review_case(high.pk, second, Decision.CONFIRM, "演示：第二人复核确认")
        confirmed += 1
    granted = 0
    channel = Channel.objects.filter(code=APPEAL_CHANNEL).first() or Channel.objects.first()
    if confirm and channel is not None:
        appeal = services.file_appeal(
            confirm[-1].pk, reviewer, "客户来电：号码用于门店会员通知，非广告", channel.code
        )
        services.decide_appeal(appeal.pk, second, grant=True, note="演示：核实为会员通知，复机")
        granted = 1
    suspended = SenderCase.objects.filter(suspension__isnull=False).count()
    return SeededReviews(confirmed, len(reject), suspended, granted)
