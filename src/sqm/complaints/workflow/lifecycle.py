"""Intake and the life of a work order: create, status transitions, closure with the
customer's confirmation, escalation and appeals.

Every write locks the row (``guard.locked``), asks the core whether the step is allowed,
records the step (StatusChange / LevelChange), bumps ``version`` and writes the audit entry,
in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sqm.complaints.access import can_write
from sqm.complaints.core.calendar import working_seconds_between
from sqm.complaints.core.categories import IntakeChannel, Severity, UnknownCategory
from sqm.complaints.core.categories import category as category_of
from sqm.complaints.core.escalation import Level, appeal_deadline
from sqm.complaints.core.escalation import escalate as escalate_level
from sqm.complaints.core.offers import (
    Facts,
    Offers,
    Refused,
    appeal_refused,
    escalation_refused,
    is_dissatisfied,
    offers,
)
from sqm.complaints.core.repeats import PriorComplaint, find_repeats, repeat_key_window
from sqm.complaints.core.states import Action, Status, next_status
from sqm.complaints.exchange.references import (
    resolve_branch,
    resolve_department,
    resolve_hall,
    resolve_tier,
)
from sqm.complaints.models import LevelChange, NumberSequence, StatusChange, WorkOrder
from sqm.complaints.workdays import calendars
from sqm.complaints.workflow.guard import (
    DuplicateExternalId,
    StepRefused,
    WorkflowError,
    audit,
    commit,
    locked,
    moment,
    require_writer,
    required_text,
)
from sqm.org.numbering import next_in_sequence
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Person


# Satisfaction 1–5; at or below this the customer is dissatisfied and the work order reopens.
MAX_PER_DAY = 999_999
# A created_at this far ahead of the server clock is a mistake, not a clock skew.
FUTURE_TOLERANCE = timedelta(minutes=5)
# The actions that put us in touch with the customer: the first one is the first reply.
CONTACT_ACTIONS = frozenset({Action.ACKNOWLEDGE, Action.WAIT_CUSTOMER, Action.RESOLVE})


# -- intake -----------------------------------------------------------------------------------
def next_number(created_at: datetime) -> str:
    """``TT`` + local date + the day's 6-digit sequence (``sqm.org.numbering``)."""
    day = timezone.localdate(created_at)
    last = next_in_sequence(NumberSequence, day)
    if last > MAX_PER_DAY:
        raise WorkflowError(_("%(day)s 的工单号已用完") % {"day": day})
    return f"TT{day:%Y%m%d}{last:06d}"


