"""A hotline plan's page: the requirement per interval and tier, the forecast's check on the
held-back week, the simulation check, and the two things to do with it (simulate, roster)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.lib.formats import number, percent
from sqm.planning import services
from sqm.planning.access import can_plan
from sqm.planning.core.hotline import simulate_hotline
from sqm.planning.core.targets import target_met
from sqm.planning.models import Plan
from sqm.planning.web import charts
from sqm.planning.web.common import (
    plan_or_404,
    planner_only,
    setting_rows,
    viewer_required,
)
from sqm.planning.web.forms import ScheduleForm, SimulationForm


def _labels() -> dict[str, str]:
    return {
        "vip": _("VIP 来电"),
        "ordinary": _("普通来电"),
        "agents": _("在线座席(接电话)"),
        "scheduled": _("排班座席(含折损)"),
        "calls_axis": _("预测来电(每时段)"),
        "agents_axis": _("座席"),
        "actual": _("实际"),
        "forecast": _("预测"),
        "naive": _("季节性朴素预测"),
        "calls_per_day": _("来电(每天)"),
        "service_axis": _("及时接通比例(%)"),
    }


def _simulation_rows(simulation: dict[str, Any]) -> list[dict[str, Any]]:
    """Simulated beside promised and the target, per tier."""
    simulated, promised, targets = (
        simulation["simulated"],
        simulation["promised"],
        simulation["targets"],
    )
    rows = []
    for key, label in (
        ("vip_service_level", _("VIP 服务水平")),
        ("ordinary_service_level", _("普通客户服务水平")),
        ("vip_abandon", _("VIP 放弃率")),
        ("ordinary_abandon", _("普通客户放弃率")),
    ):
        value, target = simulated.get(key), targets.get(key)
        met = target_met(key, value, target)
        rows.append(
            {
                "key": key,
                "label": label,
                "simulated": percent(value),
                "promised": percent(promised.get(key)),
                "target": percent(target),
                "met": met,
            }
        )
    return rows


def _simulation_context(simulation: dict[str, Any] | None) -> dict[str, Any]:
    if not simulation:
        return {"simulation": None}
    simulated = simulation["simulated"]
    return {
        "simulation": simulation,
        "simulation_rows": _simulation_rows(simulation),
        "simulation_facts": [
            (_("仿真进入 IVR 的来电"), number(simulation.get("ivr_calls"))),
            (_("仿真排队来电"), number(simulation["calls"])),
            (_("平均应答时长(秒)"), number(simulated.get("asa_s"), 1)),
            (_("最长等待(秒)"), number(simulated.get("longest_wait_s"), 0)),
            (_("接通比例"), percent(simulated.get("answered_share"))),
            (_("仿真次数 / 随机种子"), f"{simulation['runs']} / {simulation['seed']}"),
        ],
        "simulation_chart": charts.simulated_service(simulation, _labels()),
    }


def hotline_context(plan: Plan, request: HttpRequest) -> dict[str, Any]:
    payload = plan.payload
    history = payload.get("history") or {}
    ivr = payload.get("ivr") or {}
    error = payload.get("forecast_error")
    labels = _labels()
    context: dict[str, Any] = {
        "requirement_chart": charts.hotline_requirement(payload, labels),
        "targets": setting_rows([plan]),
        "history_facts": [
            (_("学习的历史"), f"{history.get('first', '—')}..{history.get('last', '—')}"),
            (_("历史来电(排队)"), number(history.get("calls"))),
            (_("其中放弃"), number(history.get("abandoned"))),
            (_("平均处理时长(秒)"), number(history.get("aht_s"), 1)),
            (_("平均耐心时长(秒)"), number(payload.get("patience_s"), 1)),
            (_("月末来电系数"), number(history.get("month_end_factor"), 3)),
            (_("进入 IVR 的来电"), number(ivr.get("calls"))),
            (_("IVR 转人工比例"), percent(ivr.get("to_agent"))),
            (_("IVR 平均停留(秒)"), number(ivr.get("mean_s"), 1)),
        ],
        "forecast_error": error,
        "may_simulate": can_plan(request.user, plan.kind),
        "may_schedule": can_plan(request.user, Plan.Kind.SCHEDULE),
        "simulation_form": SimulationForm(),
        "schedule_form": ScheduleForm(),
    }
    if error:
        context["error_facts"] = [
            (_("预测 WAPE"), percent(error.get("wape"))),
            (_("季节性朴素预测 WAPE"), percent(error.get("naive_wape"))),
            (_("MAPE"), percent(error.get("mape"))),
            (_("分组 WAPE(层级×队列)"), percent(error.get("group_wape"))),
            (_("分组季节性朴素 WAPE"), percent(error.get("group_naive_wape"))),
        ]
        context["error_chart"] = charts.forecast_check(error, labels)
    context["queue_rows"] = _queue_rows(payload.get("queues") or {})
    context.update(_simulation_context(plan.simulation))
    return context


def _queue_label(key: str) -> str:
    if key == "0":
        return _("欢迎语直接转人工")
    if key == "9":
        return _("VIP 专线")
    return _("IVR 菜单 %(key)s") % {"key": key}


def _queue_rows(queues: dict[str, list[float]]) -> list[dict[str, Any]]:
    """The forecast by queue (IVR main-menu branch): calls, share, busiest interval."""
    totals = {key: sum(calls) for key, calls in queues.items()}
    whole = sum(totals.values())
    return [
        {
            "key": key,
            "label": _queue_label(key),
            "calls": number(totals[key]),
            "share": percent(totals[key] / whole if whole else None),
            "peak": number(max(calls, default=0.0), 1),
        }
        for key, calls in sorted(queues.items(), key=lambda item: -totals[item[0]])
    ]


@viewer_required
@require_POST
def simulate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk, kind=Plan.Kind.HOTLINE)
    planner_only(request, plan.kind)
    form = SimulationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("仿真参数不正确:%(errors)s") % {"errors": form.errors.as_text()})
        return redirect("planning:plan", pk=plan.pk)
    try:
        result = simulate_hotline(
            plan.payload, seed=form.cleaned_data["seed"], runs=form.cleaned_data["runs"]
        )
    except ValueError as error:
        messages.error(request, _("无法仿真:%(error)s") % {"error": error})
    else:
        services.record_simulation(plan, result)
        messages.success(
            request, _("已完成仿真验证(%(calls)s 个来电)") % {"calls": number(result["calls"])}
        )
    return redirect(reverse("planning:plan", args=[plan.pk]) + "#simulation")


@viewer_required
@require_POST
def schedule(request: HttpRequest, pk: int) -> HttpResponse:
    plan = plan_or_404(request, pk, kind=Plan.Kind.HOTLINE)
    planner_only(request, Plan.Kind.SCHEDULE)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("排班参数不正确:%(errors)s") % {"errors": form.errors.as_text()})
        return redirect("planning:plan", pk=plan.pk)
    data = form.cleaned_data
    try:
        payload = services.roster_plan(
            plan.payload, agents=data["agents"], time_limit_s=float(data["time_limit"])
        )
    except ValueError as error:
        messages.error(request, _("无法生成排班:%(error)s") % {"error": error})
        return redirect("planning:plan", pk=plan.pk)
    parameters = {
        "period": (plan.parameters or {}).get("period"),
        "agents": data["agents"],
        "time_limit_s": data["time_limit"],
    }
    name = data["name"] or _("%(name)s 的排班") % {"name": plan.name}
    saved = services.save_plan(
        payload, name=name, parameters=parameters, user=request.user, based_on=plan
    )
    messages.success(request, _("已生成排班“%(name)s”") % {"name": saved.name})
    return redirect("planning:plan", pk=saved.pk)
