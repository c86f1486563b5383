"""The only code that changes a spam case: opening, reviewing, suspending, appeals, restoring.

Each function locks the case row (``select_for_update``: two reviewers deciding at once are
served one after the other, and the second sees the first's review), asks the core workflow
whether the step is allowed, writes the rows and an audit entry, all in one transaction.
Pages and the API call these functions; none of them offers a way to suspend a number other
than a reviewer's confirming review.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from sqm.org.audit import record
from sqm.org.models import Branch, Channel
from sqm.spam.access import can_decide, visible_cases
from sqm.spam.access import can_view as can_view
from sqm.spam.access import visible_appeals as visible_appeals
from sqm.spam.core import workflow
from sqm.spam.core.sender import SenderRisk
from sqm.spam.core.workflow import Decision, Status
from sqm.spam.models import ACTIVE_STATUSES, Appeal, ModelVersion, Review, SenderCase, Suspension

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


OBJECT = "spam_case"


def four_eyes_enabled() -> bool:
    """High-impact cases need two reviewers unless ``SQM_SPAM_FOUR_EYES = False``."""
    return bool(getattr(settings, "SQM_SPAM_FOUR_EYES", True))


def core_case(case: SenderCase) -> workflow.Case:
    reviews = tuple(
        workflow.Review(str(r.reviewer_id), Decision(r.decision))
        for r in case.reviews.order_by("at", "id")
    )
    return workflow.Case(Status(case.status), case.high_impact, case.four_eyes, reviews)


def _locked_case(user: Person, case_id: int) -> SenderCase:
    if not can_decide(user):
        raise PermissionDenied("只有垃圾短信审核员和系统管理员可以审核")
    return visible_cases(user).select_for_update(of=("self",)).get(pk=case_id)


@transaction.atomic
def review_case(case_id: int, user: Person, decision: Decision | str, note: str = "") -> SenderCase:
    """One reviewer's decision. When it completes the confirmations the case needs, the
    suspension order is created in the same transaction: confirmation is the authorisation."""
    decision = Decision(decision)
    case = _locked_case(user, case_id)
    after = workflow.decide(core_case(case), str(user.pk), decision)
    now = timezone.now()
    review = Review.objects.create(
        case=case,
        reviewer=user,
        decision=decision.value,
        note=note.strip(),
        at=now,
        model_version_id=case.model_version_id,
    )
    record(
        user,
        "spam.review",
        OBJECT,
        case.pk,
        decision=decision.value,
        status=after.status.value,
        confirmations=len(after.confirmers),
        required=after.required_confirmations,
    )
    if after.status in (Status.CONFIRMED, Status.REJECTED):
        case.decided_at = now
    if after.status == Status.CONFIRMED:
        after = _suspend(case, after, review, user, now)
    case.status = after.status.value
    case.save(update_fields=["status", "decided_at", "updated_at"])
    return case


def _suspend(
    case: SenderCase, state: workflow.Case, review: Review, user: Requester, now: datetime
) -> workflow.Case:
    after, order = workflow.suspend(state, case.sender, timezone.localtime(now))
    names = dict(
        get_user_model()
        .objects.filter(pk__in=[int(p) for p in order.confirmed_by])
        .values_list("pk", "username")
    )
    suspension = Suspension.objects.create(
        case=case,
        number=order.number,
        action=order.action,
        confirmation=review,
        confirmed_by=[names.get(int(p), p) for p in order.confirmed_by],
        executed_at=now,
        notification_text=order.notification,
    )
    record(
        user,
        "spam.suspend",
        OBJECT,
        case.pk,
        suspension=suspension.pk,
        order=order.action,
        confirmed_by=suspension.confirmed_by,
    )
    return after


@transaction.atomic
def file_appeal(case_id: int, user: Person, reason: str, channel: str) -> Appeal:
    """The number's owner appeals (recorded by a reviewer on the owner's behalf)."""
    case = _locked_case(user, case_id)
    if not reason.strip():
        raise ValueError("申诉理由不能为空")
    if not Channel.objects.filter(code=channel).exists():
        raise ValueError(f"未知的申诉渠道 {channel!r}")
    after = workflow.appeal(core_case(case))
    appeal = Appeal.objects.create(
        case=case,
        suspension=case.suspension,
        channel=channel,
        reason=reason.strip(),
        recorded_by=user,
    )
    case.status = after.status.value
    case.save(update_fields=["status", "updated_at"])
    record(user, "spam.appeal", OBJECT, case.pk, appeal=appeal.pk, channel=channel)
    return appeal


@transaction.atomic
def decide_appeal(appeal_id: int, user: Person, grant: bool, note: str = "") -> Appeal:
    """Second review: ``grant`` restores the number's service (the block was wrong)."""
    case_id = Appeal.objects.values_list("case_id", flat=True).get(pk=appeal_id)
    case = _locked_case(user, case_id)
    after = workflow.decide_appeal(core_case(case), str(user.pk), grant)
    now = timezone.now()
    appeal = Appeal.objects.select_for_update().get(pk=appeal_id)
    appeal.outcome = "granted" if grant else "dismissed"
    appeal.decided_by = user
    appeal.decided_at = now
    appeal.note = note.strip()
    appeal.save()
    if grant:
        suspension = case.suspension
        suspension.restored_at = now
        suspension.restore_notification_text = workflow.restore_text(
            case.sender, timezone.localtime(now)
        )
        suspension.save(update_fields=["restored_at", "restore_notification_text"])
        record(
            user,
            "spam.restore",
            OBJECT,
            case.pk,
            suspension=suspension.pk,
            order=workflow.RESTORE_SERVICE,
        )
    case.status = after.status.value
    case.save(update_fields=["status", "updated_at"])
    record(user, "spam.appeal_decided", OBJECT, case.pk, appeal=appeal.pk, outcome=appeal.outcome)
    return appeal


