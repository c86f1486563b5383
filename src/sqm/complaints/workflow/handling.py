"""Working a complaint: transfers and assignment (the first-ask owner never changes), notes and
attachments, refunds under the money promises, the repeat owner, and revealing the phone."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sqm.complaints.access import can_view, can_write, sees, visible_work_orders
from sqm.complaints.core.categories import BILLING_ERROR, VAS_DISPUTE
from sqm.complaints.core.money import MoneyError, RefundKind, check_refund, may_reverse
from sqm.complaints.core.states import Status
from sqm.complaints.exchange.references import resolve_department
from sqm.complaints.models import Attachment, Note, Refund, Transfer, WorkOrder
from sqm.complaints.workflow.guard import (
    OBJECT,
    WorkflowError,
    commit,
    locked,
    moment,
    require_writer,
    required_text,
)
from sqm.org import audit as org_audit

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


def _open(work_order: WorkOrder) -> None:
    if not work_order.is_open:
        raise WorkflowError(_("已关闭或已撤销的工单不能再转派或分配"))


def _check_assignee(user: Requester, work_order: WorkOrder) -> None:
    """Work goes only to someone who may work on it and can see it where it now is."""
    if not can_write(user) or not sees(user, work_order):
        raise WorkflowError(_("%(user)s 无权处理该工单") % {"user": user.get_username()})


# -- transfers and assignment -----------------------------------------------------------------
@transaction.atomic
def transfer(
    actor: Person,
    number: str,
    *,
    to_department: Any = None,
    to_user: Any = None,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    """Move the work to another department and/or person. Without a person the work order
    waits unassigned in the department's queue. The first-ask owner stays."""
    why = required_text(reason, gettext_noop("请填写转派原因"))
    if to_department is None and to_user is None:
        raise WorkflowError(_("请选择转派的部门或处理人"))
    work_order = locked(actor, number, expected_version)
    _open(work_order)
    now = moment(at)
    department = (
        resolve_department(to_department, required=True)
        if to_department is not None
        else work_order.department
    )
    row = Transfer(
        work_order=work_order,
        from_department=work_order.department,
        to_department=department,
        from_user=work_order.assignee,
        to_user=to_user,
        at=now,
        actor=actor,
        reason=why,
    )
    work_order.department = department
    work_order.assignee = to_user
    if to_user is not None:
        _check_assignee(to_user, work_order)
    row.save()
    return commit(
        actor,
        work_order,
        "transfer",
        to_department=department.code if department else None,
        to_user=to_user.get_username() if to_user else None,
        reason=why,
    )


