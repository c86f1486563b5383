"""Saved plans: what was planned, from which data and parameters, and what it came to.

A plan's payload is the JSON the planning modules return (``sqm plan … --json`` prints the
same), so a plan saved from the CLI and one saved from the web read alike, and two plans of
a kind compare on their ``summary``. Payloads are written once: a changed parameter is a new
plan, which keeps every comparison honest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sqm.planning.choices import PlanKind, PlanKindChoices


class Plan(models.Model):
    Kind = PlanKind  # ``Plan.Kind.HOTLINE`` reads well at the call sites; the list is the core's

    kind = models.CharField(_("类型"), max_length=16, choices=PlanKindChoices.choices)
    name = models.CharField(_("名称"), max_length=120)
    # A branch's plan (its halls) is seen by that branch; null: a province plan.
    branch = models.ForeignKey(
        "org.Branch",
        verbose_name=_("分公司"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    based_on = models.ForeignKey(
        "self",
        verbose_name=_("依据的方案"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="derived",
    )
    parameters = models.JSONField(_("参数"), default=dict)
    payload = models.JSONField(_("结果"))
    summary = models.JSONField(_("摘要"), default=dict)
    # The latest simulation check of a hotline plan (sqm simulate hotline, or the web).
    simulation = models.JSONField(_("仿真验证"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["kind", "-created_at"])]
        verbose_name = _("规划方案")
        verbose_name_plural = _("规划方案")

    def __str__(self) -> str:
        return self.name
