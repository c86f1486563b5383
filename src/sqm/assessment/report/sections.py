"""The monthly report's sections, each built from the month's figures (``figures``) into the
neutral ``model``. Section titles are the report's table of contents and its sheet names.

A branch version shows that branch beside the province and never another branch's figures:
its tables have two rows (the branch, the province) and its ranks are the branch's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqm.assessment.report import figures
from sqm.assessment.report.model import Chart, Column, Report, Section, Table, Tone, unit_kind
from sqm.indicators import services as indicators
from sqm.indicators.core.spec import UNIT_LABELS, Indicator
from sqm.org.models import Branch, Department

if TYPE_CHECKING:
    from sqm.lib.people import Requester


PROVINCE_NAME = "全省"

# The figures the leadership reads first (seed 002/003's targets: VIP 85/15, FCR 90 %,
# VIP reach 80 %, retention 92 %, hall ≤ 10 min, 48 h first reply).
KEY_INDICATORS = (
    "satisfaction_overall_score",
    "complaints_per_10k_customers",
    "complaint_escalation_rate",
    "appeals_per_million_customers",
    "complaint_first_reply_48h_rate",
    "hotline_service_level_15s",
    "hotline_first_contact_resolution_rate",
    "vip_manager_reach_rate",
    "vip_quarterly_retention_rate",
    "hall_served_within_10min_rate",
)


@dataclass(frozen=True, slots=True)
class Context:
    user: Requester
    month: str
    previous: str
    branch: Branch | None  # a branch version's branch
    branches: Sequence[Branch]  # all 13, in the province's order
    this: figures.Month
    last: figures.Month

    @property
    def places(self) -> list[tuple[str, str]]:
        """(code, name) of the rows a table shows: the province, then the branches in scope."""
        shown = [self.branch] if self.branch is not None else list(self.branches)
        return [(figures.PROVINCE, PROVINCE_NAME)] + [(b.code, b.name_zh) for b in shown]

    @property
    def scope_name(self) -> str:
        return self.branch.name_zh if self.branch is not None else PROVINCE_NAME

    @property
    def month_name(self) -> str:
        year, number = self.month.split("-")
        return f"{year}年{int(number)}月"

    @property
    def here(self) -> str:
        return self.branch.code if self.branch is not None else figures.PROVINCE


def entries() -> dict[str, Indicator]:
    return {i.id: i for i in indicators.catalog()}


def change(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else now - before


def better(entry: Indicator, delta: float | None) -> bool | None:
    if delta is None or delta == 0 or entry.direction == "neutral":
        return None
    return (delta > 0) == (entry.direction == "higher")


def indicator_table(ctx: Context, ids: Sequence[str], caption: str | None = None) -> Table:
    """One row per place (province first), one column per indicator, lit by the pages' rule."""
    catalog = entries()
    chosen = [catalog[i] for i in ids if i in catalog]
    columns = [Column("单位")] + [Column(e.name_zh, unit_kind(e.unit)) for e in chosen]
    rows: list[list[Any]] = []
    tones: list[list[Tone | None]] = []
    for code, name in ctx.places:
        rows.append([name] + [ctx.this.value(e.id, code) for e in chosen])
        tone: list[Tone | None] = [None]
        tones.append(tone + [figures.light_of(e, ctx.this, code) for e in chosen])
    return Table(columns, rows, tones, caption)


def no_figures(ctx: Context) -> str:
    return (
        f"{ctx.month} 尚无指标计算结果：先运行 `sqm compute --period {ctx.month}`"
        "（`sqm demo` 会自动计算）。"
    )


