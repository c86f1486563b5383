"""Pages of tracing cases: the list (and its Excel export), and a case with its complaints,
timeline, root cause, measures, stages, impact and effect. Another branch's case is a 404."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.events.core.store import EventStore
from sqm.lib.excel import wants_xlsx, xlsx_response
from sqm.lib.people import SignedInRequest
from sqm.org.scoping import scope_of
from sqm.tracing import services
from sqm.tracing.choices import StageChoices
from sqm.tracing.core.stages import allowed_stages, stage_of
from sqm.tracing.models import CaseMeasure, TracingCase
from sqm.tracing.web import charts, presentation
from sqm.tracing.web.forms import (
    CaseFilter,
    CaseForm,
    ComplaintsForm,
    MeasureForm,
    MeasureStatusForm,
    OpenCaseForm,
    RootCauseForm,
    StageForm,
)
from sqm.tracing.web.views import chart_labels, viewer_required
from sqm.tracing.workflow import evidence

CASES_SHOWN = 200
COMPLAINTS_SHOWN = 50


@viewer_required
def cases(request: SignedInRequest) -> HttpResponse:
    form = CaseFilter(request.GET or None)
    chosen = form.cleaned_data if form.is_valid() else {}
    shown = services.visible_cases(request.user)
    if chosen.get("stage"):
        shown = shown.filter(stage=chosen["stage"])
    if chosen.get("q"):
        shown = shown.filter(Q(number__icontains=chosen["q"]) | Q(title__icontains=chosen["q"]))
    shown = (
        shown.select_related("lead_department")
        .prefetch_related("branches")
        .annotate(
            n_complaints=Count("complaints", distinct=True),
            n_measures=Count("measures", distinct=True),
        )
        .order_by("-created_at", "-id")
    )
    if wants_xlsx(request):
        return xlsx_response(
            "溯源单.xlsx",
            _("溯源单"),
            [str(h) for h in presentation.CASE_HEADERS],
            presentation.case_sheet_rows(shown),
        )
    scope = scope_of(request.user)
    names = presentation.branch_names(None if scope.province_wide else scope.branches)
    return render(
        request,
        "tracing/cases.html",
        {
            "form": form,
            "cases": shown[:CASES_SHOWN],
            "total": shown.count(),
            "may_write": services.can_write(request.user),
            "open_form": OpenCaseForm(branches=names),
            "query": request.GET.urlencode(),
        },
    )


def visible_case(request: SignedInRequest, number: str) -> TracingCase:
    try:
        return services.get_case(request.user, number)
    except TracingCase.DoesNotExist:
        raise Http404 from None


def _effect(case: TracingCase) -> tuple[Any, dict[str, Any] | None, str]:
    """The effect, its chart and, when it cannot be measured, why."""
    if case.intervention_date is None:
        return None, None, _("填写整改生效日期后显示整改效果")
    if not case.category or not case.branches.exists():
        return None, None, _("溯源单须有影响分公司和感知要素才能评估效果")
    result = services.effect(case)
    if result is None:
        return None, None, ""
    chart = charts.effect_chart(result.series, result.start, result.days, chart_labels())
    return result, chart, ""


@viewer_required
def case_detail(request: SignedInRequest, number: str) -> HttpResponse:
    case = visible_case(request, number)
    search = request.GET.get("q", "").strip()
    found = []
    if search:
        branches = scope_of(request.user).branches
        found = evidence.search_complaints(EventStore(settings.DATA_DIR), search, branches)
    effect, effect_chart, effect_note = _effect(case)
    here = stage_of(case.stage)
    return render(
        request,
        "tracing/case.html",
        {
            "case": case,
            "branches": presentation.case_branches(case),
            "team": list(case.team_departments.all()),
            "signals": presentation.signal_rows(case.signals.all()),
            "complaints": list(case.complaints.select_related("work_order")[:COMPLAINTS_SHOWN]),
            "complaints_shown": COMPLAINTS_SHOWN,
            "complaint_count": case.complaints.count(),
            "events": list(case.events.all()),
            "measures": list(case.measures.select_related("owner_department", "owner")),
            "moves": [(s.value, StageChoices.label(s)) for s in allowed_stages(here)],
            "impact": services.impact(case),
            "effect": effect,
            "effect_pct": None if effect is None or math.isnan(effect.effect) else effect.effect,
            "effect_chart": effect_chart,
            "effect_note": effect_note,
            "satisfaction": services.satisfaction(case) if effect is not None else None,
            "search": search,
            "found": found,
            "may_write": services.can_write(request.user),
            "case_form": CaseForm(initial=_initial(case)),
            "cause_form": RootCauseForm(initial=_cause(case)),
            "measure_form": MeasureForm(),
            "measure_statuses": CaseMeasure.Status.choices,
            "stage_form": StageForm(),
            "children": list(services.visible_cases(request.user).filter(parent=case)),
        },
    )


def _initial(case: TracingCase) -> dict[str, Any]:
    fields = ("title", "description", "affected_service", "affected_product", "category")
    return {**{f: getattr(case, f) for f in fields}, "intervention_date": case.intervention_date}


def _cause(case: TracingCase) -> dict[str, Any]:
    return {
        "root_cause_class": case.root_cause_class,
        "root_cause_text": case.root_cause_text,
        "lead_department": case.lead_department.code if case.lead_department else "",
        "team": [d.code for d in case.team_departments.all()],
    }


Step = Callable[[SignedInRequest, TracingCase], str]


def _step(request: SignedInRequest, number: str, step: Step) -> HttpResponse:
    """Run one write on a visible case: the message it returns, or the rule's refusal."""
    case = visible_case(request, number)
    if not services.can_write(request.user):
        raise PermissionDenied
    try:
        done = step(request, case)
        if done:
            messages.success(request, done)
    except (services.TracingError, services.IllegalStageChange, ValueError) as error:
        messages.error(request, str(error))
    except PermissionDenied as error:
        messages.error(request, str(error) or _("无权执行此操作"))
    anchor = request.POST.get("anchor", "")
    target = redirect("tracing:case", number=case.number)
    target["Location"] += f"#{anchor}" if anchor.isidentifier() else ""
    return target


