"""Service meetings, their agendas and decisions, and the action items (督办) that follow them.

Only ``sqm.improvement.services`` changes these rows; the rules they apply (lifecycle, closure
gate, deadlines, escalation, agenda building) live in ``sqm.improvement.core``. Every change
to an action item bumps its ``version`` (optimistic concurrency: a stale page gets a conflict)
and writes an attributed ``ActionEvent``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sqm.improvement.choices import (
    AgendaKindChoices,
    CaseResultChoices,
    EventKindChoices,
    EvidenceKindChoices,
    LaunchStatusChoices,
    LevelChoices,
    StageChoices,
    StatusChoices,
)

_USER = settings.AUTH_USER_MODEL


class MeetingSeries(models.Model):
    """A standing meeting: the 客户服务例会, held at least twice a month, chaired by the VP."""

    name = models.CharField(_("名称"), max_length=120, unique=True)
    chair = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name=_("参会部门")
    )
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("例会系列")
        verbose_name_plural = _("例会系列")

    def __str__(self) -> str:
        return self.name


class Meeting(models.Model):
    series = models.ForeignKey(MeetingSeries, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("会议日期"))
    title = models.CharField(_("会议名称"), max_length=160)
    chair = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    chair_name = models.CharField(_("主持人"), max_length=64, blank=True)
    attendee_departments = models.ManyToManyField(
        "org.Department", blank=True, related_name="+", verbose_name=_("参会部门")
    )
    attendees: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        _USER, blank=True, related_name="+", verbose_name=_("参会人员")
    )
    minutes = models.TextField(_("会议纪要"), blank=True)
    held = models.BooleanField(_("已召开"), default=False)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "date"], name="improvement_meeting_day")
        ]
        verbose_name = _("例会")
        verbose_name_plural = _("例会")

    def __str__(self) -> str:
        return f"{self.title} {self.date:%Y-%m-%d}"


class AgendaItem(models.Model):
    """One subject of a meeting. ``key`` names the subject (``core.agenda``) so a rebuild
    refreshes it in place; ``removed`` keeps the secretary's removal from coming back."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("顺序"), default=0)
    kind = models.CharField(_("类型"), max_length=16, choices=AgendaKindChoices.choices)
    key = models.CharField(_("标识"), max_length=120)
    title = models.CharField(_("议题"), max_length=240)
    indicator = models.CharField(_("指标"), max_length=64, blank=True)
    branch = models.CharField(_("分公司"), max_length=16, blank=True)
    department = models.CharField(_("责任部门"), max_length=24, blank=True)
    due = models.DateField(_("完成时限"), null=True, blank=True)
    ref = models.CharField(_("关联"), max_length=64, blank=True)
    discussion = models.TextField(_("讨论情况"), blank=True)
    resolved = models.BooleanField(_("已议定"), default=False)
    removed = models.BooleanField(_("已移出议程"), default=False)

    class Meta:
        ordering = ["meeting", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "key"], name="improvement_agenda_key")
        ]
        verbose_name = _("议程条目")
        verbose_name_plural = _("议程条目")

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    agenda_item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    text = models.TextField(_("决议内容"))
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "id"]
        verbose_name = _("会议决议")
        verbose_name_plural = _("会议决议")

    def __str__(self) -> str:
        return self.text[:60]


class ActionItem(models.Model):
    title = models.CharField(_("事项"), max_length=200)
    expected_result = models.TextField(_("预期结果"), blank=True)
    owner_department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("责任部门")
    )
    owner = models.ForeignKey(
        _USER,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("责任人"),
    )
    # The branch the item is about (and, when bound, the branch of the indicator's figure);
    # None: the province's. Branch users see their branch's items.
    branch = models.ForeignKey(
        "org.Branch",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("分公司"),
    )
    deadline = models.DateField(_("完成时限"))
    indicator = models.CharField(_("绑定指标"), max_length=64, blank=True)
    target = models.FloatField(_("目标值"), null=True, blank=True)
    case_number = models.CharField(_("关联溯源单"), max_length=20, blank=True)
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    decision = models.OneToOneField(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="action"
    )
    project = models.ForeignKey(
        "Project", null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=StatusChoices.choices, default="open"
    )
    level = models.PositiveSmallIntegerField(_("督办级别"), choices=LevelChoices.choices, default=0)
    reminded = models.BooleanField(_("已提醒"), default=False)
    overdue_notified = models.BooleanField(_("已发超期通知"), default=False)
    override_reason = models.TextField(_("强制关闭原因"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("验证时间"), null=True, blank=True)
    verified_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["status", "deadline"], name="improvement_action_due"),
        ]
        verbose_name = _("督办事项")
        verbose_name_plural = _("督办事项")

    def __str__(self) -> str:
        return f"#{self.pk} {self.title}"

    @property
    def number(self) -> str:
        return f"DB{self.pk:05d}"