def _choice(kind: Any, value: Any, label: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = "、".join(member.value for member in kind)
        raise WorkflowError(
            _("未知的%(label)s「%(value)s」，可选：%(allowed)s")
            % {"label": label, "value": value, "allowed": allowed}
        ) from None


def _related(items: Iterable[Mapping[str, Any]]) -> list[dict[str, str]]:
    cleaned = []
    for item in items:
        if not isinstance(item, Mapping) or not str(item.get("id", "")).strip():
            raise WorkflowError(_("关联对象须包含 role、type 和 id"))
        cleaned.append(
            {
                "role": str(item.get("role", "") or "related"),
                "type": str(item.get("type", "") or ""),
                "id": str(item["id"]).strip(),
            }
        )
    return cleaned


def _repeats(customer_id: str, category: str, created_at: datetime) -> list[tuple[str, int]]:
    """(number, id) of the earlier work orders this one repeats, newest first.

    Plain SQL on the (customer_id, created_at) index: it runs on every intake, and the ORM's
    query building costs more than the query itself."""
    lo, hi = repeat_key_window(created_at)
    table = connection.ops.quote_name(WorkOrder._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, customer_id, category, created_at, id FROM {table} "
            "WHERE customer_id = %s AND created_at >= %s AND created_at <= %s AND status <> %s",
            [customer_id, adapt(lo), adapt(hi), Status.CANCELLED.value],
        )
        rows = cursor.fetchall()
    ids = {row[0]: row[4] for row in rows}
    prior = [
        PriorComplaint(number, customer, code, _aware(at)) for number, customer, code, at, _ in rows
    ]
    return [(n, ids[n]) for n in find_repeats(customer_id, category, created_at, prior)]


def _aware(value: Any) -> datetime:
    """A raw cursor gives SQLite's text or a naive UTC time; PostgreSQL's come aware."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if timezone.is_naive(value):
        value = value.replace(tzinfo=UTC)
    return value


def create_work_order(
    actor: Person,
    *,
    channel: str,
    category: str,
    severity: str,
    customer_id: str,
    customer_phone: str,
    branch: Any,
    description: str,
    tier: Any = None,
    hall: Any = None,
    related: Iterable[Mapping[str, Any]] = (),
    external_id: str | None = None,
    created_at: datetime | None = None,
) -> WorkOrder:
    """Record a complaint. The recording employee becomes its first-ask owner (首问负责) and,
    until someone transfers it, its assignee. ``branch``/``tier``/``hall`` take model rows or
    codes. A complaint by the same customer on the same category within 30 days is a repeat:
    it links to the newest such work order and gets a named owner and a deadline (the owner
    and the resolution deadline until someone sets others)."""
    require_writer(actor)
    intake_channel = _choice(IntakeChannel, channel, "受理渠道")
    level_of_severity = _choice(Severity, severity, "严重程度")
    try:
        kind = category_of(category)
    except UnknownCategory as error:
        raise WorkflowError(str(error)) from None
    branch_row = resolve_branch(branch)
    if not scope_of(actor).allows_branch(branch_row.code):
        raise WorkflowError(_("你不能为%(branch)s登记工单") % {"branch": branch_row.name_zh})
    tier_row = resolve_tier(tier)
    hall_row = resolve_hall(hall, branch_row)
    customer = required_text(customer_id, gettext_noop("客户标识不能为空"))
    body = required_text(description, gettext_noop("投诉内容不能为空"))
    now = timezone.now()
    created = moment(created_at) if created_at is not None else now
    if created > now + FUTURE_TOLERANCE:
        raise WorkflowError(_("受理时间不能晚于当前时间"))
    external = (external_id or "").strip() or None
    if external is not None:
        existing = WorkOrder.objects.filter(external_id=external).values_list("number", flat=True)
        if existing:
            raise DuplicateExternalId(external, existing[0])
    first = calendars.first_reply(branch_row.pk, created)
    resolution = calendars.resolution(branch_row.pk, created, kind.code, level_of_severity)
    repeats = _repeats(customer, kind.code, created)
    level = Level.APPEAL if intake_channel == IntakeChannel.REGULATOR else Level.ORDINARY
    work_order = WorkOrder(
        number=next_number(created),
        channel=intake_channel.value,
        category=kind.code,
        factor=kind.factor,
        severity=level_of_severity.value,
        level=level.value,
        status=Status.NEW.value,
        customer_id=customer,
        customer_phone=(customer_phone or "").strip(),
        tier=tier_row,
        branch=branch_row,
        hall=hall_row,
        department=resolve_department(kind.department),
        description=body,
        related=_related(related),
        owner=actor,
        assignee=actor,
        created_at=created,
        first_reply_due=first.due,
        first_reply_warn_at=first.warn_at,
        resolution_due=resolution.due,
        resolution_warn_at=resolution.warn_at,
        # A regulator's transfer is an appeal from the start, with the regulator's deadline.
        appeal_due=appeal_deadline(created) if level == Level.APPEAL else None,
        external_id=external,
        version=1,
    )
    if repeats:
        work_order.is_repeat = True
        work_order.repeat_of_id = repeats[0][1]
        work_order.repeat_owner = actor
        work_order.repeat_due = resolution.due
    try:
        with transaction.atomic():
            work_order.save(force_insert=True)
            audit(
                actor,
                "create",
                work_order,
                channel=work_order.channel,
                category=work_order.category,
                branch=branch_row.code,
                repeat_of=repeats[0][0] if repeats else None,
                external_id=external,
            )
    except IntegrityError:
        if external is not None:
            taken = WorkOrder.objects.filter(external_id=external).first()
            if taken is not None:
                raise DuplicateExternalId(external, taken.number) from None
        raise
    return work_order


# -- transitions ------------------------------------------------------------------------------
def _action(value: Action | str) -> Action:
    return _choice(Action, value, "操作")


def apply_action(
    actor: Person, work_order: WorkOrder, action: Action, note: str, now: datetime
) -> StatusChange:
    """Move a locked work order one step and record it; the caller commits."""
    before = Status(work_order.status)
    after = next_status(before, action)
    if action == Action.CLOSE_UNREACHABLE and not note.strip():
        raise WorkflowError(_("联系不上用户而关闭时，须记录联系尝试（时间、方式、结果）"))
    if action == Action.ACKNOWLEDGE:
        work_order.acknowledged_at = now
    if action in CONTACT_ACTIONS and work_order.first_reply_at is None:
        work_order.first_reply_at = now
    if action == Action.RESOLVE:
        work_order.resolved_at = now
    if after == Status.CLOSED:
        work_order.closed_at = now
        work_order.confirmed = action == Action.CONFIRM
        work_order.closure_note = note.strip()
    if action == Action.REOPEN:
        calendar = calendars.branch_calendar(work_order.branch_id)
        stopped = work_order.resolved_at or now
        work_order.paused_seconds += working_seconds_between(calendar, stopped, now)
        work_order.resolved_at = None
        work_order.closed_at = None
    if action == Action.CANCEL:
        work_order.cancelled_at = now
    if before == Status.PENDING_CUSTOMER:
        calendar = calendars.branch_calendar(work_order.branch_id)
        since = work_order.paused_since or now
        work_order.paused_seconds += working_seconds_between(calendar, since, now)
        work_order.paused_since = None
    if after == Status.PENDING_CUSTOMER:
        work_order.paused_since = now
    work_order.status = after.value
    step = StatusChange.objects.create(
        work_order=work_order,
        from_status=before.value,
        to_status=after.value,
        action=action.value,
        at=now,
        actor=actor,
        note=note.strip(),
    )
    if before == Status.PENDING_CUSTOMER or action == Action.REOPEN:
        # The deadline moves by the paused working time; the clock is replayed from the status
        # history, which already holds the step just taken.
        calendars.refresh_resolution_deadline(work_order)
    return step


@transaction.atomic
def transition(
    actor: Person,
    number: str,
    action: Action | str,
    *,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    """One step of the state machine (core.states); IllegalTransition if the step is not
    allowed from the current status."""
    chosen = _action(action)
    work_order = locked(actor, number, expected_version)
    step = apply_action(actor, work_order, chosen, note, moment(at))
    return commit(
        actor, work_order, "transition", step=chosen.value, status=step.to_status, note=note
    )


@transaction.atomic
def confirm_closure(
    actor: Person,
    number: str,
    *,
    satisfaction: int | None,
    confirmed: bool,
    note: str = "",
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    """The return visit (回访) of a resolved work order. A customer who confirms is asked for
    satisfaction 1–5: satisfied (3 or more) closes it, dissatisfied (2 or less) reopens it.
    A customer who cannot be reached closes it only with the documented attempts in ``note``."""
    work_order = locked(actor, number, expected_version)
    if Status(work_order.status) != Status.RESOLVED:
        next_status(Status(work_order.status), Action.CONFIRM)  # the core's clear error
    if confirmed:
        if satisfaction is None or not 1 <= int(satisfaction) <= 5:
            raise WorkflowError(_("请记录客户满意度（1–5分）"))
        work_order.satisfaction = int(satisfaction)
        dissatisfied = is_dissatisfied(work_order.satisfaction)
        action = Action.REOPEN if dissatisfied else Action.CONFIRM
        # Reached but not satisfied: the outcome is not confirmed.
        work_order.confirmed = False if dissatisfied else work_order.confirmed
    else:
        required_text(
            note, gettext_noop("联系不上用户而关闭时，须记录联系尝试（时间、方式、结果）")
        )
        action = Action.CLOSE_UNREACHABLE
    apply_action(actor, work_order, action, note, moment(at))
    return commit(
        actor,
        work_order,
        "closure",
        confirmed=confirmed,
        satisfaction=work_order.satisfaction,
        status=work_order.status,
    )


# -- escalation -------------------------------------------------------------------------------
def facts_of(work_order: WorkOrder) -> Facts:
    """What the shared step rules (``core.offers``) need to know about a work order."""
    return Facts(
        status=Status(work_order.status),
        level=Level(work_order.level),
        created_at=work_order.created_at,
        first_reply_at=work_order.first_reply_at,
        satisfaction=work_order.satisfaction,
        is_repeat=work_order.is_repeat,
    )


def available_steps(actor: Person, work_order: WorkOrder, now: datetime) -> Offers:
    """What the page offers ``actor`` on this work order: the rules ``escalate`` and ``appeal``
    apply, so no button leads to a refusal the rules could foresee."""
    return offers(facts_of(work_order), may_write=can_write(actor), now=now)


def _change_level(
    actor: Person, work_order: WorkOrder, level: Level, reason: str, now: datetime
) -> None:
    LevelChange.objects.create(
        work_order=work_order,
        from_level=work_order.level,
        to_level=level.value,
        at=now,
        actor=actor,
        reason=reason,
    )
    work_order.level = level.value


@transaction.atomic
def escalate(
    actor: Person,
    number: str,
    *,
    reason: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    """Ordinary → escalated complaint (升级投诉)."""
    why = required_text(reason, gettext_noop("请填写升级原因"))
    work_order = locked(actor, number, expected_version)
    refused = escalation_refused(facts_of(work_order))
    if refused == Refused.NOT_OPEN:
        raise StepRefused(_("已关闭或已撤销的工单不能升级"))
    if refused is not None:
        raise StepRefused(_("该工单已是升级投诉或申诉"))
    level = escalate_level(Level(work_order.level))
    _change_level(actor, work_order, level, why, moment(at))
    return commit(actor, work_order, "escalate", level=level.value, reason=why)


@transaction.atomic
def appeal(
    actor: Person,
    number: str,
    *,
    reason: str,
    dissatisfied: bool | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> WorkOrder:
    """The customer appealed to the regulator (申诉). Allowed after an unsatisfying outcome or
    when no reply came within 15 days (MIIT rule, core.escalation.appeal_allowed). The appeal
    carries its own deadline; a resolved or closed work order is reopened.
    ``dissatisfied`` defaults to the recorded satisfaction (2 or less)."""
    why = required_text(reason, gettext_noop("请填写申诉内容"))
    work_order = locked(actor, number, expected_version)
    now = moment(at)
    refused, check = appeal_refused(facts_of(work_order), now, dissatisfied)
    if refused == Refused.CANCELLED:
        raise StepRefused(_("已撤销的工单不能申诉"))
    if refused == Refused.ALREADY_APPEAL:
        raise StepRefused(_("该工单已是申诉"))
    assert check is not None  # the regulator's rule was asked
    if refused is not None:
        raise StepRefused(check.reason)
    if work_order.status in (Status.RESOLVED.value, Status.CLOSED.value):
        apply_action(actor, work_order, Action.REOPEN, why, now)
    work_order.appeal_due = appeal_deadline(now)
    _change_level(actor, work_order, Level.APPEAL, why, now)
    return commit(actor, work_order, "appeal", reason=why, basis=check.reason)
