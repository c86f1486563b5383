"""What every planning page shares: the access check, the plan lookup (404 outside the
user's plans, sqm.planning.access), and the summary figures of each kind, formatted."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from sqm.lib.formats import number, percent
from sqm.lib.language import localized_name
from sqm.org.permissions import users_who
from sqm.planning.access import can_plan, can_view, visible_plans
from sqm.planning.choices import PlanKind
from sqm.planning.models import Plan

if TYPE_CHECKING:
    from sqm.lib.people import Requester


WEEKDAYS = (_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日"))
SHIFT_NAMES = {
    "early": _("早班"),
    "day": _("白班"),
    "mid": _("中班"),
    "late": _("午班"),
    "evening": _("晚班"),
    "night": _("夜班"),
}
STATUS_NAMES = {
    "optimal": _("最优"),
    "feasible": _("可行(达到求解时限)"),
    "trivial": _("未求得排班"),
}


viewer_required = users_who(can_view)


def planner_only(request: HttpRequest, kind: str) -> None:
    if not can_plan(request.user, kind):
        raise PermissionDenied


def plan_or_404(request: HttpRequest, pk: int, **filters: Any) -> Plan:
    plan: Plan = get_object_or_404(visible_plans(request.user), pk=pk, **filters)
    return plan


# -- figures ---------------------------------------------------------------------------------


def status_name(value: Any) -> str:
    return str(STATUS_NAMES.get(value, value)) if value else "—"


def shift_name(value: str) -> str:
    return str(SHIFT_NAMES.get(value, value))


@dataclass(frozen=True, slots=True)
class Figure:
    key: str
    label: Any
    show: Callable[[Any], str]
    headline: bool = False  # shown in the index's list


SUMMARY: dict[str, tuple[Figure, ...]] = {
    PlanKind.HOTLINE: (
        Figure("calls", _("预测来电"), number, True),
        Figure("vip_share", _("VIP 占比"), percent),
        Figure("peak_agents", _("峰值在线座席"), number, True),
        Figure("peak_scheduled", _("峰值排班座席"), number, True),
        Figure("agent_hours", _("在线座席工时"), number),
        Figure("scheduled_hours", _("排班工时"), number, True),
    ),
    PlanKind.SCHEDULE: (
        Figure("agents_working", _("上班座席"), number, True),
        Figure("shifts", _("班次数"), number, True),
        Figure("shift_cost", _("班次成本"), number, True),
        Figure("short_agent_intervals", _("缺口(座席·时段)"), number, True),
        Figure("status", _("求解状态"), status_name),
        Figure("gap", _("与最优的差距"), percent),
    ),
    PlanKind.HALLS: (
        Figure("halls", _("营业厅"), number, True),
        Figure("visits", _("预测到厅"), number, True),
        Figure("counter_hours", _("柜台工时"), number, True),
        Figure("collector_hours", _("收费员工时"), number),
        Figure("hours_short", _("未达标小时"), number, True),
    ),
    PlanKind.BILLING: (
        Figure("peak_before", _("调整前峰值负荷"), number),
        Figure("peak_after", _("调整后峰值负荷"), number),
        Figure("peak_cut", _("峰值下降"), percent, True),
        Figure("counters_before", _("调整前柜台"), number),
        Figure("counters_after", _("调整后柜台"), number),
        Figure("counters_saved", _("节省柜台"), number, True),
        Figure("agents_before", _("调整前座席"), number),
        Figure("agents_after", _("调整后座席"), number),
        Figure("agents_saved", _("节省座席"), number, True),
    ),
}


def figures(plan: Plan, *, headline: bool = False) -> list[dict[str, Any]]:
    summary = plan.summary or {}
    return [
        {"key": f.key, "label": f.label, "value": f.show(summary.get(f.key))}
        for f in SUMMARY.get(plan.kind, ())
        if f.headline or not headline
    ]


def period_label(plan: Plan) -> str:
    """The days a plan covers; a roster, its hotline plan's; billing has none."""
    parameters = plan.parameters or {}
    if parameters.get("period"):
        return str(parameters["period"])
    if plan.kind == PlanKind.BILLING:
        days = parameters.get("bill_days") or []
        if days:
            return str(_("出账日 %(days)s")) % {"days": "/".join(str(d) for d in days)}
        if parameters.get("cycles"):
            return str(_("%(n)s 期出账")) % {"n": parameters["cycles"]}
    return "—"


def days_of(first_day: str, days: int) -> list[date]:
    first = date.fromisoformat(first_day)
    return [first + timedelta(days=d) for d in range(days)]


def branch_label(plan: Plan) -> str:
    return localized_name(plan.branch) if plan.branch_id else str(_("全省"))


def author(plan: Plan) -> str:
    user = plan.created_by
    if user is None:
        return "—"
    return str(user.get_full_name() or user.get_username())


def listing(user: Requester) -> QuerySet[Plan]:
    """The user's plans without their payloads (a hall plan's runs to hundreds of kB)."""
    return visible_plans(user).defer("payload", "simulation")


def plan_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    """What every plan page shows at the top: the plan, where it came from, what came of it."""
    visible = visible_plans(request.user)
    based_on = (
        visible.filter(pk=plan.based_on_id).defer("payload").first()
        if plan.based_on_id is not None
        else None
    )
    derived = list(listing(request.user).filter(based_on=plan))
    return {
        "plan": plan,
        "period": period_label(plan),
        "branch_label": branch_label(plan),
        "author": author(plan),
        "summary": figures(plan),
        "based_on": based_on,
        "derived": derived,
    }


SETTINGS: dict[str, tuple[Any, Callable[[Any], str]]] = {
    "interval_minutes": (_("时段长度(分钟)"), number),
    "weeks": (_("学习的历史周数"), number),
    "vip_target": (_("VIP 服务水平目标"), percent),
    "vip_threshold_s": (_("VIP 接通时限(秒)"), number),
    "ordinary_target": (_("普通客户服务水平目标"), percent),
    "ordinary_threshold_s": (_("普通客户接通时限(秒)"), number),
    "max_ordinary_abandon": (_("普通客户放弃率上限"), percent),
    "shrinkage": (_("人力折损率"), percent),
    "max_occupancy": (_("座席占用率上限"), percent),
    "patience_s": (_("平均耐心时长(秒)"), number),
    "target": (_("10 分钟内办结比例目标"), percent),
    "threshold_s": (_("等候时限(秒)"), number),
    "collectors": (_("每厅流动收费员"), number),
    "payment_share": (_("缴费业务占比"), percent),
    "cycles": (_("出账周期数"), number),
    "bill_days": (_("出账日"), lambda v: ", ".join(str(d) for d in v) if v else "—"),
    "agents": (_("座席人数"), number),
    "time_limit_s": (_("求解时限(秒)"), number),
}


# Unset means "as estimated from history" (patience): nothing to show beside the others.
UNSET_MEANS_DEFAULT = frozenset({"patience_s"})


def setting_rows(plans: list[Plan]) -> list[dict[str, Any]]:
    """The settings the plans were made with (targets and parameters), one row per setting
    any of them has; settings without a label (e.g. custom shifts) are left out."""
    merged = [{**(p.parameters or {}), **(p.payload.get("targets") or {})} for p in plans]
    rows = []
    for key, (label, show) in SETTINGS.items():
        if key in UNSET_MEANS_DEFAULT and all(m.get(key) is None for m in merged):
            continue
        if any(key in m for m in merged):
            rows.append({"label": label, "values": [show(m.get(key)) for m in merged]})
    return rows
