"""Pages of capacity planning: the list of plans with a form per kind the user may make, one
plan (a template per kind, web.hotline and web.kinds), and plans of a kind side by side.

Every page reads only the plans sqm.planning.access lets the user see; a POST needs
``can_plan`` for the kind it makes. Plans are computed while the planner waits (seconds).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from sqm.planning import services
from sqm.planning.access import can_plan, planning_branch, visible_plans
from sqm.planning.choices import PlanKind, PlanKindChoices
from sqm.planning.core.sources import NoHistory
from sqm.planning.models import Plan
from sqm.planning.web import charts
from sqm.planning.web.common import (
    SUMMARY,
    author,
    branch_label,
    figures,
    listing,
    period_label,
    plan_context,
    plan_or_404,
    planner_only,
    setting_rows,
    viewer_required,
)
from sqm.planning.web.forms import PLAN_FORMS, HallsPlanForm, HotlinePlanForm, PlanForm
from sqm.planning.web.hotline import hotline_context
from sqm.planning.web.kinds import billing_context, halls_context, schedule_context

if TYPE_CHECKING:
    from sqm.lib.people import Requester


LISTED = 50  # latest plans of each kind on the index
MAX_COMPARED = 6
DETAIL = {
    PlanKind.HOTLINE: hotline_context,
    PlanKind.SCHEDULE: schedule_context,
    PlanKind.HALLS: halls_context,
    PlanKind.BILLING: billing_context,
}


def _forms(request: HttpRequest, bound: PlanForm | None = None) -> dict[str, PlanForm]:
    """A blank form for each kind the user may make (``bound`` in place of its blank)."""
    store = services.event_store()
    branch = planning_branch(request.user)
    found: dict[str, PlanForm] = {}
    for kind, form_class in PLAN_FORMS.items():
        if not can_plan(request.user, kind):
            continue
        found[kind] = (
            bound
            if bound is not None and bound.kind == kind
            else form_class(store=store, branch=branch)
        )
    return found


def _groups(request: HttpRequest) -> list[dict[str, Any]]:
    plans = listing(request.user).annotate(
        simulated=ExpressionWrapper(Q(simulation__isnull=False), output_field=BooleanField())
    )
    groups = []
    for kind, label in PlanKindChoices.choices:
        rows = [
            {
                "plan": plan,
                "period": period_label(plan),
                "branch": branch_label(plan),
                "author": author(plan),
                "figures": figures(plan, headline=True),
            }
            for plan in plans.filter(kind=kind)[:LISTED]
        ]
        headers = [f.label for f in SUMMARY[kind] if f.headline]
        groups.append({"kind": kind, "label": label, "rows": rows, "headers": headers})
    return groups


def _create(form: PlanForm, user: Requester) -> Plan:
    """Run the planner for a valid form and save its plan (ValueError when it cannot)."""
    data = form.cleaned_data
    if isinstance(form, HotlinePlanForm) and form.chosen is not None:
        payload = services.hotline_plan(
            form.chosen, form.targets, interval_minutes=data["interval_minutes"]
        )
    elif isinstance(form, HallsPlanForm) and form.chosen is not None:
        payload = services.halls_plan(form.chosen, form.targets, branch=form.plan_branch)
    else:
        payload = services.billing_cycles_plan(cycles=data["cycles"], bill_days=data["days"])
    kind_label = PlanKindChoices.label(form.kind)
    default = f"{kind_label} {data['period']}" if data.get("period") else str(kind_label)
    return services.save_plan(
        payload, name=data.get("name") or default, parameters=form.parameters(), user=user
    )


@viewer_required
def index(request: HttpRequest) -> HttpResponse:
    bound: PlanForm | None = None
    if request.method == "POST":
        kind = request.POST.get("kind", "")
        if kind not in PLAN_FORMS:
            return HttpResponseBadRequest(_("未知的方案类型"))
        planner_only(request, kind)
        bound = PLAN_FORMS[kind](
            request.POST, store=services.event_store(), branch=planning_branch(request.user)
        )
        if bound.is_valid():
            try:
                plan = _create(bound, request.user)
            except NoHistory as error:
                bound.add_error(
                    None, _("事件库中的历史数据不足,无法生成方案:%(error)s") % {"error": error}
                )
            except ValueError as error:
                bound.add_error(None, _("无法生成方案:%(error)s") % {"error": error})
            else:
                messages.success(request, _("已生成方案“%(name)s”") % {"name": plan.name})
                return redirect("planning:plan", pk=plan.pk)
    return render(
        request,
        "planning/index.html",
        {
            "groups": _groups(request),
            "forms": _forms(request, bound),
            "open_kind": bound.kind if bound is not None else "",
            "branch_bound": planning_branch(request.user),
        },
    )


@viewer_required
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    found = plan_or_404(request, pk)
    context = plan_context(found, request)
    context.update(DETAIL[PlanKind(found.kind)](found, request))
    return render(request, f"planning/plan_{found.kind}.html", context)


def _requested_ids(request: HttpRequest) -> list[int]:
    ids: list[int] = []
    for value in request.GET.getlist("ids"):
        if value.strip().isdigit() and int(value) not in ids:
            ids.append(int(value))
    return ids


@viewer_required
def compare(request: HttpRequest) -> HttpResponse:
    ids = _requested_ids(request)
    chosen = {p.pk: p for p in visible_plans(request.user).filter(pk__in=ids)}
    plans = [chosen[i] for i in ids if i in chosen]
    error = ""
    kinds = {p.kind for p in plans}
    if len(plans) < 2:
        error = _("请至少选择两个方案进行比较")
    elif len(plans) > MAX_COMPARED:
        error = _("一次最多比较 %(n)s 个方案") % {"n": MAX_COMPARED}
    elif len(kinds) > 1:
        names = "、".join(PlanKindChoices.label(k) for k in sorted(kinds))
        error = _("只能比较同一类型的方案(所选方案包括:%(kinds)s)") % {"kinds": names}
    context: dict[str, Any] = {"plans": plans, "error": error}
    if not error:
        kind = plans[0].kind
        columns: list[dict[str, Any]] = [
            {
                "plan": p,
                "period": period_label(p),
                "branch": branch_label(p),
                "author": author(p),
                "figures": {f["key"]: f["value"] for f in figures(p)},
            }
            for p in plans
        ]
        context["kind_label"] = PlanKindChoices.label(kind)
        context["columns"] = columns
        context["rows"] = [
            {"label": f.label, "values": [c["figures"][f.key] for c in columns]}
            for f in SUMMARY[kind]
        ]
        context["parameter_rows"] = setting_rows(plans)
        if kind == PlanKind.HOTLINE:
            context["agents_chart"] = charts.compare_agents(
                [{"name": f"#{p.pk} {p.name}", "payload": p.payload} for p in plans],
                {
                    "agents_axis": _("在线座席"),
                    "day_n": _("第 {n} 天"),
                },
            )
    return render(request, "planning/compare.html", context)