# -- opening cases -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class FlagResult:
    opened: list[int]
    already_active: int  # flagged senders that have a case being reviewed or a number off
    not_new: int  # flagged senders rejected or restored before, with no message since
    below_threshold: int


def open_cases(
    risks: list[SenderRisk],
    version: ModelVersion,
    evidence: dict[str, dict[str, Any]],
    *,
    tiers: dict[str, str] | None = None,
    last_seen: dict[str, datetime] | None = None,
    window: tuple[datetime | None, datetime | None] = (None, None),
) -> FlagResult:
    """A case per flagged sender that has no active case. A sender rejected (or restored)
    before is flagged again only on messages newer than that decision."""
    tiers = tiers or {}
    last_seen = last_seen or {}
    flagged = [r for r in risks if r.flagged]
    senders = [r.sender for r in flagged]
    active = set(
        SenderCase.objects.filter(sender__in=senders, status__in=ACTIVE_STATUSES).values_list(
            "sender", flat=True
        )
    )
    released: dict[str, datetime] = {}
    for sender, decided in SenderCase.objects.filter(
        sender__in=senders, status__in=(Status.REJECTED.value, Status.RESTORED.value)
    ).values_list("sender", "updated_at"):
        released[sender] = max(decided, released.get(sender, decided))
    branches = {b.code: b for b in Branch.objects.all()}
    opened: list[int] = []
    not_new = 0
    four_eyes = four_eyes_enabled()
    for risk in flagged:
        if risk.sender in active:
            continue
        seen = last_seen.get(risk.sender)
        if risk.sender in released and (seen is None or seen <= released[risk.sender]):
            not_new += 1
            continue
        reason = workflow.impact_reason(risk.sender, tiers.get(risk.sender))
        high = bool(reason)
        with transaction.atomic():
            case = SenderCase.objects.create(
                sender=risk.sender,
                branch=branches.get(risk.branch or ""),
                risk=risk.risk,
                text_probability=risk.behaviour.text,
                high_impact=high,
                impact_reason=reason,
                four_eyes=four_eyes,
                evidence=evidence.get(risk.sender, {}),
                model_version=version,
                window_start=window[0],
                window_end=window[1],
            )
            record(
                None,
                "spam.flag",
                OBJECT,
                case.pk,
                risk=round(risk.risk, 4),
                model_version=version.version,
                high_impact=high,
            )
        opened.append(case.pk)
    return FlagResult(
        opened=opened,
        already_active=len(active),
        not_new=not_new,
        below_threshold=len(risks) - len(flagged),
    )