# -- 1 summary -----------------------------------------------------------------------------
def summary(ctx: Context) -> Section:
    section = Section("概况", "本月概况")
    if ctx.this.empty:
        section.note = no_figures(ctx)
        return section
    catalog = entries()
    here = ctx.here
    columns = [Column("指标"), Column("单位"), Column("本月", "number2")]
    if ctx.branch is not None:
        columns += [Column("全省", "number2")]
    columns += [Column("目标", "number2"), Column("上月", "number2"), Column("较上月", "signed")]
    if ctx.branch is not None:
        columns += [Column("全省排名")]
    rows: list[list[Any]] = []
    tones: list[list[Tone | None]] = []
    met: list[str] = []
    missed: list[str] = []
    moves: list[tuple[float, Indicator, float | None, bool]] = []
    for indicator_id in KEY_INDICATORS:
        entry = catalog.get(indicator_id)
        now = ctx.this.get(indicator_id, here)
        if entry is None or now is None:
            continue
        before = ctx.last.value(indicator_id, here)
        delta = change(now.value, before)
        row: list[Any] = [
            entry.name_zh,
            UNIT_LABELS.get(entry.unit, ("", ""))[0],
            _rounded(now.value),
        ]
        if ctx.branch is not None:
            row.append(_rounded(ctx.this.value(indicator_id)))
        row += [_rounded(now.target), _rounded(before), _rounded(delta)]
        if ctx.branch is not None:
            ranked = figures.branch_ranks(ctx.month, indicator_id)
            rank = ranked.get(here)
            row.append(f"{rank} / {len(ranked)}" if rank else "—")
        rows.append(row)
        lit: Tone | None = figures.light_of(entry, ctx.this, here)
        tones.append([lit] + [None] * (len(columns) - 1))
        if now.target is not None and now.status is not None:
            (met if now.status == "met" else missed).append(entry.name_zh)
        if better(entry, delta) is not None and before:
            moves.append((abs(delta or 0) / abs(before), entry, delta, bool(better(entry, delta))))
    section.tables.append(Table(columns, rows, tones, "颜色：绿=达标，黄=接近，红=未达标"))
    section.sentences = _summary_sentences(ctx, met, missed, moves)
    return section


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _summary_sentences(
    ctx: Context,
    met: list[str],
    missed: list[str],
    moves: list[tuple[float, Indicator, float | None, bool]],
) -> list[str]:
    """Three sentences written from the figures: targets, the biggest move, the red figures."""
    sentences = []
    if met or missed:
        text = (
            f"{ctx.scope_name}{ctx.month_name}有目标的 {len(met) + len(missed)} 项关键指标中"
            f" {len(met)} 项达标"
        )
        text += f"，未达标的是{'、'.join(missed)}。" if missed else "，全部达标。"
        sentences.append(text)
    else:
        sentences.append(
            f"{ctx.scope_name}{ctx.month_name}的关键指标均无适用目标，以全省水平为参照。"
        )
    if moves:
        moves.sort(key=lambda m: m[0], reverse=True)
        _share, entry, delta, improved = moves[0]
        verb = "改善" if improved else "恶化"
        sentences.append(
            f"与上月相比变化最大的是{entry.name_zh}，{'上升' if (delta or 0) > 0 else '下降'}"
            f" {abs(delta or 0):.2f}（{verb} {_share:.1%}）。"
        )
    else:
        sentences.append(f"上月（{ctx.previous}）无可比数据，本月起建立基线。")
    branches = {ctx.branch.code} if ctx.branch is not None else None
    red = indicators.missed_targets(ctx.month, branches=branches, include_province=False)
    if ctx.branch is not None:
        shown = "、".join(dict.fromkeys(m.name for m in red)) or "无"
        sentences.append(f"本分公司亮红灯的指标共 {len(red)} 项：{_clip(shown)}。")
    else:
        per_branch: dict[str, int] = {}
        for m in red:
            per_branch[m.branch or ""] = per_branch.get(m.branch or "", 0) + 1
        names = {b.code: b.name_zh for b in ctx.branches}
        worst = sorted(per_branch.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        listed = "、".join(f"{names.get(c, c)}（{n} 项）" for c, n in worst)
        sentences.append(
            f"各分公司共有 {len(red)} 个红灯指标，最多的是{listed}。"
            if red
            else "各分公司无红灯指标。"
        )
    return sentences


def _clip(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- 2 indicator matrix ------------------------------------------------------------------------
def matrix(ctx: Context) -> Section:
    section = Section("指标矩阵", "指标矩阵")
    if ctx.this.empty:
        section.note = no_figures(ctx)
        return section
    groups = figures.groups()
    lit = figures.matrix(ctx.this, [code for code, _name in ctx.places])
    columns = [Column("单位")]
    for _group, label in groups:
        columns += [Column(f"{label}（绿/黄/红）")]
    columns += [Column("红灯数", "count"), Column("绿灯占比", "share")]
    rows: list[list[Any]] = []
    tones: list[list[Tone | None]] = []
    for code, name in ctx.places:
        row: list[Any] = [name]
        tone: list[Tone | None] = [None]
        reds = greens = judged = 0
        for group, _label in groups:
            cell = lit.get((code, group))
            if cell is None or not cell.judged:
                row.append("—")
                tone.append(None)
                continue
            row.append(f"{cell.green}/{cell.amber}/{cell.red}")
            tone.append(cell.light)
            reds, greens, judged = reds + cell.red, greens + cell.green, judged + cell.judged
        row += [reds, greens / judged if judged else None]
        tone += [None, None]
        rows.append(row)
        tones.append(tone)
    table = Table(columns, rows, tones, "格子颜色：红灯超过 20% 为红，无红且黄灯不超过 20% 为绿")
    section.tables.append(table)
    section.charts.append(Chart("各单位红灯指标数", table, 0, [len(groups) + 1]))
    section.sentences.append(
        "每格为该单位该组指标中绿灯、黄灯、红灯的个数；有目标的指标按目标评价，其余与全省比较。"
    )
    return section


# -- 3 complaints ----------------------------------------------------------------------------
COMPLAINT_INDICATORS = (
    "complaints_count",
    "complaints_per_10k_customers",
    "complaint_escalation_rate",
    "appeals_per_million_customers",
    "complaint_repeat_rate",
    "complaint_first_reply_48h_rate",
    "complaint_double_refund_compliance_rate",
)


def complaints(ctx: Context) -> Section:
    from sqm.assessment.report import work_orders

    section = Section("投诉", "投诉分析")
    if ctx.this.empty:
        section.note = no_figures(ctx)
    else:
        table = indicator_table(ctx, COMPLAINT_INDICATORS)
        section.tables.append(table)
        if ctx.branch is None:
            section.charts.append(Chart("各分公司万客户投诉率", table, 0, [2]))
        now = ctx.this.value("complaints_per_10k_customers", ctx.here)
        before = ctx.last.value("complaints_per_10k_customers", ctx.here)
        text = f"{ctx.scope_name}本月万客户投诉率 {_fmt(now)}"
        delta = change(now, before)
        text += f"，上月 {_fmt(before)}，变化 {delta:+.2f}。" if delta is not None else "。"
        section.sentences.append(text)
    section.tables.extend(work_orders.tables(ctx))
    return section


def _fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


# -- 9 the 13+N ranking ----------------------------------------------------------------------
def ranking(ctx: Context) -> Section:
    from sqm.assessment.report import ranking as scores

    return scores.section(ctx)


# -- 10 next month's focus -------------------------------------------------------------------
def focus(ctx: Context, built: Sequence[Section]) -> Section:
    """What to work on next month: the red figures by accountable department, the open cases,
    the overdue actions — each line names who owns it."""
    section = Section("下月重点", "下月工作重点")
    branches = {ctx.branch.code} if ctx.branch is not None else None
    red = indicators.missed_targets(ctx.month, branches=branches)
    by_department: dict[str, dict[str, int]] = {}
    for m in red:
        by_department.setdefault(m.department, {})
        by_department[m.department][m.name] = by_department[m.department].get(m.name, 0) + 1
    names = {d.code: d.name_zh for d in Department.objects.all()}
    ordered = sorted(by_department.items(), key=lambda kv: -sum(kv[1].values()))
    for department, missed in ordered[:6]:
        top = sorted(missed.items(), key=lambda kv: -kv[1])[:4]
        listed = "、".join(f"{name}（{n} 处）" for name, n in top)
        section.bullets.append(f"{names.get(department, department)}：压降红灯指标 {listed}。")
    for part in built:
        section.bullets.extend(part.follow_up)
    if not section.bullets:
        section.bullets.append("本月无红灯指标，保持现有服务水平并跟踪上月整改效果。")
    section.sentences.append("以下按责任部门列出本月未达标（红灯）指标，作为下月改进与考核的重点。")
    return section


def report(ctx: Context) -> Report:
    from sqm.assessment.report import more

    built: list[Section] = [
        summary(ctx),
        matrix(ctx),
        complaints(ctx),
        more.tracing(ctx),
        more.improvement(ctx),
        more.satisfaction(ctx),
        more.hotline_and_halls(ctx),
        more.spam(ctx),
        ranking(ctx),
    ]
    built.append(focus(ctx, built))
    return Report(ctx.month, ctx.branch.code if ctx.branch else None, ctx.scope_name, built)
