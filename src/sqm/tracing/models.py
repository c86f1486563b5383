"""Signals the detectors report and the tracing cases (problem records) opened from them.

Only ``sqm.tracing.services`` changes these rows; the rules they apply (stages, root-cause
classes) live in ``sqm.tracing.core``. A case is the TMF656 serviceProblem; its ``CaseEvent``
rows are the trackingRecord/eventRecord.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sqm.tracing.choices import (
    RootCauseChoices,
    SignalKindChoices,
    SignalStatusChoices,
    StageChoices,
)
from sqm.tracing.core.signals import SignalStatus
from sqm.tracing.core.stages import Stage

_USER = settings.AUTH_USER_MODEL

OPEN_STAGES = tuple(s.value for s in Stage if s != Stage.CLOSED)


class Signal(models.Model):
    """One detector finding. ``key`` is the core Signal's identity (kind, place, window start):
    storing the same finding again updates this row."""

    key = models.CharField(_("标识"), max_length=400)
    kind = models.CharField(_("类型"), max_length=32, choices=SignalKindChoices.choices)
    # Places are codes as the event store has them (a real file may name a branch the
    # reference data does not know yet); null where the signal has no such place.
    branch = models.CharField(_("分公司"), max_length=16, null=True, blank=True)
    hall = models.CharField(_("营业厅"), max_length=24, null=True, blank=True)
    node = models.CharField(_("IVR节点"), max_length=64, null=True, blank=True)
    channel = models.CharField(_("渠道"), max_length=32, null=True, blank=True)
    sender = models.CharField(_("发送方"), max_length=64, null=True, blank=True)
    category = models.CharField(_("类别"), max_length=48, null=True, blank=True)
    subcategory = models.CharField(_("子类"), max_length=96, null=True, blank=True)
    product = models.CharField(_("产品"), max_length=96, null=True, blank=True)
    indicator = models.CharField(_("指标"), max_length=64, null=True, blank=True)
    start = models.DateTimeField(_("开始"))
    end = models.DateTimeField(_("结束"))
    observed = models.FloatField(_("观测值"))
    expected = models.FloatField(_("期望值"))
    expected_low = models.FloatField(_("期望下限"))
    expected_high = models.FloatField(_("期望上限"))
    score = models.FloatField(_("得分"))
    p_value = models.FloatField(_("p值"), null=True, blank=True)
    evidence_count = models.PositiveIntegerField(_("证据数"), default=0)
    evidence_ids = models.JSONField(_("证据"), default=list, blank=True)
    evidence_source = models.CharField(_("证据来源"), max_length=32, blank=True)
    series = models.JSONField(_("序列"), default=list, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    month = models.CharField(_("月份"), max_length=7)  # YYYY-MM the detection ran over
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=SignalStatusChoices.choices,
        default=SignalStatus.NEW.value,
    )
    dismissed_reason = models.TextField(_("排除原因"), blank=True)
    case = models.ForeignKey(
        "TracingCase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signals",
        verbose_name=_("溯源单"),
    )
    first_seen = models.DateTimeField(_("首次发现"), default=timezone.now)
    last_seen = models.DateTimeField(_("最近发现"), default=timezone.now)

    class Meta:
        ordering = ["-score", "-id"]
        verbose_name = _("溯源信号")
        verbose_name_plural = _("溯源信号")
        constraints = [models.UniqueConstraint(fields=["key"], name="tracing_unique_signal_key")]
        indexes = [
            models.Index(fields=["month", "-score"], name="tracing_signal_month_score"),
            models.Index(fields=["branch", "month"], name="tracing_signal_branch_month"),
        ]

    def __str__(self) -> str:
        return self.key


class TracingCase(models.Model):
    """A problem record (TMF656 serviceProblem): what went wrong, where, why, what was done
    and whether it worked."""

    number = models.CharField(_("溯源单号"), max_length=20)
    title = models.CharField(_("标题"), max_length=200)
    description = models.TextField(_("描述"), blank=True)
    stage = models.CharField(
        _("阶段"), max_length=24, choices=StageChoices.choices, default=Stage.OPEN.value
    )
    root_cause_class = models.CharField(
        _("根因分类"), max_length=24, choices=RootCauseChoices.choices, blank=True
    )
    root_cause_text = models.TextField(_("根因说明"), blank=True)
    affected_service = models.CharField(_("影响业务"), max_length=120, blank=True)
    affected_product = models.CharField(_("影响产品"), max_length=120, blank=True)
    # The affected location: the branches (the scope a branch user sees the case by) and,
    # when the problem sits in one hall, that hall.
    branches = models.ManyToManyField(
        "org.Branch", blank=True, related_name="tracing_cases", verbose_name=_("影响分公司")
    )
    hall = models.ForeignKey(
        "org.Hall",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("影响营业厅"),
    )
    category = models.CharField(_("感知要素"), max_length=48, blank=True)
    subcategory = models.CharField(_("投诉子类"), max_length=96, blank=True)
    lead_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_tracing_cases",
        verbose_name=_("牵头部门"),
    )
    team_departments = models.ManyToManyField(
        "org.Department",
        blank=True,
        related_name="tracing_cases",
        verbose_name=_("协同部门"),
    )
    intervention_date = models.DateField(_("整改生效日期"), null=True, blank=True)
    # TMF656 priority, 1 (most important) … 10, as set by whoever raised or triaged the
    # problem; empty: ranked by the complaints behind the case (tmf.mapping.priority).
    priority = models.PositiveSmallIntegerField(
        _("优先级"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
        verbose_name=_("上级问题"),
    )
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("溯源单")
        verbose_name_plural = _("溯源单")
        constraints = [models.UniqueConstraint(fields=["number"], name="tracing_unique_number")]
        indexes = [models.Index(fields=["stage", "-created_at"], name="tracing_case_stage")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class CaseComplaint(models.Model):
    """A complaint behind a case. ``complaint_id`` is the complaints source's id (a work
    order's number for our own work orders, the touchpoint system's id for an ingested one);
    ``work_order`` is set when it is one of ours. The place and customer are copied at link
    time so impact sizing needs no event-store read."""

    class How(models.TextChoices):
        SIGNAL = "signal", _("来自信号")
        HAND = "hand", _("手工添加")

    case = models.ForeignKey(TracingCase, on_delete=models.CASCADE, related_name="complaints")
    complaint_id = models.CharField(_("投诉编号"), max_length=48)
    work_order = models.ForeignKey(
        "complaints.WorkOrder",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tracing_links",
    )
    customer_id = models.CharField(_("客户标识"), max_length=32, blank=True)
    branch = models.CharField(_("分公司"), max_length=16, blank=True)
    category = models.CharField(_("感知要素"), max_length=48, blank=True)
    created_at = models.DateTimeField(_("投诉时间"), null=True, blank=True)
    how = models.CharField(_("来源"), max_length=8, choices=How.choices)
    signal = models.ForeignKey(
        Signal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("添加时间"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("关联投诉")
        verbose_name_plural = _("关联投诉")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "complaint_id"], name="tracing_unique_case_complaint"
            )
        ]


class CaseMeasure(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("待实施")
        IN_PROGRESS = "in_progress", _("实施中")
        DONE = "done", _("已完成")
        CANCELLED = "cancelled", _("已取消")

    case = models.ForeignKey(TracingCase, on_delete=models.CASCADE, related_name="measures")
    title = models.CharField(_("整改措施"), max_length=200)
    owner_department = models.ForeignKey(
        "org.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("责任部门"),
    )
    owner = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任人"),
    )
    deadline = models.DateField(_("完成时限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("整改措施")
        verbose_name_plural = _("整改措施")


class CaseEvent(models.Model):
    """One step of a case's timeline, attributed. The actor's username and role are written
    as they were at the time, so the record stays true after a user changes role or leaves."""

    class Kind(models.TextChoices):
        CREATED = "created", _("立案")
        STAGE = "stage", _("阶段变更")
        UPDATED = "updated", _("信息更新")
        ROOT_CAUSE = "root_cause", _("根因认定")
        SIGNAL_LINKED = "signal_linked", _("关联信号")
        COMPLAINT_ADDED = "complaint_added", _("添加投诉")
        COMPLAINT_REMOVED = "complaint_removed", _("移除投诉")
        MEASURE_ADDED = "measure_added", _("新增措施")
        MEASURE_UPDATED = "measure_updated", _("更新措施")
        GROUPED = "grouped", _("合并问题")
        UNGROUPED = "ungrouped", _("拆分问题")
        NOTE = "note", _("备注")

    case = models.ForeignKey(TracingCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=32, blank=True)
    from_stage = models.CharField(
        _("原阶段"), max_length=24, choices=StageChoices.choices, blank=True
    )
    to_stage = models.CharField(
        _("新阶段"), max_length=24, choices=StageChoices.choices, blank=True
    )
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("溯源记录")
        verbose_name_plural = _("溯源记录")
        indexes = [models.Index(fields=["case", "at"], name="tracing_event_case_at")]


class CaseNumberSequence(models.Model):
    """The last case number handed out on a day (numbers are ``SP`` + date + 4 digits); bumped
    by ``sqm.org.numbering.next_in_sequence`` as the work orders' sequence is."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)
