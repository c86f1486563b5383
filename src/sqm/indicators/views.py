"""Indicator dashboards: the matrix, one indicator, one branch, the competitors.

Each page reads computed figures through ``sqm.indicators.results`` (scoped) and offers its
tables as Excel with ``?format=xlsx``.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from sqm.events.core.schemas import get_source
from sqm.indicators import charts, dashboards, sheets
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.scorecard import light
from sqm.indicators.results import may_view_indicators, periods
from sqm.indicators.templatetags.indicator_format import unit_label
from sqm.lib.excel import wants_xlsx, xlsx_response
from sqm.lib.language import localized_name, pick
from sqm.org.models import Branch, Department
from sqm.org.permissions import users_who
from sqm.org.scoping import scope_of

indicator_viewer_required = users_who(may_view_indicators)


def _period(request: HttpRequest) -> tuple[str | None, list[str]]:
    known = periods()
    asked = request.GET.get("period")
    if asked and asked not in known:
        raise Http404(_("没有这个周期的指标结果"))
    return (asked or (known[0] if known else None)), known


def _empty(request: HttpRequest, title: str) -> HttpResponse:
    return render(request, "indicators/empty.html", {"title": title})


@indicator_viewer_required
def overview(request: HttpRequest) -> HttpResponse:
    period, known = _period(request)
    if period is None:
        return _empty(request, _("指标矩阵"))
    province = dashboards.province_figures(request.user, period)
    catalog = load_catalog()
    table = []
    for indicator in catalog.indicators:
        r = province.get(indicator.id)
        if r is not None:
            lit = light(indicator, r.value, r.target, r.status, None)
            table.append((indicator, r, lit))
    matrix = dashboards.matrix(request.user, period)
    if wants_xlsx(request) and request.GET.get("table") == "matrix":
        return _xlsx(f"指标矩阵-{period}.xlsx", period, sheets.matrix(matrix))
    if wants_xlsx(request):
        return _xlsx(f"指标一览-{period}.xlsx", period, sheets.overview(table))
    return render(
        request,
        "indicators/overview.html",
        {
            "period": period,
            "periods": known,
            "groups": dashboards.groups(),
            "matrix": matrix,
            "table": table,
        },
    )


def _xlsx(filename: str, title: str, table: sheets.Table) -> HttpResponse:
    return xlsx_response(filename, title, table.headers, table.rows)


BREAKDOWNS = ("branch", "tier", "channel")


@indicator_viewer_required
def indicator_detail(request: HttpRequest, indicator_id: str) -> HttpResponse:
    indicator = dashboards.indicator_or_none(indicator_id)
    if indicator is None:
        raise Http404(_("没有这个指标"))
    period, known = _period(request)
    if period is None:
        return _empty(request, localized_name(indicator))
    province = dashboards.province_figures(request.user, period).get(indicator.id)
    breakdowns = {
        d: dashboards.breakdown(request.user, period, indicator, d)
        for d in BREAKDOWNS
        if d in indicator.dimensions
    }
    asked_table = request.GET.get("table")
    if wants_xlsx(request) and asked_table in breakdowns:
        return _xlsx(
            f"{indicator.id}-{asked_table}-{period}.xlsx",
            indicator.id,
            sheets.breakdown(breakdowns[asked_table]),
        )
    scope = scope_of(request.user)
    trend_branches = sorted(scope.branches) if scope.branches else []
    if not trend_branches and request.GET.get("branch"):
        trend_branches = [request.GET["branch"]]
    labels = {
        "province": _("全省"),
        "target": _("目标"),
        "unit": unit_label(indicator.unit),
        "value": _("值"),
    }
    trend = dashboards.trend(request.user, period, indicator, trend_branches)
    return render(
        request,
        "indicators/indicator.html",
        {
            "indicator": indicator,
            "period": period,
            "periods": known,
            "group": dashboards.group_label(indicator.group),
            "province": province,
            "breakdowns": breakdowns,
            "trend_chart": charts.trend_chart(trend, labels) if trend.days else None,
            "branch_chart": (
                charts.breakdown_chart(breakdowns["branch"], labels, trend.target)
                if "branch" in breakdowns and breakdowns["branch"].rows
                else None
            ),
            "branches": dashboards.visible_branches(request.user),
            "trend_branch": request.GET.get("branch", ""),
            "source_name": _source_name(indicator.source),
            "department_name": _department_name(indicator.department),
        },
    )


def _source_name(code: str) -> str:
    """The data source in words (热线来电), never its table name in the Chinese UI."""
    try:
        source = get_source(code)
    except KeyError:
        return code
    return pick(source.description_zh or code, code)


def _department_name(code: str) -> str:
    department = Department.objects.filter(code=code).first()
    return localized_name(department) if department is not None else code


@indicator_viewer_required
def branch_detail(request: HttpRequest, code: str) -> HttpResponse:
    branch = get_object_or_404(Branch, code=code)
    if not dashboards.may_see_branch(request.user, code):
        raise PermissionDenied
    period, known = _period(request)
    if period is None:
        return _empty(request, localized_name(branch))
    figures = dashboards.branch_figures(request.user, period, code)
    if wants_xlsx(request):
        return _xlsx(f"{branch.code}-{period}.xlsx", branch.code, sheets.branch(figures))
    return render(
        request,
        "indicators/branch.html",
        {
            "branch": branch,
            "period": period,
            "periods": known,
            "sections": [(g, label, figures[g]) for g, label in dashboards.groups()],
        },
    )


@indicator_viewer_required
def competitors(request: HttpRequest) -> HttpResponse:
    period, known = _period(request)
    if period is None:
        return _empty(request, _("竞争对手对标"))
    branch_code = request.GET.get("branch") or None
    if branch_code is not None and not dashboards.may_see_branch(request.user, branch_code):
        raise PermissionDenied
    catalog = load_catalog()
    rows = [
        (catalog.get(c.indicator), c)
        for c in dashboards.comparisons(request.user, period, branch_code)
    ]
    if wants_xlsx(request):
        return _xlsx(f"竞争对手对标-{period}.xlsx", period, sheets.competitors(rows))
    counts = {v: sum(1 for _i, c in rows if c.verdict == v) for v in ("lead", "par", "lag")}
    return render(
        request,
        "indicators/competitors.html",
        {
            "period": period,
            "periods": known,
            "rows": rows,
            "counts": counts,
            "branches": dashboards.visible_branches(request.user),
            "branch": branch_code or "",
        },
    )
