"""Computed indicator figures: the OLTP results table the dashboards and the API read.

The engine computes from the event store; ``sqm compute`` (``sqm.indicators.results``) keeps the
figures here, one ``ResultSet`` per period and cut. Recomputing a period replaces its set in one
transaction, so a reader sees the old figures or the new ones, never a mix.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResultSet(models.Model):
    """All indicators of one period cut by one combination of dimensions."""

    period = models.CharField(_("统计周期"), max_length=16)
    cut = models.CharField(_("维度"), max_length=80, blank=True)  # "branch,tier"; "" = province
    engine = models.CharField(_("计算引擎"), max_length=16)
    computed_at = models.DateTimeField(_("计算时间"))
    seconds = models.FloatField(_("耗时(秒)"))
    rows = models.PositiveIntegerField(_("结果行数"))
    skipped = models.JSONField(default=list, blank=True)  # [{"indicator", "reason"}]

    class Meta:
        ordering = ["-period", "cut"]
        verbose_name = _("指标结果集")
        verbose_name_plural = _("指标结果集")
        constraints = [
            models.UniqueConstraint(fields=["period", "cut"], name="one_result_set_per_cut"),
        ]

    def __str__(self) -> str:
        return f"{self.period} [{self.cut or 'province'}]"

    @property
    def dimensions(self) -> tuple[str, ...]:
        return tuple(self.cut.split(",")) if self.cut else ()


def _dimension_field(name: str) -> models.CharField[str | None, str | None]:
    return models.CharField(max_length=40, null=True, blank=True, db_column=f"dim_{name}")


class Result(models.Model):
    """One figure: an indicator, for one operator (us or a competitor), at one cut's values."""

    result_set = models.ForeignKey(ResultSet, on_delete=models.CASCADE, related_name="results")
    indicator = models.CharField(_("指标"), max_length=64)
    operator = models.CharField(_("运营商"), max_length=16, default="us")
    branch = _dimension_field("branch")
    hall = _dimension_field("hall")
    channel = _dimension_field("channel")
    tier = _dimension_field("tier")
    agent = _dimension_field("agent")
    factor = _dimension_field("factor")
    day = _dimension_field("day")
    week = _dimension_field("week")
    month = _dimension_field("month")
    value = models.FloatField(_("值"), null=True)
    numerator = models.FloatField(_("分子"), null=True)
    denominator = models.FloatField(_("分母"), null=True)
    target = models.FloatField(_("目标"), null=True)
    status = models.CharField(_("达标"), max_length=8, null=True)

    class Meta:
        verbose_name = _("指标结果")
        verbose_name_plural = _("指标结果")
        indexes = [
            models.Index(fields=["result_set", "indicator"], name="result_by_indicator"),
            models.Index(fields=["result_set", "branch"], name="result_by_branch"),
        ]

    def dimension_values(self) -> dict[str, str | None]:
        return {d: getattr(self, d) for d in self.result_set.dimensions}
