"""How signals and cases read on the pages and in the Excel exports: labels in the active
language, the signal's place in words, masked senders, and the rows of each list."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sqm.indicators import services as indicators
from sqm.lib.language import localized_name
from sqm.org.core.factors import FACTORS
from sqm.org.core.masking import mask_phone
from sqm.org.models import Branch
from sqm.tracing.choices import SignalKindChoices
from sqm.tracing.models import Signal, TracingCase
from sqm.tracing.web.charts import sparkline

PLACE_LABELS = {
    "hall": gettext_lazy("营业厅"),
    "node": gettext_lazy("IVR节点"),
    "channel": gettext_lazy("渠道"),
    "sender": gettext_lazy("发送方"),
    "product": gettext_lazy("产品"),
    "indicator": gettext_lazy("指标"),
}


FACTOR_BY_CODE = {f.code: f for f in FACTORS}


def factor_label(code: str) -> str:
    """A perception factor (the complaints source's category) in the active language."""
    factor = FACTOR_BY_CODE.get(code)
    return localized_name(factor) if factor is not None else code


def factor_choices() -> list[tuple[str, str]]:
    return [(f.code, localized_name(f)) for f in FACTORS]


def branch_names(codes: Iterable[str | None] | None = None) -> dict[str, str]:
    rows = Branch.objects.all()
    if codes is not None:
        rows = rows.filter(code__in={c for c in codes if c})
    return {b.code: localized_name(b) for b in rows}


def indicator_label(code: str) -> str:
    """A catalog indicator by its name in the active language; the rate families' own
    measures (IVR loops, hall waits, e-channel failures) by their code."""
    try:
        return localized_name(indicators.indicator(code))
    except KeyError:
        return code


def kind_label(kind: str) -> str:
    return SignalKindChoices.label(kind)


def place(signal: Signal, names: dict[str, str]) -> str:
    """``南京 · 网络覆盖 · 新小区无覆盖`` — where the signal shows, senders masked."""
    parts = []
    if signal.branch:
        parts.append(names.get(signal.branch, signal.branch))
    elif not (signal.hall or signal.node or signal.channel or signal.sender):
        parts.append(_("全省"))
    if signal.category:
        parts.append(factor_label(signal.category))
    if signal.subcategory:
        parts.append(signal.subcategory)
    for field, label in PLACE_LABELS.items():
        value = getattr(signal, field)
        if value:
            shown = mask_phone(value) if field == "sender" else value
            if field == "indicator":
                shown = indicator_label(value)
            parts.append(f"{label} {shown}")
    return " · ".join(parts)


def signal_rows(signals: Iterable[Signal]) -> list[dict[str, Any]]:
    listed = list(signals)
    names = branch_names(s.branch for s in listed)
    return [
        {
            "signal": s,
            "kind": kind_label(s.kind),
            "place": place(s, names),
            "spark": sparkline(s.series),
            "ratio": (s.observed / s.expected) if s.expected else None,
        }
        for s in listed
    ]


def case_branches(case: TracingCase) -> str:
    return "、".join(localized_name(b) for b in case.branches.all()) or _("全省")


SIGNAL_HEADERS = (
    gettext_lazy("编号"),
    gettext_lazy("类型"),
    gettext_lazy("位置"),
    gettext_lazy("开始"),
    gettext_lazy("结束"),
    gettext_lazy("观测值"),
    gettext_lazy("期望值"),
    gettext_lazy("期望下限"),
    gettext_lazy("期望上限"),
    gettext_lazy("得分"),
    gettext_lazy("p值"),
    gettext_lazy("证据数"),
    gettext_lazy("状态"),
    gettext_lazy("溯源单"),
    gettext_lazy("排除原因"),
)
CASE_HEADERS = (
    gettext_lazy("溯源单号"),
    gettext_lazy("标题"),
    gettext_lazy("阶段"),
    gettext_lazy("影响分公司"),
    gettext_lazy("感知要素"),
    gettext_lazy("根因分类"),
    gettext_lazy("根因说明"),
    gettext_lazy("牵头部门"),
    gettext_lazy("关联投诉"),
    gettext_lazy("整改措施"),
    gettext_lazy("整改生效日期"),
    gettext_lazy("创建时间"),
)


def _local(moment: Any) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def signal_sheet_rows(signals: Iterable[Signal]) -> list[list[Any]]:
    listed = list(signals)
    names = branch_names(s.branch for s in listed)
    rows: list[list[Any]] = []
    for s in listed:
        rows.append([s.pk, kind_label(s.kind), place(s, names), _local(s.start), _local(s.end)])
        rows[-1] += [s.observed, round(s.expected, 3), round(s.expected_low, 3)]
        rows[-1] += [round(s.expected_high, 3), round(s.score, 2), s.p_value, s.evidence_count]
        rows[-1] += [s.get_status_display(), s.case.number if s.case else "", s.dismissed_reason]
    return rows


def case_sheet_rows(cases: Iterable[TracingCase]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for c in cases:
        lead = localized_name(c.lead_department) if c.lead_department else ""
        rows.append([c.number, c.title, c.get_stage_display(), case_branches(c)])
        rows[-1] += [factor_label(c.category) if c.category else ""]
        rows[-1] += [c.get_root_cause_class_display(), c.root_cause_text, lead]
        rows[-1] += [getattr(c, "n_complaints", 0), getattr(c, "n_measures", 0)]
        rows[-1] += [c.intervention_date.isoformat() if c.intervention_date else ""]
        rows[-1] += [_local(c.created_at)]
    return rows
