"""Pages of focus-problem projects (PDCA, gate reviews, tasks, the bound indicator charted
against its target since the start) and of go-live checklists of new products."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.improvement import services
from sqm.improvement.choices import CaseResultChoices, StageChoices
from sqm.improvement.core.pdca import MOVES, Stage
from sqm.improvement.web.forms import LaunchForm, ProjectForm, TaskForm
from sqm.lib import charts
from sqm.lib.people import SignedInRequest
from sqm.lib.refusals import BAD_INPUT, STATE_CONFLICT
from sqm.org.permissions import users_who

project_viewer = users_who(services.can_view_projects)
launch_viewer = users_who(services.can_view_launches)
manager_required = users_who(services.can_manage_projects)
REFUSALS = (services.ImprovementError, services.GateRefused)


def _status(error: Exception) -> int:
    return STATE_CONFLICT if isinstance(error, services.GateRefused) else BAD_INPUT


@project_viewer
def projects(
    request: SignedInRequest, form: ProjectForm | None = None, status: int = 200
) -> HttpResponse:
    shown = services.visible_projects(request.user).select_related("department", "branch")
    return render(
        request,
        "improvement/projects.html",
        {
            "section": "projects",
            "projects": list(shown),
            "form": form or ProjectForm(),
            "may_manage": services.can_manage_projects(request.user),
        },
        status=status,
    )


@require_POST
@manager_required
def create_project(request: SignedInRequest) -> HttpResponse:
    form = ProjectForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            project = services.create_project(
                request.user,
                title=data["title"],
                indicator=data["indicator"],
                baseline=data["baseline"],
                target=data["target"],
                goal_date=data["goal_date"],
                department=data["department"],
                branch=data["branch"] or None,
                case_number=data["case_number"],
            )
        except services.ImprovementError as error:
            form.add_error(None, str(error))
        else:
            return redirect("improvement:project", pk=project.pk)
    messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
    return projects(request, form=form, status=BAD_INPUT)


def _chart(project: Any, trend: Any) -> dict[str, Any] | None:
    if not trend.months:
        return None
    figure = go.Figure()
    figure.add_trace(
        go.Scatter(
            x=trend.months,
            y=trend.values,
            mode="lines+markers",
            name=_("实际值"),
            line={"color": charts.HOUSE},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=trend.months,
            y=[project.target] * len(trend.months),
            mode="lines",
            name=_("目标值"),
            line={"color": charts.GOOD, "dash": "dash"},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=trend.months,
            y=[project.baseline] * len(trend.months),
            mode="lines",
            name=_("基线值"),
            line={"color": charts.GREY, "dash": "dot"},
        )
    )
    return charts.figure_json(figure, 300, xaxis={"type": "category"})


@project_viewer
def project(request: SignedInRequest, pk: int, status: int = 200) -> HttpResponse:
    try:
        found = services.get_project(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    trend = services.trend(request.user, found)
    return render(
        request,
        "improvement/project.html",
        {
            "section": "projects",
            "project": found,
            "stages": [(s.value, StageChoices.label(s)) for s in Stage],
            "moves": [(s.value, StageChoices.label(s)) for s in MOVES[Stage(found.stage)]],
            "tasks": list(found.tasks.select_related("owner_department")),
            "reviews": list(found.reviews.all()),
            "trend": trend,
            "chart": _chart(found, trend),
            "task_form": TaskForm(),
            "may_manage": services.can_manage_projects(request.user),
        },
        status=status,
    )


def _project_step(request: SignedInRequest, pk: int, run: Any) -> HttpResponse:
    try:
        run()
    except REFUSALS as error:
        messages.error(request, str(error))
        return project(request, pk, status=_status(error))
    except ObjectDoesNotExist:
        raise Http404 from None
    return redirect("improvement:project", pk=pk)


@require_POST
@manager_required
def review(request: SignedInRequest, pk: int) -> HttpResponse:
    return _project_step(
        request,
        pk,
        lambda: services.review(
            request.user,
            pk,
            request.POST.get("stage", ""),
            note=request.POST.get("note", ""),
            approved=request.POST.get("approved") == "on",
        ),
    )


@require_POST
@manager_required
def add_task(request: SignedInRequest, pk: int) -> HttpResponse:
    form = TaskForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
        return project(request, pk, status=BAD_INPUT)
    return _project_step(
        request,
        pk,
        lambda: services.add_task(
            request.user,
            pk,
            title=form.cleaned_data["title"],
            deadline=form.cleaned_data["deadline"],
        ),
    )


@require_POST
@manager_required
def evaluation(request: SignedInRequest, pk: int) -> HttpResponse:
    return _project_step(
        request, pk, lambda: services.set_evaluation(request.user, pk, request.POST.get("text", ""))
    )


@launch_viewer
def launches(
    request: SignedInRequest, form: LaunchForm | None = None, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "improvement/launches.html",
        {
            "section": "launches",
            "launches": list(services.visible_launches(request.user).select_related("department")),
            "form": form or LaunchForm(),
            "may_manage": services.can_manage_projects(request.user),
        },
        status=status,
    )


@require_POST
@manager_required
def create_launch(request: SignedInRequest) -> HttpResponse:
    form = LaunchForm(request.POST)
    if form.is_valid():
        try:
            made = services.create_launch(request.user, **form.cleaned_data)
        except services.ImprovementError as error:
            form.add_error(None, str(error))
        else:
            return redirect("improvement:launch", pk=made.pk)
    messages.error(request, _("填写有误：%(e)s") % {"e": form.errors.as_text()})
    return launches(request, form=form, status=BAD_INPUT)


@launch_viewer
def launch(request: SignedInRequest, pk: int, status: int = 200) -> HttpResponse:
    try:
        found = services.get_launch(request.user, pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    return render(
        request,
        "improvement/launch.html",
        {
            "section": "launches",
            "launch": found,
            "cases": list(found.cases.all()),
            "results": CaseResultChoices.choices,
            "may_manage": services.can_manage_projects(request.user),
        },
        status=status,
    )


@require_POST
@manager_required
def launch_action(request: SignedInRequest, pk: int) -> HttpResponse:
    post = request.POST
    what = post.get("what", "")

    def run() -> Any:
        if what == "case":
            return services.add_case(
                request.user, pk, title=post.get("title", ""), expected=post.get("expected", "")
            )
        if what == "result":
            return services.record_result(
                request.user,
                pk,
                int(post.get("case", "0")),
                result=post.get("result", ""),
                observed=post.get("observed", ""),
            )
        return services.launch_step(request.user, pk, what, reason=post.get("reason", ""))

    try:
        run()
    except (*REFUSALS, ValueError) as error:
        messages.error(request, str(error))
        return launch(request, pk, status=_status(error))
    except ObjectDoesNotExist:
        raise Http404 from None
    return redirect("improvement:launch", pk=pk)