@transaction.atomic
def assign(
    actor: Person,
    number: str,
    assignee: Person,
    *,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    work_order = locked(actor, number, expected_version)
    _open(work_order)
    _check_assignee(assignee, work_order)
    _assign(actor, work_order, assignee, moment(at))
    return commit(actor, work_order, "assign", assignee=assignee.get_username())


def _assign(actor: Person, work_order: WorkOrder, assignee: Person, now: datetime) -> None:
    Transfer.objects.create(
        work_order=work_order,
        from_department=work_order.department,
        to_department=work_order.department,
        from_user=work_order.assignee,
        to_user=assignee,
        at=now,
        actor=actor,
        reason="分配",
    )
    work_order.assignee = assignee


@transaction.atomic
def bulk_assign(actor: Person, numbers: list[str], assignee: Person) -> int:
    """Assign every listed open work order the actor and the assignee can both see; returns
    how many were assigned (the rest are skipped). Rows are locked in id order, so two bulk
    assignments over overlapping lists cannot deadlock."""
    require_writer(actor)
    if not can_write(assignee):
        raise WorkflowError(
            _("%(assignee)s 无权处理投诉工单") % {"assignee": assignee.get_username()}
        )
    rows = list(
        visible_work_orders(actor)
        .select_for_update(of=("self",))
        .filter(number__in=list(numbers))
        .order_by("id")
    )
    allowed = set(
        visible_work_orders(assignee)
        .filter(pk__in=[r.pk for r in rows])
        .values_list("pk", flat=True)
    )
    now = moment(None)
    count = 0
    for work_order in rows:
        if not work_order.is_open or work_order.pk not in allowed:
            continue
        if work_order.assignee_id == assignee.pk:
            continue
        _assign(actor, work_order, assignee, now)
        commit(actor, work_order, "assign", assignee=assignee.get_username(), bulk=True)
        count += 1
    return count


@transaction.atomic
def set_repeat_owner(
    actor: Person,
    number: str,
    *,
    owner: Any,
    due: datetime,
    expected_version: int | None = None,
) -> WorkOrder:
    """Name who answers for a repeated problem and by when (重复投诉须有责任人和时限)."""
    work_order = locked(actor, number, expected_version)
    if not work_order.is_repeat:
        raise WorkflowError(_("该工单不是重复投诉"))
    _check_assignee(owner, work_order)
    work_order.repeat_owner = owner
    work_order.repeat_due = moment(due)
    return commit(
        actor, work_order, "repeat_owner", owner=owner.get_username(), due=due.isoformat()
    )


# -- notes and attachments --------------------------------------------------------------------
@transaction.atomic
def add_note(actor: Person, number: str, text: str, *, at: datetime | None = None) -> Note:
    body = required_text(text, gettext_noop("备注内容不能为空"))
    work_order = locked(actor, number)
    note = Note.objects.create(work_order=work_order, author=actor, at=moment(at), text=body)
    commit(actor, work_order, "note", note=note.pk)
    return note


@transaction.atomic
def add_attachment(
    actor: Person, number: str, *, name: str, mime_type: str = "", size: int = 0, url: str = ""
) -> Attachment:
    title = required_text(name, gettext_noop("附件名不能为空"))
    work_order = locked(actor, number)
    attachment = Attachment.objects.create(
        work_order=work_order,
        name=title[:255],
        mime_type=mime_type[:100],
        size=max(int(size), 0),
        url=url[:1000],
        added_by=actor,
    )
    commit(actor, work_order, "attachment", attachment=attachment.pk, name=title)
    return attachment


# -- money ------------------------------------------------------------------------------------
def _money(value: Any, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise WorkflowError(
            _("%(label)s不是有效金额：%(value)s") % {"label": label, "value": repr(value)}
        ) from None
    if not amount.is_finite() or amount < 0:
        raise WorkflowError(_("%(label)s必须是非负金额") % {"label": label})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def record_refund(
    actor: Person,
    number: str,
    *,
    kind: RefundKind | str,
    overcharge: Any,
    amount: Any,
    at: datetime | None = None,
) -> Refund:
    """A refund, checked against the promise before it is recorded:

    - billing error (收费误差): at least double the overcharge;
    - value-added-service dispute: the disputed charge, refunded *first* — recorded while the
      investigation is still open, never after the work order is resolved;
    - anything else: recorded as given.
    """
    try:
        chosen = RefundKind(kind)
    except ValueError:
        raise WorkflowError(_("未知的退费类型「%(kind)s」") % {"kind": kind}) from None
    over, paid = _money(overcharge, "多收金额"), _money(amount, "退费金额")
    if paid <= 0:
        raise WorkflowError(_("退费金额必须大于0"))
    work_order = locked(actor, number)
    if work_order.status == Status.CANCELLED.value:
        raise WorkflowError(_("已撤销的工单不能登记退费"))
    if chosen == RefundKind.DOUBLE_REFUND and work_order.category != BILLING_ERROR:
        raise WorkflowError(_("双倍返还只适用于收费误差类投诉"))
    if chosen == RefundKind.REFUND_FIRST:
        if work_order.category != VAS_DISPUTE:
            raise WorkflowError(_("先退费、后查证只适用于增值业务扣费争议"))
        if work_order.status in (Status.RESOLVED.value, Status.CLOSED.value):
            raise WorkflowError(_("先退费、后查证：退费须在查证完成（工单解决）之前登记"))
    try:
        check = check_refund(chosen, over, paid)
    except MoneyError as error:
        raise WorkflowError(str(error)) from None
    if not check.compliant:
        raise WorkflowError(check.reason)
    refund = Refund.objects.create(
        work_order=work_order,
        kind=chosen.value,
        overcharge=over,
        amount=paid,
        recorded_at=moment(at),
        actor=actor,
    )
    commit(
        actor,
        work_order,
        "refund",
        refund=refund.pk,
        kind=chosen.value,
        overcharge=str(over),
        amount=str(paid),
    )
    return refund


@transaction.atomic
def reverse_refund(actor: Person, refund_id: int, *, evidence: str) -> Refund:
    """Take a refund back: only with evidence (core.money.may_reverse)."""
    number = Refund.objects.values_list("work_order__number", flat=True).get(pk=refund_id)
    work_order = locked(actor, number)
    refund = Refund.objects.select_for_update().get(pk=refund_id)
    if refund.reversed_at is not None:
        raise WorkflowError(_("该退费已冲正"))
    if not may_reverse(RefundKind(refund.kind), evidence or ""):
        raise WorkflowError(_("冲正退费须附查证依据（如订购记录、签字确认单）"))
    refund.reversed_at = moment(None)
    refund.reversal_evidence = evidence.strip()
    refund.reversed_by = actor
    refund.save(update_fields=["reversed_at", "reversal_evidence", "reversed_by"])
    commit(
        actor, work_order, "refund_reversed", refund=refund.pk, evidence=refund.reversal_evidence
    )
    return refund


# -- phone ------------------------------------------------------------------------------------
def reveal_phone(actor: Person, number: str, reason: str) -> str:
    """The customer's full phone number for a permitted role, audited (sqm.org.audit): a
    refusal is logged as denied too, whether the role may not (PermissionDenied), the work
    order is out of the actor's scope (DoesNotExist), the reason is blank (WorkflowError) or
    the hourly limit is used up (org_audit.RevealLimitReached)."""
    if not can_view(actor):
        org_audit.reveal_denied(actor, OBJECT, number, reason, org_audit.DENIED_ROLE)
        raise PermissionDenied(_("你的角色不能查看完整号码"))
    work_order = visible_work_orders(actor).filter(number=number).first()
    if work_order is None:
        org_audit.reveal_denied(actor, OBJECT, number, reason, org_audit.DENIED_SCOPE)
        raise WorkOrder.DoesNotExist
    try:
        return org_audit.reveal_phone(
            actor, OBJECT, work_order.number, work_order.customer_phone, reason
        )
    except org_audit.RevealReasonMissing as error:
        raise WorkflowError(str(error)) from None
