"""The 13+N pages: the month's ranking and a unit's scorecard.

A branch-bound person (branch manager, handler, supervisor) sees their own branch's
scorecard and its rank among the 13 — never another branch's score or items
(``services.may_view_unit``). Every table exports to Excel with ``?format=xlsx``; the month
and the kind switch by htmx, replacing the table only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sqm.assessment import services, sheets
from sqm.assessment.charts import ranking_chart, trend_chart
from sqm.assessment.choices import UnitKindChoices
from sqm.lib.excel import wants_xlsx, workbook_response
from sqm.lib.language import localized_name, pick
from sqm.org.models import Department
from sqm.org.permissions import users_who

viewer_required = users_who(services.may_view)
KINDS = ("branch", "department")


def _month(request: HttpRequest) -> tuple[str | None, list[str]]:
    known = services.months()
    asked = request.GET.get("month")
    if asked and asked not in known:
        raise Http404(_("这个月份没有指标结果,无法考核"))
    return (asked or (known[0] if known else None)), known


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind") or "branch"
    if kind not in KINDS:
        raise Http404(_("没有这种考核单位"))
    return kind


@viewer_required
def ranking(request: HttpRequest) -> HttpResponse:
    month, known = _month(request)
    if month is None:
        return render(request, "assessment/empty.html", {})
    kind = _kind(request)
    try:
        assessment = services.assess(month)
    except services.NoFigures:
        return render(request, "assessment/empty.html", {"month": month})
    visible = services.visible_units(request.user, assessment)
    province_wide = services.own_branches(request.user) is None
    if wants_xlsx(request):
        return workbook_response(f"13+N考核排名-{month}.xlsx", sheets.ranking(visible))
    units = [u for u in visible if u.kind == kind]
    context: dict[str, Any] = {
        "month": month,
        "months": known,
        "kind": kind,
        "kinds": [(k, UnitKindChoices.label(k)) for k in KINDS if province_wide or k == "branch"],
        "units": units,
        "assessment": assessment,
        "province_wide": province_wide,
        "unassessed": assessment.unassessed if province_wide and kind == "department" else (),
        "chart": ranking_chart(units, _("得分")) if province_wide and units else None,
    }
    if request.headers.get("HX-Request"):
        return render(request, "assessment/_ranking.html", context)
    return render(request, "assessment/ranking.html", context)


@viewer_required
def scorecard(request: HttpRequest, kind: str, code: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404
    if not services.may_view_unit(request.user, kind, code):
        raise PermissionDenied
    month, known = _month(request)
    if month is None:
        return render(request, "assessment/empty.html", {})
    try:
        assessment = services.assess(month)
    except services.NoFigures:
        return render(request, "assessment/empty.html", {"month": month})
    try:
        unit = assessment.unit(code, kind)  # type: ignore[arg-type]
    except KeyError:
        raise Http404(_("该单位本月未参加考核")) from None
    if wants_xlsx(request):
        return workbook_response(f"考核计分卡-{unit.name_zh}-{month}.xlsx", sheets.scorecard(unit))
    history = services.trend(unit.kind, unit.unit)
    return render(
        request,
        "assessment/scorecard.html",
        {
            "month": month,
            "months": known,
            "unit": unit,
            "name": pick(unit.name_zh, unit.name_en),
            "kind_label": UnitKindChoices.label(unit.kind),
            "costliest": unit.costliest(3),
            "history": history,
            "departments": {d.code: localized_name(d) for d in Department.objects.all()},
            "chart": trend_chart(history, _("得分"), _("排名"), unit.of) if history else None,
        },
    )
