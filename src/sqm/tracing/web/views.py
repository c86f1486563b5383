"""Pages of the watch list: signals ranked by score with their sparklines, a signal with its
chart and evidence, triage (acknowledge, dismiss with a reason) and "open case".

Every read and write goes through ``sqm.tracing.services``; another branch's signal is a 404.
Writes are plain form posts answered with a redirect and a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.lib.excel import wants_xlsx, xlsx_response
from sqm.lib.people import SignedInRequest
from sqm.lib.redirects import next_url
from sqm.org.permissions import users_who
from sqm.org.scoping import scope_of
from sqm.tracing import services
from sqm.tracing.core.signals import SignalStatus
from sqm.tracing.models import Signal
from sqm.tracing.web import charts, presentation
from sqm.tracing.web.forms import DismissForm, OpenCaseForm, SignalFilter

SIGNALS_SHOWN = 200
EVIDENCE_SHOWN = 100
viewer_required = users_who(services.can_view)
signal_viewer_required = users_who(services.can_view_signals)


def chart_labels() -> dict[str, str]:
    return {
        "observed": _("观测值"),
        "expected": _("期望值"),
        "band": _("期望区间"),
        "value": _("数量"),
        "treated": _("本单位(整改对象)"),
        "control": _("对照组(其他分公司)"),
        "intervention": _("整改生效"),
        "index": _("指数(整改前均值=100)"),
    }


def _filtered(request: SignedInRequest) -> tuple[SignalFilter, Any, str]:
    visible = services.visible_signals(request.user)
    months = sorted(set(visible.values_list("month", flat=True)), reverse=True)
    scope = scope_of(request.user)
    names = presentation.branch_names(None if scope.province_wide else scope.branches)
    form = SignalFilter(request.GET or None, months=months, branches=names)
    chosen = form.cleaned_data if form.is_valid() else {}
    # The newest month by default: "today's signals".
    month = chosen.get("month") or (months[0] if months else "")
    shown = visible.filter(month=month) if month else visible
    for field in ("kind", "branch", "category", "status"):
        if chosen.get(field):
            shown = shown.filter(**{field: chosen[field]})
    return form, shown.select_related("case").order_by("-score", "-id"), month


@viewer_required
def index(request: SignedInRequest) -> HttpResponse:
    if not services.can_view_signals(request.user):
        return redirect("tracing:cases")  # a liaison works on cases, not on the watch list
    form, shown, month = _filtered(request)
    if wants_xlsx(request):
        return xlsx_response(
            f"溯源信号-{month or 'all'}.xlsx",
            _("溯源信号"),
            [str(h) for h in presentation.SIGNAL_HEADERS],
            presentation.signal_sheet_rows(shown),
        )
    total = shown.count()
    open_cases = services.visible_cases(request.user).exclude(stage="closed")
    return render(
        request,
        "tracing/index.html",
        {
            "form": form,
            "month": month,
            "rows": presentation.signal_rows(shown[:SIGNALS_SHOWN]),
            "total": total,
            "shown": SIGNALS_SHOWN,
            "open_cases": open_cases.prefetch_related("branches")[:10],
            "may_write": services.can_write(request.user),
            "query": request.GET.urlencode(),
        },
    )


def visible_signal(request: SignedInRequest, pk: int) -> Signal:
    try:
        return services.get_signal(request.user, pk)
    except Signal.DoesNotExist:
        raise Http404 from None


@signal_viewer_required
def signal_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    signal = visible_signal(request, pk)
    names = presentation.branch_names([signal.branch])
    window = (
        timezone.localtime(signal.start).date().isoformat(),
        timezone.localtime(signal.end).date().isoformat(),
    )
    evidence = list(signal.evidence_ids[:EVIDENCE_SHOWN])
    return render(
        request,
        "tracing/signal.html",
        {
            "signal": signal,
            "kind": presentation.kind_label(signal.kind),
            "place": presentation.place(signal, names),
            "chart": charts.signal_chart(signal.series, window, chart_labels()),
            "evidence": evidence,
            "evidence_links": signal.evidence_source == "complaints",
            "more_evidence": signal.evidence_count - len(evidence),
            "may_write": services.can_write(request.user),
            "dismiss_form": DismissForm(),
            "is_new": signal.status == SignalStatus.NEW.value,
            "is_open": signal.status in (SignalStatus.NEW.value, SignalStatus.ACKNOWLEDGED.value),
            "detail": sorted((k, v) for k, v in signal.detail.items() if not isinstance(v, dict)),
        },
    )


def _back(signal: Signal) -> HttpResponse:
    return redirect("tracing:signal", pk=signal.pk)


@require_POST
@signal_viewer_required
def acknowledge(request: SignedInRequest, pk: int) -> HttpResponse:
    signal = visible_signal(request, pk)
    try:
        services.acknowledge(request.user, signal.pk)
        messages.success(request, _("已确认信号"))
    except services.TracingError as error:
        messages.error(request, str(error))
    return _back(signal)


@require_POST
@signal_viewer_required
def dismiss(request: SignedInRequest, pk: int) -> HttpResponse:
    signal = visible_signal(request, pk)
    form = DismissForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("排除信号须说明原因"))
        return _back(signal)
    try:
        services.dismiss(request.user, signal.pk, form.cleaned_data["reason"])
        messages.success(request, _("已排除信号"))
    except services.TracingError as error:
        messages.error(request, str(error))
    return _back(signal)


@require_POST
@signal_viewer_required
def restore(request: SignedInRequest, pk: int) -> HttpResponse:
    signal = visible_signal(request, pk)
    try:
        services.restore(request.user, signal.pk)
        messages.success(request, _("已恢复信号"))
    except services.TracingError as error:
        messages.error(request, str(error))
    return _back(signal)


@require_POST
@viewer_required
def open_case(request: SignedInRequest) -> HttpResponse:
    """From one or more signals (``signals=1,2``) or by hand (title, branches, category)."""
    if not services.can_write(request.user):
        raise PermissionDenied
    scope = scope_of(request.user)
    names = presentation.branch_names(None if scope.province_wide else scope.branches)
    form = OpenCaseForm(request.POST, branches=names)
    back = next_url(request, "tracing:cases")
    if not form.is_valid():
        messages.error(request, _("立案信息不完整:%(e)s") % {"e": form.errors.as_text()})
        return redirect(back)
    data = form.cleaned_data
    try:
        case = services.open_case(
            request.user,
            signal_ids=form.signal_ids(),
            title=data["title"],
            description=data["description"],
            branches=data["branches"] or None,
            category=data["category"],
        )
    except Signal.DoesNotExist:
        raise Http404 from None
    except (services.TracingError, PermissionDenied) as error:
        messages.error(request, str(error) or _("只能为本分公司立案"))
        return redirect(back)
    messages.success(request, _("已立案 %(n)s") % {"n": case.number})
    return redirect("tracing:case", number=case.number)
