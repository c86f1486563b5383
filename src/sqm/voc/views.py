"""Pages: the satisfaction dashboard (index trend, importance-performance map, factor gaps,
competitors, provider gaps), driver lists per branch and tier, and the Excel export.

Every page reads only the branches the user may see (sqm.voc.access -> sqm.org.scoping).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sqm.events.core.store import EventStore
from sqm.lib.excel import workbook_response
from sqm.lib.language import localized_name
from sqm.org.core.factors import FACTORS
from sqm.org.models import Branch
from sqm.org.permissions import users_who
from sqm.org.scoping import scoped
from sqm.voc import charts, services
from sqm.voc.access import can_view, visible_branches
from sqm.voc.core.gaps import TARGET_GAP_POINTS
from sqm.voc.core.study import months_in_store
from sqm.voc.export import sheets

QUADRANTS = {
    "concentrate_here": gettext_lazy("重点改进"),
    "keep_up": gettext_lazy("继续保持"),
    "low_priority": gettext_lazy("次要改进"),
    "possible_overkill": gettext_lazy("过度投入"),
}
OPERATORS = {
    "us": gettext_lazy("本公司"),
    "competitor_a": gettext_lazy("竞争对手A"),
    "competitor_b": gettext_lazy("竞争对手B"),
}
GROUPINGS = {"branch": gettext_lazy("分公司"), "tier": gettext_lazy("客户层级")}


viewer_required = users_who(can_view)


def _factor_label(code: str) -> str:
    factor = next((f for f in FACTORS if f.code == code), None)
    if factor is None:
        return _("综合满意度") if code == "overall" else code
    return localized_name(factor)


def _filters(request: HttpRequest) -> dict[str, Any]:
    months = months_in_store(EventStore(settings.DATA_DIR))
    month = request.GET.get("month") or ""
    if month not in months:
        month = ""
    branches = scoped(Branch.objects.order_by("code"), request.user, branch_field="code")
    branch = request.GET.get("branch") or ""
    if branch and not branches.filter(code=branch).exists():
        branch = ""
    scope = visible_branches(request.user, branch or None)
    return {
        "months": months,
        "month": month,
        "branch_options": list(branches),
        "branch": branch,
        "scope": sorted(scope) if scope is not None else None,
    }


def _report(filters: dict[str, Any], with_provider_gaps: bool = True) -> dict[str, Any]:
    return services.full_report(
        settings.DATA_DIR,
        months=[filters["month"]] if filters["month"] else None,
        branches=filters["scope"],
        target_gap=TARGET_GAP_POINTS,
        with_provider_gaps=with_provider_gaps,
    )


@viewer_required
def dashboard(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    report = _report(filters, with_provider_gaps=False)
    factors = [
        {**f, "label": _factor_label(f["factor"]), "quadrant_label": QUADRANTS[f["quadrant"]]}
        for f in report["drivers"]["factors"]
    ]
    rank = {f["factor"]: f for f in factors}
    # One row per factor: in act-first order when drivers could be estimated, else by gap.
    rows = sorted(
        (
            {**g, "label": _factor_label(g["factor"]), "driver": rank.get(g["factor"])}
            for g in report["gaps"]
        ),
        key=lambda r: r["driver"]["rank"] if r["driver"] else 100 + r["gap"],
    )
    competitors = report["competitors"]
    operators = [(o, OPERATORS.get(o, o)) for o in competitors["operators"]]
    competitor_rows = [
        {
            **row,
            "label": _factor_label(row["factor"]),
            "cells": [row["scores"].get(o) for o, _label in operators],
            "leader_label": OPERATORS.get(row["leader"], row["leader"]),
        }
        for row in competitors["factors"]
    ]
    labels = {
        "ours": _("本公司满意度指数"),
        "overall": _("综合满意度得分(均值)"),
        "leader": _("领先竞争对手"),
        "target": _("目标下限(差距 ≤ 1.8 分)"),
        "axis": _("指数(0–100)"),
        "importance": _("重要性(解释方差占比,%)"),
        "performance": _("表现得分(0–100)"),
        **{k: str(v) for k, v in QUADRANTS.items()},
    }
    index = report["index"]
    return render(
        request,
        "voc/dashboard.html",
        {
            **filters,
            "report": report,
            "index": index,
            "factors": factors,
            "rows": rows,
            "operators": operators,
            "competitor_rows": competitor_rows,
            "trend": [
                {**t, "leader_label": OPERATORS.get(t["leader"], t["leader"])}
                for t in competitors["trend"]
            ],
            "target_gap": competitors["target_gap"],
            "trend_chart": charts.trend(
                index, competitors["trend"], competitors["target_gap"], labels
            )
            if index.get("months")
            else "",
            "ipa_chart": charts.importance_performance(factors, labels) if factors else "",
        },
    )


@viewer_required
def provider_gaps(request: HttpRequest) -> HttpResponse:
    """The four provider gaps with their evidence indicators (an htmx fragment)."""
    filters = _filters(request)
    month = services.latest_month(
        settings.DATA_DIR, [filters["month"]] if filters["month"] else None
    )
    return render(
        request,
        "voc/_provider_gaps.html",
        {
            "month": month,
            "provider_gaps": services.provider_gap_evidence(
                settings.DATA_DIR, month, filters["scope"]
            ),
        },
    )


@viewer_required
def drivers(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    by = request.GET.get("by", "branch")
    if by not in GROUPINGS:
        by = "branch"
    results = services.drivers_by(
        settings.DATA_DIR, [filters["month"]] if filters["month"] else None, filters["scope"], by
    )
    names = {b.code: b for b in filters["branch_options"]}
    groups = []
    for key, result in results.items():
        title = names[key] if by == "branch" and key in names else key
        rows = [
            {**f, "label": _factor_label(f["factor"]), "quadrant_label": QUADRANTS[f["quadrant"]]}
            for f in result.get("factors", [])
        ]
        groups.append({"key": key, "title": title, "result": result, "rows": rows[:8]})
    return render(
        request,
        "voc/drivers.html",
        {**filters, "by": by, "groupings": GROUPINGS.items(), "groups": groups},
    )


@viewer_required
def export(request: HttpRequest) -> HttpResponse:
    filters = _filters(request)
    suffix = "-".join(x for x in (filters["month"], filters["branch"]) if x) or "all"
    return workbook_response(f"satisfaction-{suffix}.xlsx", sheets(_report(filters)))
