"""The 13+N ranking section: the month's assessment (``sqm.assessment.services.assess``) as the
ranking pages show it — branches by rank, then the departments. A branch version shows only
the branch's own line (its rank among the 13 included) and what cost it the most points."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqm.assessment import services as assessment
from sqm.assessment.choices import ReasonChoices
from sqm.assessment.report.model import Chart, Column, Section, Table

if TYPE_CHECKING:
    from sqm.assessment.report.sections import Context

KINDS = {"branch": "分公司", "department": "省公司部门"}
COLUMNS = [
    Column("排名", "count"),
    Column("单位"),
    Column("得分", "number2"),
    Column("上月得分", "number2"),
    Column("得分变化", "signed"),
    Column("排名变化", "signed"),
    Column("加分", "number2"),
    Column("扣分", "number2"),
    Column("一票否决"),
    Column("年累计均分", "number2"),
]


def _row(unit: Any) -> list[Any]:
    return [
        unit.rank,
        unit.name_zh,
        unit.score,
        unit.previous_score,
        unit.change,
        unit.rank_change,
        unit.bonus,
        unit.penalty,
        unit.veto_name_zh or "",
        unit.year_to_date,
    ]


def section(ctx: Context) -> Section:
    found = Section("13+N排名", "“13+N”考核排名")
    try:
        result = assessment.assess(ctx.month)
    except assessment.NoFigures:
        found.note = f"{ctx.month} 尚无指标结果，无法计分。"
        return found
    units = assessment.visible_units(ctx.user, result)
    if ctx.branch is not None:
        units = [u for u in units if u.kind == "branch" and u.unit == ctx.branch.code]
    found.sentences.append(
        f"计分方案：{result.scheme_name}（{result.scheme_version}）。"
        "得分 = 各项得分之和 + 加分 − 扣分；触发一票否决的，当月得分按否决规则计。"
    )
    for kind, label in KINDS.items():
        ranked = sorted(
            (u for u in units if u.kind == kind), key=lambda u: (u.rank, -u.score, u.unit)
        )
        if not ranked:
            continue
        table = Table(
            COLUMNS,
            [_row(u) for u in ranked],
            caption=f"{label}排名（共 {ranked[0].of} 个）",
        )
        found.tables.append(table)
        if kind == "branch" and ctx.branch is None:
            found.charts.append(Chart("各分公司考核得分", table, 1, [2]))
    if ctx.branch is not None and units:
        own = units[0]
        found.sentences.append(
            f"{own.name_zh}本月得分 {own.score:.2f}，在 {own.of} 个分公司中排第 {own.rank} 名。"
        )
        costly = sorted(own.items, key=lambda i: -i.lost)[:5]
        found.tables.append(
            Table(
                [
                    Column("失分最多的考核项"),
                    Column("实际值", "number2"),
                    Column("目标", "number2"),
                    Column("权重", "number1"),
                    Column("得分", "number2"),
                    Column("失分", "number2"),
                ],
                [[i.name_zh, i.value, i.target, i.weight, i.points, i.lost] for i in costly],
            )
        )
        if costly and costly[0].lost > 0:
            found.follow_up.append(
                f"考核：{own.name_zh}失分最多的是{'、'.join(i.name_zh for i in costly[:3])}。"
            )
    if result.unassessed and ctx.branch is None:
        found.bullets += [
            f"未考核：{u.name_zh}（{ReasonChoices.label(u.reason)}）" for u in result.unassessed
        ]
    return found
