"""Model versions, sender cases, reviews, suspensions and appeals.

Only ``sqm.spam.services`` changes a case's status; the status values and the rules between
them live in ``sqm.spam.core.workflow``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sqm.org.models import Branch
from sqm.spam.choices import CaseStatusChoices, DecisionChoices
from sqm.spam.core.workflow import Case, ConfirmationRequired, Decision, Status

# A sender has at most one case in these statuses: it is being reviewed or its number is off.
ACTIVE_STATUSES = (
    Status.FLAGGED.value,
    Status.UNDER_REVIEW.value,
    Status.CONFIRMED.value,
    Status.SUSPENDED.value,
    Status.APPEALED.value,
    Status.UPHELD.value,
)


class ModelVersion(models.Model):
    """A trained text model; cases and reviews record the version that flagged them."""

    version = models.CharField(_("版本"), max_length=32, unique=True)
    path = models.CharField(_("模型文件"), max_length=500)
    trained_at = models.DateTimeField(_("训练时间"))
    registered_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    threshold = models.FloatField(_("工作阈值"))
    params = models.JSONField(default=dict, blank=True)
    data = models.JSONField(default=dict, blank=True)  # rows, spam, parts, sha256
    metrics = models.JSONField(default=dict, blank=True)  # cross-validated, at 0.5 and threshold
    active = models.BooleanField(_("当前使用"), default=False)

    class Meta:
        ordering = ["-registered_at", "-id"]
        verbose_name = _("模型版本")
        verbose_name_plural = _("模型版本")
        constraints = [
            models.UniqueConstraint(
                fields=["active"], condition=Q(active=True), name="spam_one_active_model"
            )
        ]

    def __str__(self) -> str:
        return self.version


class SenderCase(models.Model):
    sender = models.CharField(_("发送号码"), max_length=32, db_index=True)
    branch = models.ForeignKey(
        Branch, null=True, blank=True, on_delete=models.PROTECT, related_name="spam_cases"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatusChoices.choices, default=Status.FLAGGED.value
    )
    risk = models.FloatField(_("风险分"), db_index=True)
    text_probability = models.FloatField(_("文本概率"))
    high_impact = models.BooleanField(_("高影响"), default=False)
    impact_reason = models.CharField(_("高影响原因"), max_length=64, blank=True)
    four_eyes = models.BooleanField(_("双人复核"), default=True)
    evidence = models.JSONField(default=dict, blank=True)
    model_version = models.ForeignKey(ModelVersion, on_delete=models.PROTECT, related_name="cases")
    window_start = models.DateTimeField(null=True, blank=True)
    window_end = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("发现时间"), default=timezone.now, db_index=True)
    decided_at = models.DateTimeField(_("审核完成时间"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-risk", "id"]
        verbose_name = _("垃圾短信案件")
        verbose_name_plural = _("垃圾短信案件")
        indexes = [models.Index(fields=["status", "-risk"])]
        constraints = [
            models.UniqueConstraint(
                fields=["sender"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="spam_one_active_case_per_sender",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.sender} {self.status}"

    @property
    def required_confirmations(self) -> int:
        return Case(Status(self.status), self.high_impact, self.four_eyes).required_confirmations


class Review(models.Model):
    case = models.ForeignKey(SenderCase, on_delete=models.PROTECT, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="spam_reviews"
    )
    decision = models.CharField(_("结论"), max_length=8, choices=DecisionChoices.choices)
    note = models.TextField(_("备注"), blank=True)
    at = models.DateTimeField(_("审核时间"), default=timezone.now)
    model_version = models.ForeignKey(
        ModelVersion, on_delete=models.PROTECT, related_name="reviews"
    )

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("审核记录")
        verbose_name_plural = _("审核记录")
        constraints = [
            models.UniqueConstraint(fields=["case", "reviewer"], name="spam_one_review_per_person")
        ]


class Suspension(models.Model):
    """A stop-service order for the operator's provisioning system, with its restore."""

    case = models.OneToOneField(SenderCase, on_delete=models.PROTECT, related_name="suspension")
    number = models.CharField(_("号码"), max_length=32)
    action = models.CharField(_("操作"), max_length=32)
    confirmation = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.JSONField(default=list)
    executed_at = models.DateTimeField(_("停机时间"))
    notification_text = models.TextField(_("停机通知"))
    restored_at = models.DateTimeField(_("复机时间"), null=True, blank=True)
    restore_notification_text = models.TextField(_("复机通知"), blank=True)

    class Meta:
        ordering = ["-executed_at", "-id"]
        verbose_name = _("停机记录")
        verbose_name_plural = _("停机记录")

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The last line of defence: whatever code creates a suspension, it must point at a
        # confirmation of this very case, and the case must hold every confirmation it needs.
        if self._state.adding:
            if self.confirmation_id is None:
                raise ConfirmationRequired("a suspension needs the reviewers' confirmation")
            confirmation = self.confirmation
            confirmers = (
                Review.objects.filter(case_id=self.case_id, decision=Decision.CONFIRM.value)
                .values("reviewer")
                .distinct()
                .count()
            )
            if (
                confirmation.case_id != self.case_id
                or confirmation.decision != Decision.CONFIRM.value
                or confirmers < self.case.required_confirmations
            ):
                raise ConfirmationRequired("a suspension needs the reviewers' confirmation")
        super().save(*args, **kwargs)


class Appeal(models.Model):
    OUTCOMES = [
        ("pending", _("待复核")),
        ("granted", _("申诉成立")),
        ("dismissed", _("申诉不成立")),
    ]

    case = models.OneToOneField(SenderCase, on_delete=models.PROTECT, related_name="appeal")
    suspension = models.OneToOneField(Suspension, on_delete=models.PROTECT, related_name="appeal")
    channel = models.CharField(_("申诉渠道"), max_length=24)
    reason = models.TextField(_("申诉理由"))
    filed_at = models.DateTimeField(_("申诉时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("复核结论"), max_length=12, choices=OUTCOMES, default="pending")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("复核时间"), null=True, blank=True)
    note = models.TextField(_("复核意见"), blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("申诉")
        verbose_name_plural = _("申诉")