def _invalid(form: Any) -> str:
    raise services.TracingError(_("填写有误:%(e)s") % {"e": form.errors.as_text()})


@require_POST
@viewer_required
def update(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        form = CaseForm(request.POST)
        if not form.is_valid():
            return _invalid(form)
        services.update_case(request.user, case.number, **form.cleaned_data)
        return _("已保存")

    return _step(request, number, step)


@require_POST
@viewer_required
def root_cause(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        form = RootCauseForm(request.POST)
        if not form.is_valid():
            return _invalid(form)
        data = form.cleaned_data
        services.set_root_cause(
            request.user,
            case.number,
            data["root_cause_class"],
            data["root_cause_text"],
            lead_department=data["lead_department"],
            team=data["team"],
        )
        return _("已认定根因")

    return _step(request, number, step)


@require_POST
@viewer_required
def add_measure(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        form = MeasureForm(request.POST)
        if not form.is_valid():
            return _invalid(form)
        data = form.cleaned_data
        services.add_measure(
            request.user,
            case.number,
            data["title"],
            owner_department=data["owner_department"] or None,
            owner=request.user,
            deadline=data["deadline"],
        )
        return _("已新增措施")

    return _step(request, number, step)


@require_POST
@viewer_required
def update_measure(request: SignedInRequest, number: str, measure: int) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        form = MeasureStatusForm(request.POST)
        if not form.is_valid():
            return _invalid(form)
        try:
            services.update_measure(
                request.user, case.number, measure, status=form.cleaned_data["status"]
            )
        except case.measures.model.DoesNotExist:
            raise Http404 from None
        return _("已更新措施")

    return _step(request, number, step)


@require_POST
@viewer_required
def move(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        form = StageForm(request.POST)
        if not form.is_valid():
            return _invalid(form)
        moved = services.move_stage(
            request.user, case.number, form.cleaned_data["stage"], form.cleaned_data["note"]
        )
        return _("阶段已变更为「%(s)s」") % {"s": moved.get_stage_display()}

    return _step(request, number, step)


@require_POST
@viewer_required
def add_complaints(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        form = ComplaintsForm(request.POST)
        if not form.is_valid():
            return _invalid(form)
        added = services.add_complaints(request.user, case.number, form.id_list())
        return _("已添加 %(n)d 条投诉") % {"n": added}

    return _step(request, number, step)


@require_POST
@viewer_required
def remove_complaint(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        complaint = request.POST.get("complaint", "")
        services.remove_complaint(request.user, case.number, complaint)
        return _("已移除投诉 %(id)s") % {"id": complaint}

    return _step(request, number, step)


@require_POST
@viewer_required
def note(request: SignedInRequest, number: str) -> HttpResponse:
    def step(request: SignedInRequest, case: TracingCase) -> str:
        services.add_note(request.user, case.number, request.POST.get("text", ""))
        return _("已添加备注")

    return _step(request, number, step)


def _numbers(text: str) -> list[str]:
    return [n for n in text.replace("，", ",").replace("、", ",").replace(",", " ").split() if n]


@require_POST
@viewer_required
def group(request: SignedInRequest, number: str) -> HttpResponse:
    """Put other cases under this one (TMF656 problemGroup): each keeps its record, points to
    this case, and both timelines say so."""

    def step(request: SignedInRequest, case: TracingCase) -> str:
        children = _numbers(request.POST.get("children", ""))
        if not children:
            raise services.TracingError(_("请填写要并入的溯源单号"))
        try:
            services.group(request.user, case.number, children)
        except TracingCase.DoesNotExist:
            raise services.TracingError(
                _("找不到溯源单 %(n)s") % {"n": "、".join(children)}
            ) from None
        return _("已并入 %(n)s") % {"n": "、".join(children)}

    return _step(request, number, step)


@require_POST
@viewer_required
def ungroup(request: SignedInRequest, number: str) -> HttpResponse:
    """Take this case out of its problem group (TMF656 problemUngroup)."""

    def step(request: SignedInRequest, case: TracingCase) -> str:
        services.ungroup(request.user, [case.number])
        return _("已移出问题组")

    return _step(request, number, step)
