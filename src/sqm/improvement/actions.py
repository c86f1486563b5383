"""The life of an action item: created (from a decision or by hand), worked on, evidenced,
done, verified or reopened, commented; the sweep that reminds and escalates.

Every change runs in one transaction, locks the item's row, checks ``expected_version`` when
given (ConcurrentEdit), bumps ``version`` and writes an attributed ``ActionEvent`` and the audit
log. Two people closing the same item: the second finds either a newer version
(ConcurrentEdit) or an item already verified (IllegalStep) — both a conflict (409), never a
silent double close.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints.services import working_calendar
from sqm.improvement import access, notices
from sqm.improvement.core.actions import (
    OWNER_STEPS,
    PENDING,
    ActionStatus,
    Binding,
    IllegalStep,
    Step,
    closure_gate,
    next_status,
)
from sqm.improvement.core.deadlines import ItemState, Level, Notice, Standing, standing, sweep_plan
from sqm.improvement.models import (
    ActionComment,
    ActionEvent,
    ActionItem,
    Decision,
    Evidence,
    Meeting,
)
from sqm.indicators import services as indicators
from sqm.org.audit import record
from sqm.org.models import Branch, Department
from sqm.org.scoping import scope_of
from sqm.tracing import services as tracing

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


OBJECT = "action_item"
MAX_FILE_BYTES = 10 * 1024 * 1024
_MONTH = re.compile(r"^\d{4}-\d{2}$")


class ImprovementError(ValueError):
    """A business rule the request breaks (400); the message is Chinese, for the person."""


class ConcurrentEdit(ImprovementError):
    """Someone changed the item since the caller read it (a conflict, 409)."""

    def __init__(self, item: ActionItem, expected: int) -> None:
        self.expected, self.actual = expected, item.version
        super().__init__(
            _(
                "督办事项 %(number)s 已被他人修改（当前版本 %(actual)s，"
                "你提交的是版本 %(expected)s），请刷新后重试"
            )
            % {"number": item.number, "actual": item.version, "expected": expected}
        )


def _event(item: ActionItem, user: Person, kind: str, note: str = "", **status: str) -> None:
    scope = scope_of(user)
    ActionEvent.objects.create(
        action=item,
        kind=kind,
        actor=user.get_username() if user is not None else "sqm",
        role=str(scope.role or ""),
        note=note,
        from_status=status.get("from_status", ""),
        to_status=status.get("to_status", ""),
    )


def _department(code: str | Department) -> Department:
    if isinstance(code, Department):
        return code
    try:
        return Department.objects.get(code=code)
    except Department.DoesNotExist:
        raise ImprovementError(_("没有代码为 %(code)s 的部门") % {"code": code}) from None


def _branch(code: str | Branch | None) -> Branch | None:
    if isinstance(code, Branch):
        return code
    if not code:
        return None
    try:
        return Branch.objects.get(code=code)
    except Branch.DoesNotExist:
        raise ImprovementError(_("没有代码为 %(code)s 的分公司") % {"code": code}) from None


def create_action(
    user: Person,
    *,
    title: str,
    owner_department: str | Department,
    deadline: date,
    owner: Any = None,
    expected_result: str = "",
    branch: str | Branch | None = None,
    indicator: str = "",
    target: float | None = None,
    case_number: str = "",
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    today: date | None = None,
) -> ActionItem:
    """A new item, its owner told. Refuses (ImprovementError) an empty title, a deadline in the
    past, an unknown indicator, a binding without a target, a case the user cannot see."""
    if not access.can_create(user):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ImprovementError(_("请填写督办事项"))
    if deadline < (today or timezone.localdate()):
        raise ImprovementError(_("完成时限不能早于今天"))
    indicator = indicator.strip()
    if indicator:
        try:
            entry = indicators.indicator(indicator)
        except KeyError:
            raise ImprovementError(_("指标库中没有指标 %(id)s") % {"id": indicator}) from None
        if entry.direction == "neutral":
            raise ImprovementError(_("指标 %(id)s 没有好坏方向，不能绑定目标") % {"id": indicator})
        if target is None:
            raise ImprovementError(_("绑定指标时须填写目标值"))
    elif target is not None:
        raise ImprovementError(_("填写目标值时须选择绑定指标"))
    case_number = case_number.strip()
    if case_number:
        try:
            tracing.get_case(user, case_number)
        except ObjectDoesNotExist:
            raise ImprovementError(_("没有可见的溯源单 %(n)s") % {"n": case_number}) from None
    with transaction.atomic():
        item = ActionItem.objects.create(
            title=title,
            expected_result=expected_result.strip(),
            owner_department=_department(owner_department),
            owner=owner,
            branch=_branch(branch),
            deadline=deadline,
            indicator=indicator,
            target=target,
            case_number=case_number,
            meeting=meeting,
            decision=decision,
            created_by=user if getattr(user, "pk", None) else None,
        )
        _event(item, user, "created", to_status=item.status)
        record(user, "improvement.create", OBJECT, item.pk, title=title)
        notices.tell(item, "assignment")
    return item


def locked(user: Person, pk: int, expected_version: int | None = None) -> ActionItem:
    """The item, row-locked for this transaction, if the user may see it (DoesNotExist
    otherwise); ConcurrentEdit on a stale version."""
    item = (
        access.visible_actions(user)
        # Lock the item's row only: the joined branch and owner may be null (outer joins).
        .select_for_update(of=("self",))
        .select_related("owner_department", "branch", "owner")
        .get(pk=pk)
    )
    if expected_version is not None and item.version != expected_version:
        raise ConcurrentEdit(item, expected_version)
    return item


def binding_of(item: ActionItem) -> Binding | None:
    if not item.indicator or item.target is None:
        return None
    entry = indicators.indicator(item.indicator)
    branch = item.branch.code if item.branch else None
    return Binding(item.indicator, branch, item.target, entry.direction)


def latest_value(user: Requester, indicator: str, branch: str | None) -> tuple[str, float | None]:
    """The indicator's newest monthly figure in ``branch`` (None: the province) and its month."""
    for period in indicators.periods():
        if not _MONTH.match(period):
            continue
        if branch is not None:
            value = indicators.all_branch_values(period, indicator).get(branch)
        else:
            value = (
                indicators.results_of(user, period, (), indicator=indicator, operator="us")
                .values_list("value", flat=True)
                .first()
            )
        if value is not None:
            return period, value
    return "", None


