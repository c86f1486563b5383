"""Pages: the review queue, a case with its evidence, appeals and the model-quality dashboard.

Deciding goes through ``sqm.spam.services`` only; the confirm/reject buttons post with htmx and
get the case's decision panel back (a plain form post, without JavaScript, gets a redirect).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from sqm.lib.refusals import BAD_INPUT, STATE_CONFLICT
from sqm.org.core.masking import mask_phone
from sqm.org.models import Channel
from sqm.org.permissions import users_who
from sqm.spam import quality, services
from sqm.spam.access import can_decide, can_view, visible_appeals, visible_cases
from sqm.spam.core.metrics import reviewer_hours
from sqm.spam.core.workflow import AWAITING_REVIEW, Decision, IllegalTransition, Status
from sqm.spam.models import Appeal, SenderCase, Suspension

if TYPE_CHECKING:
    from sqm.lib.people import Person, SignedInRequest


CASES_SHOWN = 200
TABS: dict[str, tuple[str, ...] | None] = {
    "awaiting": tuple(s.value for s in AWAITING_REVIEW),
    "suspended": (Status.SUSPENDED.value, Status.APPEALED.value, Status.UPHELD.value),
    "closed": (Status.REJECTED.value, Status.RESTORED.value),
    "all": None,
}
TERM_LABELS = {
    "bias": gettext_lazy("基准"),
    "text": gettext_lazy("短信内容"),
    "reporters": gettext_lazy("客户举报"),
    "volume": gettext_lazy("发送量"),
    "recipients": gettext_lazy("接收人数"),
    "night": gettext_lazy("夜间发送"),
    "template": gettext_lazy("模板重复"),
}


viewer_required = users_who(can_view)


@viewer_required
def queue(request: SignedInRequest) -> HttpResponse:
    tab = request.GET.get("status", "awaiting")
    if tab not in TABS:
        tab = "awaiting"
    cases = visible_cases(request.user)
    counts = dict(cases.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    statuses = TABS[tab]
    shown = cases if statuses is None else cases.filter(status__in=statuses)
    shown = shown.select_related("branch", "model_version").order_by("-risk", "id")
    awaiting = sum(counts.get(s, 0) for s in TABS["awaiting"] or ())
    tabs = [
        (key, sum(counts.values()) if sts is None else sum(counts.get(s, 0) for s in sts))
        for key, sts in TABS.items()
    ]
    return render(
        request,
        "spam/queue.html",
        {
            "tab": tab,
            "tabs": tabs,
            "cases": [_row(case) for case in shown[:CASES_SHOWN]],
            "shown": CASES_SHOWN,
            "awaiting": awaiting,
            "awaiting_hours": reviewer_hours(awaiting, quality.minutes_per_case()),
            "can_decide": can_decide(request.user),
        },
    )


def _row(case: SenderCase) -> dict[str, Any]:
    behaviour = case.evidence.get("behaviour", {})
    return {"case": case, "sender": mask_phone(case.sender), "behaviour": behaviour}


def _panel_context(request: SignedInRequest, case: SenderCase) -> dict[str, Any]:
    state = services.core_case(case)
    decided_by_me = any(r.reviewer == str(request.user.pk) for r in state.reviews)
    return {
        "case": case,
        "reviews": list(case.reviews.select_related("reviewer")),
        "confirmations": len(state.confirmers),
        "may_decide": can_decide(request.user)
        and state.status in AWAITING_REVIEW
        and not decided_by_me,
        "decided_by_me": decided_by_me,
    }


@viewer_required
def case_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(visible_cases(request.user).select_related("branch"), pk=pk)
    suspension = Suspension.objects.filter(case=case).first()
    appeal = Appeal.objects.filter(case=case).select_related("decided_by").first()
    evidence = case.evidence or {}
    terms = [
        (TERM_LABELS.get(key, key), value)
        for key, value in sorted(evidence.get("terms", {}).items(), key=lambda kv: -abs(kv[1]))
    ]
    return render(
        request,
        "spam/case_detail.html",
        {
            **_panel_context(request, case),
            "sender": mask_phone(case.sender),
            "evidence": evidence,
            "terms": terms,
            "suspension": suspension,
            "appeal": appeal,
            "may_appeal": can_decide(request.user) and case.status == Status.SUSPENDED.value,
            "channels": Channel.objects.all(),
        },
    )


CONFIRMED = "yes"  # the value of the "I confirm the suspension" box


def confirmation_problem(decision: str, note: str, confirmed: str) -> str:
    """Why a suspension may not go ahead as posted ("" when it may): it stops the number's
    whole service, so the reviewer ticks the confirmation and writes the reason, checked here
    on the server whatever the page's script did."""
    if decision != Decision.CONFIRM.value:
        return ""
    if confirmed != CONFIRMED:
        return _("确认违规并停机前,请勾选确认:停机将停止该号码的全部服务")
    if not note.strip():
        return _("确认违规并停机须填写审核意见(停机理由)")
    return ""


