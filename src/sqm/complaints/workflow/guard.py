"""What every write shares: the errors, the permission check, the row lock with its version
check, the version bump and the audit entry."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.complaints.access import can_write, visible_work_orders
from sqm.complaints.models import WorkOrder
from sqm.org.audit import record

if TYPE_CHECKING:
    from sqm.lib.people import Person


OBJECT = "work_order"


class WorkflowError(Exception):
    """A business rule refused the request (appeal not allowed, refund short, …). The message
    is Chinese and meant for the person who asked."""


class StepRefused(WorkflowError):
    """The work order's state forbids the step now (cancelled, already escalated, not yet
    appealable): a state conflict (409, ``sqm.lib.refusals``), not bad input."""


class DuplicateExternalId(WorkflowError):
    """Another work order already carries this external id (TMF ``externalId``)."""

    def __init__(self, external_id: str, number: str) -> None:
        self.external_id = external_id
        self.number = number
        super().__init__(
            _("外部单号 %(external_id)s 已登记为工单 %(number)s")
            % {"external_id": external_id, "number": number}
        )


class ConcurrentEdit(Exception):
    """Someone changed the work order since the caller read it (``expected_version``)."""

    def __init__(self, number: str, expected: int, actual: int) -> None:
        self.number = number
        self.expected = expected
        self.actual = actual
        super().__init__(
            _(
                "工单 %(number)s 已被他人修改（当前版本 %(actual)s，"
                "你提交的是版本 %(expected)s），请刷新后重试"
            )
            % {"number": number, "actual": actual, "expected": expected}
        )


def require_writer(actor: Person) -> None:
    if not can_write(actor):
        raise PermissionDenied(_("你的角色只能查看投诉工单，不能修改"))


def locked(actor: Person, number: str, expected_version: int | None = None) -> WorkOrder:
    """The work order, row-locked until the transaction ends; DoesNotExist when the actor
    cannot see it, PermissionDenied for read-only roles, ConcurrentEdit on a stale version."""
    require_writer(actor)
    work_order = visible_work_orders(actor).select_for_update(of=("self",)).get(number=number)
    if expected_version is not None and work_order.version != expected_version:
        raise ConcurrentEdit(number, expected_version, work_order.version)
    return work_order


def commit(actor: Person, work_order: WorkOrder, event: str, **detail: Any) -> WorkOrder:
    """Bump the version, save the locked row, write the audit entry."""
    work_order.version += 1
    work_order.save()
    audit(actor, event, work_order, version=work_order.version, **detail)
    return work_order


def audit(actor: Person, event: str, work_order: WorkOrder, **detail: Any) -> None:
    record(actor, f"complaints.{event}", OBJECT, work_order.number, **detail)


def moment(at: datetime | None) -> datetime:
    """``at`` (for imports and tests) or now; always aware."""
    if at is None:
        return timezone.now()
    if timezone.is_naive(at):
        raise WorkflowError(_("时间必须带时区"))
    return at


def required_text(value: str | None, message: str) -> str:
    """``value`` stripped; WorkflowError(``message``, translated) when it is empty. Callers
    mark the message with gettext_noop: it is translated only when it is shown."""
    cleaned = (value or "").strip()
    if not cleaned:
        raise WorkflowError(_(message))
    return cleaned
