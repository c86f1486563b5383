"""What an administrator decides for the assessment, kept with its history.

Scheme versions and accountability changes are append-only: each takes effect from a month,
none is edited or deleted once saved (the admin refuses), and a change may not take effect in
a month that has already ended — so a closed month is always recomputed with the scheme and
the map that were in force then (``sqm.assessment.core.history``). Veto incidents are facts
of a month, recorded when they come to light.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sqm.assessment.choices import UnitKindChoices
from sqm.assessment.core.history import check_month
from sqm.assessment.core.scheme import SchemeError, parse_scheme

_USER = settings.AUTH_USER_MODEL


def _valid_month(value: str) -> None:
    try:
        check_month(value)
    except ValueError as error:
        raise ValidationError(_("月份格式应为 YYYY-MM")) from error


def _valid_scheme(value: str) -> None:
    try:
        parse_scheme(value)
    except SchemeError as error:
        raise ValidationError(str(error)) from error


def current_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


class SchemeVersion(models.Model):
    """One version of the scoring scheme, in force from ``effective_from`` until the next."""

    effective_from = models.CharField(
        _("生效月份"), max_length=7, validators=[_valid_month], help_text="YYYY-MM"
    )
    document = models.TextField(_("方案(YAML)"), validators=[_valid_scheme])
    note = models.CharField(_("修订说明"), max_length=200)
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-effective_from", "-id"]
        verbose_name = _("考核方案版本")
        verbose_name_plural = _("考核方案版本")

    def __str__(self) -> str:
        return f"v{self.pk} ({self.effective_from}) {self.note}"


class Accountability(models.Model):
    """A change of the accountable department (认责) of one indicator, from a month on."""

    indicator = models.CharField(_("指标"), max_length=64)
    department = models.CharField(_("认责部门"), max_length=24)
    effective_from = models.CharField(
        _("生效月份"), max_length=7, validators=[_valid_month], help_text="YYYY-MM"
    )
    note = models.CharField(_("调整说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("保存时间"), default=timezone.now)
    created_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["indicator", "-effective_from", "-id"]
        verbose_name = _("指标认责调整")
        verbose_name_plural = _("指标认责调整")

    def __str__(self) -> str:
        return f"{self.indicator} → {self.department} ({self.effective_from})"


class VetoIncident(models.Model):
    """An incident that triggers a one-vote veto (一票否决) for a unit in a month."""

    month = models.CharField(_("月份"), max_length=7, validators=[_valid_month])
    unit_kind = models.CharField(_("单位类型"), max_length=16, choices=UnitKindChoices.choices)
    unit = models.CharField(_("单位代码"), max_length=24)
    veto = models.CharField(_("否决事项"), max_length=48, default="customer_data_leak")
    description = models.TextField(_("情况说明"))
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    recorded_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month", "unit_kind", "unit"]
        verbose_name = _("一票否决事项")
        verbose_name_plural = _("一票否决事项")

    def __str__(self) -> str:
        return f"{self.month} {self.unit} {self.veto}"
