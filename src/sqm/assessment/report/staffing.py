"""Staffing plan against actual: every saved hotline and halls plan that staffs days of the
month (``sqm.planning.services.plans_for_month``), its planned demand, staff, occupancy and
service beside the month's actual figures for the same place.

The plan's figures are for its days inside the month; the actual figures are the month's
(the results table keeps months), so demand is compared per day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqm.assessment.report import figures
from sqm.assessment.report.model import Chart, Column, Section, Table, Tone
from sqm.assessment.report.months import month_period
from sqm.planning import services as planning

if TYPE_CHECKING:
    from sqm.assessment.report.sections import Context

# The indicator that measures a plan's promise, by its answer (call) threshold in seconds.
HOTLINE_LEVELS = {15.0: "hotline_service_level_15s", 20.0: "hotline_service_level_20s"}
HALL_LEVELS = {600.0: "hall_served_within_10min_rate"}
PLANS_SHOWN = 8
HOW_TO_SAVE = "sqm plan hotline --period … --save 名称 / sqm plan halls --period … --save 名称"


def plan_vs_actual(ctx: Context, section: Section) -> None:
    """Adds the hotline and the halls tables (or says why there are none) to ``section``."""
    if not planning.can_view(ctx.user):
        section.sentences.append("当前角色无权查看人力方案，未列出排班方案与实际的对比。")
        return
    branch = ctx.branch.code if ctx.branch is not None else None
    month_days = month_period(ctx.month).days
    hotline = planning.plans_for_month(ctx.user, ctx.month, "hotline", branch=branch)
    halls = planning.plans_for_month(ctx.user, ctx.month, "halls", branch=branch)
    if not hotline and not halls:
        section.sentences.append(
            f"本月没有覆盖 {ctx.month} 的已保存排班方案，无法对比计划与实际（{HOW_TO_SAVE}）。"
        )
        return
    if hotline:
        table = _hotline_table(ctx, hotline[:PLANS_SHOWN], month_days)
        section.tables.append(table)
        section.charts.append(Chart("热线日均人工来话：计划与实际", table, 0, [3, 4]))
        section.sentences.append(_sentence(ctx, hotline[0], month_days, "人工来话", "通"))
    if halls:
        table = _halls_table(ctx, halls[:PLANS_SHOWN], month_days)
        section.tables.append(table)
        section.sentences.append(_sentence(ctx, halls[0], month_days, "到厅客户", "人"))


def _place(ctx: Context, plan: planning.MonthPlan) -> tuple[str, str]:
    if plan.branch is None:
        return figures.PROVINCE, "全省"
    names = {b.code: b.name_zh for b in ctx.branches}
    return plan.branch, names.get(plan.branch, plan.branch)


def _per_day(value: float | None, days: int) -> float | None:
    return None if value is None else value / days


def _percent(share: float | None) -> float | None:
    return None if share is None else share * 100


def _tone(actual: float | None, target: float) -> Tone | None:
    if actual is None:
        return None
    return "green" if actual >= target * 100 else "red"


def _hotline_table(ctx: Context, plans: list[planning.MonthPlan], month_days: int) -> Table:
    rows: list[list[Any]] = []
    tones: list[list[Tone | None]] = []
    for plan in plans:
        part = plan.part
        code, name = _place(ctx, plan)
        level_id = HOTLINE_LEVELS.get(part.threshold_s)
        actual_level = ctx.this.value(level_id, code) if level_id else None
        rows.append(
            [
                plan.name,
                name,
                len(part.days),
                part.per_day(part.demand),
                _per_day(ctx.this.value("hotline_queued", code), month_days),
                part.per_day(part.staff_hours),
                part.peak_staff,
                _percent(part.occupancy),
                ctx.this.value("hotline_occupancy_rate", code),
                f"{part.target:.0%} / {part.threshold_s:g} 秒",
                _percent(part.planned_level),
                actual_level,
            ]
        )
        tones.append([None] * 11 + [_tone(actual_level, part.target)])
    return Table(
        [
            Column("方案"),
            Column("单位"),
            Column("本月天数", "count"),
            Column("日均人工来话（计划）", "number1"),
            Column("日均人工来话（实际）", "number1"),
            Column("日均坐席工时（计划）", "number1"),
            Column("峰值坐席（计划）", "count"),
            Column("坐席占用率（计划）", "percent"),
            Column("坐席占用率（实际）", "percent"),
            Column("服务水平目标"),
            Column("服务水平（计划）", "percent"),
            Column("服务水平（实际）", "percent"),
        ],
        rows,
        tones,
        caption="热线排班方案与实际：计划为方案在本月内各天的预测与坐席，实际为本月指标"
        "（排队转人工的来话，按日平均）；服务水平为重要客户目标时限内接通的比例",
    )


def _halls_table(ctx: Context, plans: list[planning.MonthPlan], month_days: int) -> Table:
    rows: list[list[Any]] = []
    tones: list[list[Tone | None]] = []
    for plan in plans:
        part = plan.part
        code, name = _place(ctx, plan)
        level_id = HALL_LEVELS.get(part.threshold_s)
        actual_level = ctx.this.value(level_id, code) if level_id else None
        rows.append(
            [
                plan.name,
                name,
                len(part.days),
                part.per_day(part.demand),
                _per_day(ctx.this.value("hall_visits", code), month_days),
                part.per_day(part.staff_hours),
                part.peak_staff,
                f"{part.target:.0%} / {part.threshold_s / 60:g} 分钟",
                _percent(part.planned_level),
                actual_level,
            ]
        )
        tones.append([None] * 9 + [_tone(actual_level, part.target)])
    return Table(
        [
            Column("方案"),
            Column("单位"),
            Column("本月天数", "count"),
            Column("日均到厅（计划）", "number1"),
            Column("日均到厅（实际）", "number1"),
            Column("日均窗口工时（计划）", "number1"),
            Column("峰值窗口（计划）", "count"),
            Column("叫号目标"),
            Column("时限内叫号率（计划）", "percent"),
            Column("时限内叫号率（实际）", "percent"),
        ],
        rows,
        tones,
        caption="营业厅人力方案与实际：计划为方案在本月内各天的预测与开放窗口，实际为本月指标",
    )


def _sentence(ctx: Context, plan: planning.MonthPlan, month_days: int, what: str, unit: str) -> str:
    part = plan.part
    code, name = _place(ctx, plan)
    indicator = "hotline_queued" if part.kind == "hotline" else "hall_visits"
    levels = HOTLINE_LEVELS if part.kind == "hotline" else HALL_LEVELS
    planned = part.per_day(part.demand) or 0.0
    actual = _per_day(ctx.this.value(indicator, code), month_days)
    text = f"最新方案“{plan.name}”（{name}，本月 {len(part.days)} 天）"
    text += f"计划日均{what} {planned:,.0f} {unit}"
    if actual is not None:
        text += f"，本月实际日均 {actual:,.0f} {unit}"
        if planned:
            text += f"（{actual / planned - 1:+.0%}）"
    level_id = levels.get(part.threshold_s)
    level = ctx.this.value(level_id, code) if level_id else None
    if level is not None:
        verdict = "达到" if level >= part.target * 100 else "未达到"
        measure = "服务水平" if part.kind == "hotline" else "时限内叫号率"
        text += f"；实际{measure} {level:.1f}%，{verdict}方案目标 {part.target:.0%}"
    return text + "。"
