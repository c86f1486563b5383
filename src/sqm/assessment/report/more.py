"""The report's sections that read the tracing, improvement, satisfaction, planning and spam
apps (each through its ``services``), within the reader's scope."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q

from sqm.assessment.report import figures
from sqm.assessment.report import staffing as staffing_plans
from sqm.assessment.report.model import Chart, Column, Section, Table
from sqm.assessment.report.sections import indicator_table, no_figures
from sqm.improvement import services as improvement_services
from sqm.org.models import Department
from sqm.spam import services as spam_services
from sqm.spam.core.workflow import Status
from sqm.tracing import services as tracing_services
from sqm.tracing.core.stages import OPEN_STAGES
from sqm.voc import services as voc

if TYPE_CHECKING:
    from sqm.assessment.report.sections import Context

CASES_SHOWN = 12


# -- 4 tracing -------------------------------------------------------------------------------
def tracing(ctx: Context) -> Section:
    section = Section("溯源", "投诉溯源：信号与案例")
    signals = tracing_services.visible_signals(ctx.user).filter(month=ctx.month)
    if ctx.branch is not None:
        signals = signals.filter(branch=ctx.branch.code)
    model = signals.model
    kinds = Counter(signals.values_list("kind", flat=True))
    statuses = Counter(signals.values_list("status", flat=True))
    if kinds:
        rows = [[model(kind=k).get_kind_display(), n] for k, n in kinds.most_common()]
        table = Table([Column("信号类型"), Column("信号数", "count")], rows)
        section.tables.append(table)
        section.charts.append(Chart("本月各类信号数", table, 0, [1]))
        shown = "，".join(
            f"{model(status=s).get_status_display()} {n} 个" for s, n in statuses.items()
        )
        section.sentences.append(f"本月检测到异常信号 {sum(kinds.values())} 个：{shown}。")
    else:
        section.sentences.append(
            f"本月没有检测到信号（`sqm trace detect --month {ctx.month}` 运行后才有）。"
        )
    start, end = figures.month_bounds(ctx.month)
    # The month's cases: opened from its signals (often in the days after it closes), with
    # their fix taking effect in it, or opened before its end and open or worked on during it.
    worked = Q(created_at__lt=end) & (
        Q(stage__in=[s.value for s in OPEN_STAGES]) | Q(updated_at__gte=start)
    )
    fixed = Q(intervention_date__gte=start.date(), intervention_date__lt=end.date())
    cases = tracing_services.visible_cases(ctx.user).filter(
        Q(signals__month=ctx.month) | fixed | worked
    )
    if ctx.branch is not None:
        cases = cases.filter(branches__code=ctx.branch.code)
    rows = []
    for case in cases.distinct().prefetch_related("branches").order_by("-created_at")[:CASES_SHOWN]:
        effect = tracing_services.effect(case)
        rows.append(
            [
                case.number,
                case.title,
                case.get_stage_display(),
                case.get_root_cause_class_display() if case.root_cause_class else "—",
                "、".join(b.name_zh for b in case.branches.all()) or "全省",
                _effect(effect),
            ]
        )
    if rows:
        section.tables.append(
            Table(
                [
                    Column("单号"),
                    Column("标题"),
                    Column("阶段"),
                    Column("根因"),
                    Column("涉及分公司"),
                    Column("整改效果（投诉变化，95% 区间）"),
                ],
                rows,
                caption="效果：整改日前后各 28 天，涉及分公司对比其余分公司的投诉变化（双重差分）",
            )
        )
        still_open = sum(1 for r in rows if r[2] != "已关闭")
        if still_open:
            section.follow_up.append(
                f"投诉溯源：跟进 {still_open} 个未关闭的溯源案例直至效果验证。"
            )
    else:
        section.sentences.append("本月没有进行中的溯源案例。")
    return section


def _effect(effect: Any) -> str:
    if effect is None:
        return "未设整改日期"
    if effect.effect is None or math.isnan(effect.effect):
        return "样本不足"
    return f"{effect.effect:+.0%}（{effect.ci_low:+.0%} … {effect.ci_high:+.0%}）"


# -- 5 improvement actions -------------------------------------------------------------------
def improvement(ctx: Context) -> Section:
    """Completion and overdue actions by department (``improvement.services.department_stats``:
    the items due in the month, counted at its end)."""
    section = Section("改进", "改进措施落实")
    stats = getattr(improvement_services, "department_stats", None)
    if stats is None:
        section.note = "暂无数据：改进管理模块尚未提供部门统计（department_stats）。"
        return section
    found = sorted(stats(ctx.month).values(), key=lambda d: (-d.overdue, d.department))
    if not found:
        section.note = "暂无数据：本月没有到期的改进措施。"
        return section
    names = {d.code: d.name_zh for d in Department.objects.all()}
    table = Table(
        [
            Column("部门"),
            Column("本月到期", "count"),
            Column("按期完成", "count"),
            Column("完成率", "share"),
            Column("逾期", "count"),
            Column("本月关闭", "count"),
            Column("平均关闭天数", "number1"),
        ],
        [
            [
                names.get(d.department, d.department),
                d.due,
                d.completed_on_time,
                d.completion_rate,
                d.overdue,
                d.closed,
                d.mean_days_to_close,
            ]
            for d in found
        ],
        caption="省公司各部门的改进措施：本月到期的措施按期验证的比例，逾期按月末计",
    )
    section.tables.append(table)
    section.charts.append(Chart("各部门逾期措施数", table, 0, [4]))
    due = sum(d.due for d in found)
    done = sum(d.completed_on_time for d in found)
    late = [d for d in found if d.overdue]
    section.sentences.append(
        f"本月到期改进措施 {due} 项，按期完成 {done} 项"
        + (f"（{done / due:.1%}）" if due else "")
        + f"，逾期 {sum(d.overdue for d in late)} 项。"
    )
    if late:
        listed = "、".join(
            f"{names.get(d.department, d.department)}（{d.overdue} 项）" for d in late
        )
        section.follow_up.append(f"改进措施：{listed}有逾期措施，须限期完成。")
    return section


# -- 6 satisfaction --------------------------------------------------------------------------
def satisfaction(ctx: Context) -> Section:
    section = Section("满意度", "客户满意度")
    branches = [ctx.branch.code] if ctx.branch is not None else None
    found = voc.full_report(
        settings.DATA_DIR, [ctx.previous, ctx.month], branches, with_provider_gaps=False
    )
    index_rows = [
        [m["month"], m.get("index"), m.get("overall_score"), m["respondents"]]
        for m in found["index"].get("months", [])
    ]
    if index_rows:
        section.tables.append(
            Table(
                [
                    Column("月份"),
                    Column("满意度指数", "number1"),
                    Column("总体评分（0–100）", "number1"),
                    Column("样本", "count"),
                ],
                index_rows,
            )
        )
    drivers = found["drivers"].get("factors", [])[:6]
    if drivers:
        section.tables.append(
            Table(
                [
                    Column("优先改进要素"),
                    Column("重要性", "share"),
                    Column("表现（0–100）", "number1"),
                ],
                [[d["name_zh"], d["importance"], d["performance"]] for d in drivers],
                caption="驱动因素：按“重要且表现弱”排序",
            )
        )
        section.follow_up.append(
            f"满意度：优先改进{'、'.join(d['name_zh'] for d in drivers[:3])}。"
        )
    gaps = sorted(found["gaps"], key=lambda g: g["gap"])[:6]
    if gaps:
        names = {d["factor"]: d["name_zh"] for d in found["drivers"].get("factors", [])}
        section.tables.append(
            Table(
                [
                    Column("要素"),
                    Column("期望", "number2"),
                    Column("感知", "number2"),
                    Column("差距", "number2"),
                ],
                [
                    [
                        names.get(g["factor"], g["factor"]),
                        g["expectation"],
                        g["perception"],
                        g["gap"],
                    ]
                    for g in gaps
                ],
                caption="期望与感知差距最大的要素（差距为负：未达期望）",
            )
        )
    if ctx.this.empty:
        section.note = no_figures(ctx)
        return section
    verdicts = figures.competitor_verdicts(ctx.this, ctx.here)
    total = sum(verdicts.values())
    if total:
        shares = {v: verdicts.get(v, 0) / total for v in ("lead", "par", "lag")}
        section.sentences.append(
            f"与竞争对手对标的 {total} 项指标中，领先 {verdicts.get('lead', 0)} 项"
            f"（{shares['lead']:.1%}），持平 {verdicts.get('par', 0)} 项（{shares['par']:.1%}），"
            f"落后 {verdicts.get('lag', 0)} 项（{shares['lag']:.1%}）。"
        )
        section.tables.append(
            Table(
                [Column("对标结论"), Column("指标数", "count"), Column("占比", "share")],
                [
                    ["领先", verdicts.get("lead", 0), shares["lead"]],
                    ["持平", verdicts.get("par", 0), shares["par"]],
                    ["落后", verdicts.get("lag", 0), shares["lag"]],
                ],
            )
        )
    table = indicator_table(ctx, ("satisfaction_overall_score", "satisfaction_gap_to_competitors"))
    section.tables.append(table)
    if ctx.branch is None:
        section.charts.append(Chart("各分公司客户综合满意度", table, 0, [1]))
    return section


# -- 7 hotline and halls ---------------------------------------------------------------------
HOTLINE = (
    "hotline_service_level_15s",
    "hotline_service_level_20s",
    "hotline_abandon_rate",
    "hotline_asa_seconds",
    "hotline_wait_p90_seconds",
    "hotline_first_contact_resolution_rate",
)
HALLS = (
    "hall_visits",
    "hall_mean_wait_minutes",
    "hall_served_within_10min_rate",
    "hall_walkaway_rate",
    "hall_peak_queue_length",
    "hall_counter_utilisation_rate",
)
STAFFING = (
    "hotline_offered",
    "hotline_answered",
    "hotline_aht_seconds",
    "hotline_occupancy_rate",
    "agent_calls_handled",
)


def hotline_and_halls(ctx: Context) -> Section:
    section = Section("热线与营业厅", "热线与营业厅")
    if ctx.this.empty:
        section.note = no_figures(ctx)
        return section
    hotline = indicator_table(ctx, HOTLINE, "热线服务水平与排队")
    halls = indicator_table(ctx, HALLS, "营业厅等候与排队")
    section.tables += [hotline, halls]
    if ctx.branch is None:
        section.charts.append(Chart("各分公司营业厅10分钟内叫号率", halls, 0, [3]))
    staffing = indicator_table(ctx, STAFFING, "人力：话务量、处理时长与坐席占用")
    section.tables.append(staffing)
    staffing_plans.plan_vs_actual(ctx, section)
    return section


# -- 8 spam governance -----------------------------------------------------------------------
FLAGGING_LAG = timedelta(days=7)
REVIEWED = (Status.CONFIRMED, Status.SUSPENDED, Status.APPEALED, Status.RESTORED, Status.UPHELD)


def spam(ctx: Context) -> Section:
    section = Section("垃圾短信", "垃圾短信治理")
    if not spam_services.can_view(ctx.user):
        section.note = "当前角色无权查看垃圾短信治理数据。"
        return section
    start, end = figures.month_bounds(ctx.month)
    # A case belongs to the month its evidence covers (its window's end is exclusive, as
    # ``sqm spam flag --until``: a window ending at the month's first moment is last month's);
    # a case without a recorded window, to the month it was flagged in or the week after
    # (flagging runs over a month's reports once the month has closed).
    in_month = Q(window_start__lt=end, window_end__gt=start) | Q(
        window_start=None, created_at__gte=start, created_at__lt=end + FLAGGING_LAG
    )
    cases = spam_services.visible_cases(ctx.user).filter(in_month)
    if ctx.branch is not None:
        cases = cases.filter(branch__code=ctx.branch.code)
    statuses = Counter(cases.values_list("status", flat=True))
    confirmed = sum(statuses.get(s.value, 0) for s in REVIEWED)
    rejected = statuses.get(Status.REJECTED.value, 0)
    suspended = cases.filter(suspension__isnull=False).count()
    appeals = spam_services.visible_appeals(ctx.user).filter(case__in=cases)
    wrongful = appeals.filter(outcome="granted").count()
    reviewed = confirmed + rejected
    model = cases.exclude(model_version=None).order_by("-created_at").first()
    metrics = model.model_version.metrics if model is not None else {}
    counts: list[list[Any]] = [
        ["模型标记的发送方（案例）", sum(statuses.values())],
        ["已审核", reviewed],
        ["审核确认为垃圾短信", confirmed],
        ["审核排除（误报）", rejected],
        ["已停机", suspended],
        ["申诉", appeals.count()],
        ["申诉成立（错误停机）", wrongful],
    ]
    rates: list[list[Any]] = [
        ["审核确认率（模型实际精确率）", confirmed / reviewed if reviewed else None],
        ["模型交叉验证精确率", _precision(metrics)],
        ["错误停机率", wrongful / suspended if suspended else None],
    ]
    section.tables.append(Table([Column("项目"), Column("数量", "count")], counts))
    section.tables.append(Table([Column("项目"), Column("比率", "share")], rates))
    section.sentences.append(
        f"本月模型标记 {sum(statuses.values())} 个发送方，人工审核 {reviewed} 个，"
        f"确认 {confirmed} 个、排除 {rejected} 个；"
        f"停机 {suspended} 个，其中申诉成立 {wrongful} 个。"
    )
    if not ctx.this.empty:
        section.tables.append(indicator_table(ctx, ("spam_reports_received",), "客户举报量"))
    return section


def _precision(metrics: Mapping[str, Any]) -> float | None:
    for key in ("threshold", "at_threshold", "cross_validated"):
        part = metrics.get(key)
        if isinstance(part, Mapping) and isinstance(part.get("precision"), int | float):
            return float(part["precision"])
    value = metrics.get("precision")
    return float(value) if isinstance(value, int | float) else None
