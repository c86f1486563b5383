"""The 13+N pages' Excel tables: headers and rows of what each page shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.translation import gettext as _

from sqm.assessment.choices import ReasonChoices, RuleChoices, UnitKindChoices
from sqm.assessment.core.outcome import UnitResult
from sqm.lib.excel import Sheet
from sqm.lib.language import pick


def _ranking_row(u: UnitResult) -> list[Any]:
    veto = pick(u.veto_name_zh, u.veto_name_en) if u.veto else ""
    return [
        u.rank,
        pick(u.name_zh, u.name_en),
        u.unit,
        u.score,
        u.performance,
        u.bonus,
        u.penalty,
        veto,
        u.change,
        u.rank_change,
        u.year_to_date,
    ]


def ranking(units: Sequence[UnitResult]) -> list[Sheet]:
    headers = [
        _("排名"),
        _("单位"),
        _("代码"),
        _("得分"),
        _("指标得分"),
        _("加分"),
        _("扣分"),
        _("一票否决"),
        _("较上月"),
        _("名次变化"),
        _("年度累计"),
    ]
    sheets = []
    for kind in ("branch", "department"):
        rows = [_ranking_row(u) for u in units if u.kind == kind]
        if rows:
            sheets.append(Sheet(UnitKindChoices.label(kind), headers, rows))
    return sheets or [Sheet(_("分公司"), headers, [])]


def scorecard(unit: UnitResult) -> list[Sheet]:
    items = Sheet(
        _("考核指标"),
        [
            _("指标"),
            _("代码"),
            _("客户级别"),
            _("计分规则"),
            _("实际值"),
            _("目标值"),
            _("保底值"),
            _("权重"),
            _("得分"),
            _("失分"),
            _("认责部门"),
            _("说明"),
        ],
        [
            [
                pick(i.name_zh, i.name_en),
                i.indicator,
                "+".join(i.tiers),
                RuleChoices.label(i.rule),
                i.value,
                i.target,
                i.floor,
                round(i.weight, 2),
                i.points,
                i.lost,
                i.department,
                ReasonChoices.label(i.note) if i.note else "",
            ]
            for i in unit.items
        ],
    )
    adjustments = Sheet(
        _("加扣分"),
        [_("事项"), _("类型"), _("计量值"), _("分值"), _("说明")],
        [
            [
                pick(a.name_zh, a.name_en),
                _("加分") if a.kind == "bonus" else _("扣分"),
                a.quantity,
                a.points,
                ReasonChoices.label(a.reason) if a.reason else "",
            ]
            for a in unit.adjustments
        ],
    )
    return [items, adjustments]
