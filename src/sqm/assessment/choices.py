"""The assessment's choice sets: unit kinds, scoring rules and why a quantity is missing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import Choice, ChoiceSet


class UnitKindChoices(ChoiceSet):
    CHOICES = (Choice("branch", _("分公司")), Choice("department", _("省公司部门")))


class RuleChoices(ChoiceSet):
    CHOICES = (
        Choice("linear", _("线性(保底值至目标值)")),
        Choice("full_zero", _("达标得满分,否则不得分")),
        Choice("rank", _("按13个分公司排名")),
    )


class ReasonChoices(ChoiceSet):
    """Why an item or an adjustment's quantity has no figure."""

    CHOICES = (
        Choice("no_figure", _("本月无该指标数据")),
        Choice("not_measured", _("未计量")),
        Choice("improvement_unavailable", _("改进管理尚未提供超期督办统计")),
        Choice("not_offered", _("改进管理未按分公司统计超期督办")),
        Choice("no_promise_register", _("服务承诺登记尚未建立,暂按0计")),
        Choice("no_accountable_item", _("本月没有认责于该部门的考核指标")),
    )