def take_step(
    user: Person,
    pk: int,
    step: Step | str,
    *,
    expected_version: int | None = None,
    reason: str = "",
    override_reason: str = "",
    now: datetime | None = None,
) -> ActionItem:
    """Move the item one step along its lifecycle (``core.actions``)."""
    step = Step(step)
    now = now or timezone.now()
    with transaction.atomic():
        item = locked(user, pk, expected_version)
        allowed = (
            access.may_work(user, item) if step in OWNER_STEPS else access.may_verify(user, item)
        )
        if not allowed:
            raise PermissionDenied
        before = ActionStatus(item.status)
        after = next_status(before, step, evidence_count=item.evidence.count(), reason=reason)
        note = reason.strip()
        if step == Step.VERIFY:
            binding = binding_of(item)
            latest = None
            if binding is not None:
                _, latest = latest_value(user, binding.indicator, binding.branch)
            gate = closure_gate(binding, latest, override_reason)
            if not gate.passes:
                raise IllegalStep(gate.message_zh, "the bound indicator has not met its target")
            if gate.overridden:
                item.override_reason = override_reason.strip()
                note = f"强制关闭：{item.override_reason}"
            item.verified_at, item.verified_by = now, user
        if step == Step.COMPLETE:
            item.done_at = now
        if step == Step.REOPEN:
            item.done_at = None
        item.status = after
        item.version += 1
        item.save()
        _event(item, user, "step", note, from_status=before, to_status=after)
        record(user, f"improvement.{step}", OBJECT, item.pk, version=item.version, note=note)
        if step == Step.VERIFY:
            notices.tell(item, "verified")
    return item


def add_comment(user: Person, pk: int, text: str) -> ActionComment:
    """Anyone who may see the item may comment on it (a comment changes nothing else)."""
    text = text.strip()
    if not text:
        raise ImprovementError(_("评论内容不能为空"))
    if scope_of(user).read_only:
        raise PermissionDenied
    with transaction.atomic():
        item = locked(user, pk)
        comment = ActionComment.objects.create(
            action=item, author=user, author_name=user.get_username(), text=text
        )
        _event(item, user, "comment", text[:200])
    return comment