class ActionEvent(models.Model):
    """One step of an item's timeline, attributed: the actor's name and role as they were."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now)
    kind = models.CharField(_("类型"), max_length=16, choices=EventKindChoices.choices)
    actor = models.CharField(_("操作人"), max_length=150, blank=True)
    role = models.CharField(_("角色"), max_length=32, blank=True)
    from_status = models.CharField(_("原状态"), max_length=16, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("督办记录")
        verbose_name_plural = _("督办记录")


class ActionComment(models.Model):
    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(_("作者"), max_length=150, blank=True)
    text = models.TextField(_("内容"))
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("评论")
        verbose_name_plural = _("评论")


class Evidence(models.Model):
    """Proof that an item is done: a note, a file (kept in the database, small) or a link."""

    action = models.ForeignKey(ActionItem, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("类型"), max_length=8, choices=EvidenceKindChoices.choices)
    note = models.TextField(_("说明"), blank=True)
    url = models.URLField(_("链接"), max_length=1000, blank=True)
    file_name = models.CharField(_("文件名"), max_length=255, blank=True)
    mime_type = models.CharField(_("类型"), max_length=100, blank=True)
    content = models.BinaryField(_("文件内容"), blank=True, default=b"")
    size = models.PositiveIntegerField(_("大小"), default=0)
    added_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_by_name = models.CharField(_("上传人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("佐证")
        verbose_name_plural = _("佐证")


class Project(models.Model):
    """A focus problem (焦难问题) run as PDCA: a goal on an indicator (baseline → target by a
    date), an owner and a team, tasks (action items), gate reviews at each stage change."""

    title = models.CharField(_("项目名称"), max_length=200)
    indicator = models.CharField(_("目标指标"), max_length=64)
    branch = models.ForeignKey(
        "org.Branch", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    baseline = models.FloatField(_("基线值"))
    target = models.FloatField(_("目标值"))
    goal_date = models.DateField(_("目标日期"))
    started_on = models.DateField(_("启动日期"))
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("牵头部门")
    )
    owner = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team: models.ManyToManyField[Any, Any] = models.ManyToManyField(
        _USER, blank=True, related_name="+", verbose_name=_("项目组")
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=StageChoices.choices, default="plan")
    cycle = models.PositiveSmallIntegerField(_("循环"), default=1)
    plan_approved = models.BooleanField(_("计划已批准"), default=False)
    case_number = models.CharField(_("关联溯源单"), max_length=20, blank=True)
    external_evaluation = models.TextField(_("外部评价"), blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name = _("焦难问题项目")
        verbose_name_plural = _("焦难问题项目")

    def __str__(self) -> str:
        return self.title


class GateReview(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="reviews")
    from_stage = models.CharField(_("原阶段"), max_length=16, choices=StageChoices.choices)
    to_stage = models.CharField(_("新阶段"), max_length=16, choices=StageChoices.choices)
    cycle = models.PositiveSmallIntegerField(_("循环"), default=1)
    note = models.TextField(_("评审意见"))
    reviewer = models.CharField(_("评审人"), max_length=150)
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("阶段评审")
        verbose_name_plural = _("阶段评审")


class Launch(models.Model):
    """A go-live checklist of a new product or tariff: customer-experience tests, sign-off,
    launch, and after launch a decision if it fails: rectify (an action item) or offline."""

    product = models.CharField(_("产品/资费"), max_length=160)
    description = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("负责部门")
    )
    planned_on = models.DateField(_("计划上线日期"))
    status = models.CharField(
        _("状态"), max_length=16, choices=LaunchStatusChoices.choices, default="draft"
    )
    signed_off_by = models.CharField(_("签收人"), max_length=150, blank=True)
    signed_off_at = models.DateTimeField(_("签收时间"), null=True, blank=True)
    launched_at = models.DateTimeField(_("上线时间"), null=True, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    action = models.ForeignKey(
        ActionItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = _("上线测试")
        verbose_name_plural = _("上线测试")

    def __str__(self) -> str:
        return self.product


class LaunchCase(models.Model):
    launch = models.ForeignKey(Launch, on_delete=models.CASCADE, related_name="cases")
    title = models.CharField(_("测试用例"), max_length=200)
    expected = models.TextField(_("预期体验"), blank=True)
    result = models.CharField(
        _("结果"), max_length=8, choices=CaseResultChoices.choices, default="pending"
    )
    observed = models.TextField(_("实测情况"), blank=True)
    tester = models.CharField(_("测试人"), max_length=150, blank=True)
    tested_at = models.DateTimeField(_("测试时间"), null=True, blank=True)

    class Meta:
        ordering = ["launch", "id"]
        verbose_name = _("测试用例")
        verbose_name_plural = _("测试用例")
