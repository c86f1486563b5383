"""Work orders and everything recorded about them.

Only the service functions (``sqm.complaints.services``) and the sweeper change a work order;
the rules they apply live in ``sqm.complaints.core``. Times are aware datetimes (UTC in the
database); deadlines are stored so that the sweeper and the queues compare columns, not
calendars.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sqm.complaints.choices import (
    CallbackOutcomeChoices,
    ChannelChoices,
    LevelChoices,
    RefundKindChoices,
    SeverityChoices,
    WorkOrderActionChoices,
    WorkOrderStatusChoices,
)
from sqm.complaints.core.states import Status
from sqm.org.models import Branch, CustomerTier, Department, Hall

# The statuses whose clocks run: open, not waiting for the customer, not yet resolved.
RUNNING = (Status.NEW.value, Status.ACKNOWLEDGED.value, Status.IN_PROGRESS.value)
OPEN = tuple(s.value for s in Status if s not in (Status.CLOSED, Status.CANCELLED))

_USER = settings.AUTH_USER_MODEL


class WorkOrder(models.Model):
    # Unique through Meta.constraints: a unique=True CharField would also get a LIKE index on
    # PostgreSQL, which nothing uses and every write pays for.
    number = models.CharField(_("工单号"), max_length=20)
    channel = models.CharField(_("受理渠道"), max_length=16, choices=ChannelChoices.choices)
    category = models.CharField(_("投诉类别"), max_length=48)
    factor = models.CharField(_("感知要素"), max_length=32)
    severity = models.CharField(_("严重程度"), max_length=8, choices=SeverityChoices.choices)
    level = models.CharField(
        _("投诉级别"), max_length=12, choices=LevelChoices.choices, default="ordinary"
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=WorkOrderStatusChoices.choices, default=Status.NEW.value
    )
    customer_id = models.CharField(_("客户标识"), max_length=32)
    customer_phone = models.CharField(_("联系电话"), max_length=32, blank=True)
    # No index on the rarely searched references: every index costs each intake and each
    # sweeper update (benchmarks/complaints.py).
    tier = models.ForeignKey(
        CustomerTier,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    # Indexed by (branch, status) below.
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="work_orders", db_index=False
    )
    hall = models.ForeignKey(
        Hall,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
        db_index=False,
    )
    department = models.ForeignKey(
        Department,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_orders",
        verbose_name=_("处理部门"),
    )
    description = models.TextField(_("投诉内容"))
    related = models.JSONField(_("关联对象"), default=list, blank=True)
    owner = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        related_name="owned_work_orders",
        verbose_name=_("首问负责人"),
    )
    assignee = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_work_orders",
        verbose_name=_("当前处理人"),
    )
    created_at = models.DateTimeField(_("受理时间"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("确认受理时间"), null=True, blank=True)
    first_reply_at = models.DateTimeField(_("首次回复时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("解决时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("关闭时间"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    first_reply_due = models.DateTimeField(_("首次回复时限"))
    resolution_due = models.DateTimeField(_("处理时限"))
    appeal_due = models.DateTimeField(_("申诉处理时限"), null=True, blank=True)
    # When the warnings fall due (80% of the budget used): precomputed so that the sweeper
    # compares columns instead of walking calendars.
    first_reply_warn_at = models.DateTimeField(null=True, blank=True)
    resolution_warn_at = models.DateTimeField(null=True, blank=True)
    paused_since = models.DateTimeField(_("暂停计时起"), null=True, blank=True)
    # Working seconds (on the branch calendar) the resolution clock has spent paused.
    paused_seconds = models.FloatField(_("暂停工作秒数"), default=0.0)
    first_reply_warned_at = models.DateTimeField(null=True, blank=True)
    first_reply_breached_at = models.DateTimeField(null=True, blank=True)
    resolution_warned_at = models.DateTimeField(null=True, blank=True)
    resolution_breached_at = models.DateTimeField(null=True, blank=True)
    repeat_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="repeats",
        db_index=False,
    )
    is_repeat = models.BooleanField(_("重复投诉"), default=False)
    repeat_owner = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("重复问题责任人"),
        db_index=False,
    )
    repeat_due = models.DateTimeField(_("重复问题解决时限"), null=True, blank=True)
    satisfaction = models.PositiveSmallIntegerField(_("满意度"), null=True, blank=True)
    confirmed = models.BooleanField(_("客户已确认"), null=True, blank=True)
    closure_note = models.TextField(_("结单说明"), blank=True)
    external_id = models.CharField(_("外部单号"), max_length=64, null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("投诉工单")
        verbose_name_plural = _("投诉工单")
        indexes = [
            models.Index(fields=["branch", "status"], name="complaints_branch_status"),
            models.Index(fields=["customer_id", "created_at"], name="complaints_customer_time"),
            models.Index(fields=["created_at"], name="complaints_created"),
            # One small partial index per sweeper step: it holds only the rows that step can
            # still change, so a sweep over a million open orders reads a few index pages.
            models.Index(
                fields=["first_reply_warn_at"],
                name="complaints_sweep_fr_warn",
                condition=Q(first_reply_at__isnull=True, first_reply_warned_at__isnull=True),
            ),
            models.Index(
                fields=["first_reply_due"],
                name="complaints_sweep_fr_breach",
                condition=Q(first_reply_at__isnull=True, first_reply_breached_at__isnull=True),
            ),
            models.Index(
                fields=["resolution_warn_at"],
                name="complaints_sweep_res_warn",
                condition=Q(resolved_at__isnull=True, resolution_warned_at__isnull=True),
            ),
            models.Index(
                fields=["resolution_due"],
                name="complaints_sweep_res_breach",
                condition=Q(resolved_at__isnull=True, resolution_breached_at__isnull=True),
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["number"], name="complaints_unique_number"),
            models.UniqueConstraint(
                fields=["external_id"],
                condition=Q(external_id__isnull=False),
                name="complaints_unique_external_id",
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True)
                | Q(satisfaction__gte=1, satisfaction__lte=5),
                name="complaints_satisfaction_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def is_paused(self) -> bool:
        return self.status == Status.PENDING_CUSTOMER.value

    @property
    def level_colour(self) -> str:
        """The chip class of a raised level; "" for an ordinary complaint (shown plain)."""
        return LevelChoices.colour(self.level)


class StatusChange(models.Model):
    """One step of the status history; replaying the actions through core.states gives the
    current status."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, related_name="status_changes"
    )
    from_status = models.CharField(
        _("原状态"), max_length=20, choices=WorkOrderStatusChoices.choices
    )
    to_status = models.CharField(_("新状态"), max_length=20, choices=WorkOrderStatusChoices.choices)
    action = models.CharField(_("操作"), max_length=20, choices=WorkOrderActionChoices.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(_USER, null=True, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("状态变更")
        verbose_name_plural = _("状态变更")


class LevelChange(models.Model):
    """Escalations and appeals (by a person, or by the sweeper: ``actor`` null)."""

    work_order = models.ForeignKey(
        WorkOrder, on_delete=models.PROTECT, related_name="level_changes"
    )
    from_level = models.CharField(_("原级别"), max_length=12, choices=LevelChoices.choices)
    to_level = models.CharField(_("新级别"), max_length=12, choices=LevelChoices.choices)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("级别变更")
        verbose_name_plural = _("级别变更")


class Transfer(models.Model):
    """Work moved to another department or person; the first-ask owner stays the same."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="transfers")
    from_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_user = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_user = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("原因"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("转派记录")
        verbose_name_plural = _("转派记录")


class Note(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    text = models.TextField(_("内容"))

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("处理备注")
        verbose_name_plural = _("处理备注")


class Attachment(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="attachments")
    name = models.CharField(_("文件名"), max_length=255)
    mime_type = models.CharField(_("类型"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("大小"), default=0)
    url = models.CharField(_("地址"), max_length=1000, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    added_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")


class Refund(models.Model):
    work_order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="refunds")
    kind = models.CharField(_("退费类型"), max_length=16, choices=RefundKindChoices.choices)
    overcharge = models.DecimalField(_("多收金额"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("退费金额"), max_digits=12, decimal_places=2)
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    actor = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+")
    reversed_at = models.DateTimeField(_("冲正时间"), null=True, blank=True)
    reversal_evidence = models.TextField(_("冲正依据"), blank=True)
    reversed_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("退费")
        verbose_name_plural = _("退费")

    @property
    def is_reversed(self) -> bool:
        return self.reversed_at is not None


class Callback(models.Model):
    """来电必复: a callback owed to a customer whose hotline call was abandoned."""

    call_id = models.CharField(_("来电编号"), max_length=48, unique=True)
    customer_id = models.CharField(_("客户标识"), max_length=32, blank=True)
    phone = models.CharField(_("回呼号码"), max_length=32, blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="callbacks")
    tier = models.ForeignKey(
        CustomerTier, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    abandoned_at = models.DateTimeField(_("放弃时间"))
    due_at = models.DateTimeField(_("回呼时限"), db_index=True)
    completed_at = models.DateTimeField(_("回呼时间"), null=True, blank=True)
    outcome = models.CharField(
        _("回呼结果"), max_length=20, choices=CallbackOutcomeChoices.choices, blank=True
    )
    note = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("来电回呼")
        verbose_name_plural = _("来电回呼")
        indexes = [models.Index(fields=["branch", "completed_at"], name="complaints_callback_open")]

    def __str__(self) -> str:
        return self.call_id


class CalendarDay(models.Model):
    """An exception to the Monday–Friday working week: a holiday (is_workday False) or a
    weekend day worked (调休, is_workday True). ``branch`` null means the whole province; a
    branch's own row for the same date wins."""

    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_days"
    )
    date = models.DateField(_("日期"))
    is_workday = models.BooleanField(_("工作日"))
    name = models.CharField(_("说明"), max_length=64, blank=True)
    # What the row was before a save, kept by the pre_save handler (workdays.calendars) so
    # that the deadlines of both the old and the new date are recomputed.
    _before: tuple[object, ...] | None

    class Meta:
        ordering = ["date", "branch__code"]
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], condition=Q(branch__isnull=True), name="complaints_province_day"
            ),
            models.UniqueConstraint(
                fields=["branch", "date"],
                condition=Q(branch__isnull=False),
                name="complaints_branch_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date} {'workday' if self.is_workday else 'holiday'}"


class NumberSequence(models.Model):
    """The last work-order number handed out on a day (numbers are ``TT`` + date + 6 digits)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