@dataclass(frozen=True)
class Upload:
    name: str
    content: bytes
    mime_type: str = "application/octet-stream"


def add_evidence(
    user: Person,
    pk: int,
    *,
    note: str = "",
    url: str = "",
    upload: Upload | None = None,
    expected_version: int | None = None,
) -> Evidence:
    """A note, a link or a file (one of them) proving the work; bumps the version, so a
    verifier looking at an older page is told that new evidence arrived."""
    note, url = note.strip(), url.strip()
    if not (note or url or upload is not None):
        raise ImprovementError(_("请填写说明、链接或上传文件"))
    if url and upload is not None:
        raise ImprovementError(_("一项佐证只能是一个链接或一个文件，请分开提交"))
    if url and not url.startswith(("http://", "https://")):
        raise ImprovementError(_("链接须以 http:// 或 https:// 开头"))
    if upload is not None and len(upload.content) > MAX_FILE_BYTES:
        raise ImprovementError(_("文件不能超过 10 MB"))
    if upload is not None and not upload.content:
        raise ImprovementError(_("上传的文件是空的"))
    with transaction.atomic():
        item = locked(user, pk, expected_version)
        if not access.may_work(user, item):
            raise PermissionDenied
        if ActionStatus(item.status) == ActionStatus.VERIFIED:
            raise IllegalStep("已验证关闭的事项不能再添加佐证", "the item is verified")
        kind = "file" if upload is not None else "link" if url else "note"
        evidence = Evidence.objects.create(
            action=item,
            kind=kind,
            note=note,
            url=url,
            file_name=upload.name[:255] if upload else "",
            mime_type=upload.mime_type[:100] if upload else "",
            content=upload.content if upload else b"",
            size=len(upload.content) if upload else 0,
            added_by=user,
            added_by_name=user.get_username(),
        )
        item.version += 1
        item.save(update_fields=["version"])
        _event(item, user, "evidence", note or url or (upload.name if upload else ""))
    return evidence


@dataclass
class SweepReport:
    reminded: int = 0
    overdue: int = 0
    escalated: int = 0
    told: int = 0
    items: list[int] = field(default_factory=list)


def sweep(now: datetime | None = None) -> SweepReport:
    """Remind items falling due, notify overdue ones and escalate them a level, each once.

    Each step claims its flag with a conditional UPDATE before telling anyone, so two sweeps
    running at once (or a sweep every minute) send every notice once."""
    now = now or timezone.now()
    report = SweepReport()
    pending = ActionItem.objects.filter(status__in=[s.value for s in PENDING]).select_related(
        "owner_department", "branch", "owner"
    )
    states = [
        (
            ItemState(
                key=item.pk,
                status=ActionStatus(item.status),
                deadline=item.deadline,
                level=Level(item.level),
                reminded=item.reminded,
                overdue_notified=item.overdue_notified,
            ),
            working_calendar(item.branch_id),
        )
        for item in pending
    ]
    items = {item.pk: item for item in pending}
    for step in sweep_plan(states, now):
        rows = ActionItem.objects.filter(pk=step.key)
        with transaction.atomic():
            if step.notice == Notice.DUE_SOON:
                claimed = rows.filter(reminded=False).update(reminded=True)
                kind, level = "reminded", None
            elif step.notice == Notice.OVERDUE:
                claimed = rows.filter(overdue_notified=False).update(overdue_notified=True)
                kind, level = "overdue", None
            else:
                claimed = rows.filter(level__lt=int(step.level)).update(
                    level=int(step.level), version=F("version") + 1
                )
                kind, level = "escalated", step.level
            if not claimed:
                continue
            item = items[step.key]
            item.level = int(step.level)
            ActionEvent.objects.create(
                action=item, kind=kind, actor="sqm", note=str(step.level.name.lower())
            )
            notice_kind = {"reminded": "due_soon", "overdue": "overdue"}.get(kind, "escalated")
            report.told += notices.tell(item, notice_kind, level=level)
        if kind == "reminded":
            report.reminded += 1
        elif kind == "overdue":
            report.overdue += 1
        else:
            report.escalated += 1
        report.items.append(step.key)
    return report


def standing_of(item: ActionItem, now: datetime | None = None) -> Standing:
    """Where the item stands against its deadline on its branch's working calendar."""
    return standing(
        working_calendar(item.branch_id), item.deadline, item.status, now or timezone.now()
    )
