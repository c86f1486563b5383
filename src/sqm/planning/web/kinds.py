"""The pages of a roster, a hall plan and a billing-cycle plan: what each payload holds, laid
out as tables and Plotly figures (sqm.planning.web.charts)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sqm.lib.formats import number, percent
from sqm.org.models import Hall
from sqm.planning.choices import SolverChoices
from sqm.planning.models import Plan
from sqm.planning.web import charts
from sqm.planning.web.common import (
    WEEKDAYS,
    setting_rows,
    shift_name,
    status_name,
)

# The customer segments of the billing planner (sources.billing_inputs), by their codes.
SEGMENTS = {
    "business": gettext_lazy("商业客户"),
    "family": gettext_lazy("家庭客户"),
    "individual": gettext_lazy("个人客户"),
    "senior": gettext_lazy("老年客户"),
    "youth": gettext_lazy("青年客户"),
    "group": gettext_lazy("集团客户"),
}
DAY_TYPES = {"workday": gettext_lazy("工作日"), "weekend": gettext_lazy("周末")}


def _weekdays() -> list[str]:
    return [str(d) for d in WEEKDAYS]


def schedule_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    payload = plan.payload
    names = {s["name"]: shift_name(s["name"]) for s in payload["shifts"]}
    width = len(str(len(payload["agents"])))
    agents = [
        {
            "label": f"A{i + 1:0{max(width, 3)}d}",
            "days": [names.get(d, d) if d else "" for d in row],
        }
        for i, row in enumerate(payload["agents"])
    ]
    requirement, coverage = payload["requirement"], payload["coverage"]
    per_day = [
        {
            "day": day,
            "need_peak": max(requirement[d], default=0),
            "cover_peak": max(coverage[d], default=0),
            "shifts": sum(counts[d] for counts in payload["shifts_per_day"].values()),
        }
        for d, day in enumerate(_weekdays())
    ]
    rules = payload.get("rules") or {}
    return {
        "weekdays": _weekdays(),
        "agents": agents,
        "shift_rows": [
            {
                "name": names[s["name"]],
                "code": s["name"],
                "start": s["start"],
                "hours": number(s["hours"], 1),
                "cost": number(s["cost"]),
                "counts": payload["shifts_per_day"].get(s["name"], [0] * 7),
            }
            for s in payload["shifts"]
        ],
        "per_day": per_day,
        "uncovered": [
            {**u, "weekday": _weekdays()[u["day"]]} for u in payload.get("uncovered", [])
        ],
        "schedule_facts": [
            (_("求解状态"), status_name(payload.get("status"))),
            (_("与最优的差距"), percent(payload.get("gap"), 2)),
            (_("班次成本"), number(payload.get("shift_cost"))),
            (_("可用座席(名册)"), number(payload.get("roster_size"))),
            (_("求解用时(秒)"), number(payload.get("wall_time_s"), 1)),
            (_("每周至少休息天数"), number(rules.get("min_days_off"))),
            (_("最多连续上班天数"), number(rules.get("max_consecutive_days"))),
            (_("两班之间至少休息(小时)"), number(rules.get("min_rest_hours"), 1)),
        ],
        "coverage_chart": charts.schedule_coverage(
            payload,
            _weekdays(),
            {
                "requirement": _("需求(排班座席)"),
                "coverage": _("排班覆盖"),
                "agents_axis": _("座席"),
            },
        ),
    }


def _districts() -> dict[str, str]:
    return {str(k): str(v) for k, v in Hall._meta.get_field("district").choices or ()}


def halls_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    payload = plan.payload
    days = payload.get("days_list") or []
    try:
        day = int(request.GET.get("day", "0"))
    except ValueError:
        day = 0
    day = day if 0 <= day < len(days) else 0
    districts = _districts()
    halls = payload["halls"]
    rows = [
        {
            "code": h["code"],
            "name": h["name"],
            "district": h["district"],
            "district_label": districts.get(h["district"], h["district"]),
            "counters": h["counters"],
            "service_min": number(h["service_s"] / 60, 1),
            "visits": number(h["visits"]),
            "counter_hours": number(h["counter_hours"]),
            "collector_hours": number(h["collector_hours"]),
            "peak_servers": h["peak_servers"],
            "hours_short": h["hours_short"],
        }
        for h in halls
    ]
    opening = [
        {
            **row,
            "district_label": districts.get(row["district"], row["district"]),
            "day_type_label": str(DAY_TYPES.get(row["day_type"], row["day_type"])),
            "covered": percent(row.get("covered_share")),
            "label": f"{districts.get(row['district'], row['district'])} · "
            f"{DAY_TYPES.get(row['day_type'], row['day_type'])}",
        }
        for row in payload.get("opening_hours", [])
    ]
    weekdays = _weekdays()
    day_links = [
        {"index": i, "label": f"{d[5:]} {weekdays[date.fromisoformat(d).weekday()]}"}
        for i, d in enumerate(days)
    ]
    history = payload.get("history") or {}
    context: dict[str, Any] = {
        "hall_rows": rows,
        "day": day,
        "day_links": day_links,
        "opening": opening,
        "targets": setting_rows([plan]),
        "history_facts": [
            (_("学习的历史"), f"{history.get('first', '—')}..{history.get('last', '—')}"),
            (_("历史到厅"), number(history.get("visits"))),
        ],
    }
    if halls:
        context["heatmap"] = charts.halls_heatmap(
            halls,
            day,
            {"servers": _("柜台+收费员"), "visits": _("到厅"), "hour": _("时段")},
        )
    if opening:
        context["profile_chart"] = charts.opening_profiles(
            opening, {"visits_per_hour": _("每厅每小时到厅")}
        )
    return context


def segment_name(name: str) -> str:
    """``group (day 1)`` → ``集团客户 (day 1)``: the code translated, the rest kept."""
    code, _space, rest = name.partition(" ")
    label = SEGMENTS.get(code)
    return f"{label} {rest}".strip() if label is not None else name


def billing_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    payload = plan.payload
    bill_days = payload.get("bill_days") or []
    summary = payload.get("summary") or {}
    return {
        "bill_days": bill_days,
        "segments": [
            {
                "name": segment_name(s["name"]),
                "customers": number(s["customers"]),
                "fixed": s["fixed"],
                "per_cycle": [number(c) for c in s["per_cycle"]],
            }
            for s in payload.get("segments", [])
        ],
        "cycle_totals": [
            number(sum(s["per_cycle"][i] for s in payload.get("segments", [])))
            for i in range(len(bill_days))
        ],
        "comparison": [
            (
                _("峰值日负荷(到厅+来电)"),
                number(summary.get("peak_before")),
                number(summary.get("peak_after")),
            ),
            (
                _("所需柜台"),
                number(summary.get("counters_before")),
                number(summary.get("counters_after")),
            ),
            (
                _("所需座席"),
                number(summary.get("agents_before")),
                number(summary.get("agents_after")),
            ),
        ],
        "billing_facts": [
            (
                _("现行出账日"),
                ", ".join(str(d) for d in payload.get("current_bill_days", [])) or "—",
            ),
            (_("方案出账日"), ", ".join(str(d) for d in bill_days) or "—"),
            (_("每月天数"), number(payload.get("days_in_month"))),
            (_("学习的历史(月)"), number(payload.get("history_months"), 2)),
            (_("求解方式"), SolverChoices.label(payload.get("solver")) or "—"),
        ],
        "notes": payload.get("notes") or [],
        "load_chart": charts.billing_load(
            payload,
            {
                "before": _("现行出账(调整前)"),
                "after": _("分期出账(调整后)"),
                "peak": _("峰值"),
                "day": _("每月第几天"),
                "load": _("日负荷(到厅+来电)"),
            },
        ),
    }