def next_case(user: Person, after: SenderCase) -> SenderCase | None:
    """The case the reviewer goes on to: the next one the queue offers them (riskiest first)
    that they have not decided yet."""
    return (
        visible_cases(user)
        .filter(status__in=TABS["awaiting"] or ())
        .exclude(pk=after.pk)
        .exclude(reviews__reviewer=user)
        .order_by("-risk", "id")
        .first()
    )


def _decided(case: SenderCase, suspended: bool) -> str:
    if suspended:
        return _("案件 %(id)s:已确认违规,已下发停机指令") % {"id": case.pk}
    if case.status == Status.REJECTED.value:
        return _("案件 %(id)s:已驳回,不停机") % {"id": case.pk}
    return _("案件 %(id)s:已确认,等待第二名审核员复核") % {"id": case.pk}


@require_POST
@viewer_required
def review(request: SignedInRequest, pk: int) -> HttpResponse:
    """One decision; after it the reviewer goes on to the next case (or the queue when none
    is left), told what became of this one."""
    if not can_decide(request.user):
        raise PermissionDenied
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    decision = request.POST.get("decision", "")
    note = request.POST.get("note", "")
    error = confirmation_problem(decision, note, request.POST.get("confirmed", ""))
    status = BAD_INPUT if error else 200
    if not error:
        try:
            case = services.review_case(case.pk, request.user, decision, note)
        except IllegalTransition as problem:
            error, status = _("无法审核:") + str(problem), STATE_CONFLICT
        except ValueError as problem:
            error, status = _("无法审核:") + str(problem), BAD_INPUT
    htmx = getattr(request, "htmx", False)
    if error:
        if not htmx:
            messages.error(request, error)
            return redirect("spam:case", pk=case.pk)
        context = _panel_context(request, case)
        context.update(error=error, note=note)
        context["suspension"] = Suspension.objects.filter(case=case).first()
        return render(request, "spam/_decision_panel.html", context, status=status)
    suspended = Suspension.objects.filter(case=case).exists()
    messages.success(request, _decided(case, suspended))
    following = next_case(request.user, case)
    target = reverse("spam:case", args=[following.pk]) if following else reverse("spam:queue")
    if htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@require_POST
@viewer_required
def file_appeal(request: SignedInRequest, pk: int) -> HttpResponse:
    if not can_decide(request.user):
        raise PermissionDenied
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    try:
        services.file_appeal(
            case.pk, request.user, request.POST.get("reason", ""), request.POST.get("channel", "")
        )
        messages.success(request, _("申诉已登记,等待复核"))
    except (IllegalTransition, ValueError) as problem:
        messages.error(request, _("无法登记申诉:") + str(problem))
    return redirect("spam:case", pk=case.pk)


@viewer_required
def appeals(request: SignedInRequest) -> HttpResponse:
    rows = visible_appeals(request.user).select_related(
        "case", "case__branch", "recorded_by", "decided_by", "suspension"
    )
    pending = [a for a in rows if a.outcome == "pending"]
    decided = [a for a in rows if a.outcome != "pending"]
    return render(
        request,
        "spam/appeals.html",
        {
            "pending": [(a, mask_phone(a.case.sender)) for a in pending],
            "decided": [(a, mask_phone(a.case.sender)) for a in decided],
            "can_decide": can_decide(request.user),
        },
    )


@require_POST
@viewer_required
def decide_appeal(request: SignedInRequest, pk: int) -> HttpResponse:
    if not can_decide(request.user):
        raise PermissionDenied
    appeal = get_object_or_404(visible_appeals(request.user), pk=pk)
    grant = request.POST.get("outcome") == "granted"
    try:
        services.decide_appeal(appeal.pk, request.user, grant, request.POST.get("note", ""))
        messages.success(request, _("已复机") if grant else _("维持停机"))
    except (IllegalTransition, ValueError) as problem:
        messages.error(request, _("无法复核:") + str(problem))
    return redirect("spam:appeals")


@viewer_required
def quality_dashboard(request: SignedInRequest) -> HttpResponse:
    cases = visible_cases(request.user)
    weeks = quality.weeks(cases)
    summary = quality.summary(cases)
    latest = weeks[-1] if weeks else None
    confirmed_per_week = latest.confirmed if latest else 0
    labels = {
        "precision": _("审核确认率(精确率)"),
        "wrongful": _("误停率"),
        "hours": _("审核工时"),
        "hours_axis": _("小时"),
        "week": _("周"),
    }
    return render(
        request,
        "spam/quality.html",
        {
            "summary": summary,
            "weeks": weeks,
            "versions": quality.versions(cases),
            "projection": quality.projection(confirmed_per_week),
            "confirmed_per_week": confirmed_per_week,
            "chart": quality.chart(weeks, labels) if weeks else "",
        },
    )
