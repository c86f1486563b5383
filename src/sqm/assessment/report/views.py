"""The monthly report's page and its two downloads (PDF, Excel).

Scoping: a branch-bound person (branch manager, handler, supervisor) gets their branch's
version only — asking for the province or another branch is refused (403); everyone else
chooses the province or any branch. The report is built with the person's own scope, so even
a bug in the choice could not put another branch's rows in it.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sqm.assessment import services
from sqm.assessment.report import build, figures
from sqm.lib.excel import XLSX_TYPE, attachment
from sqm.org.permissions import users_who

viewer_required = users_who(services.may_view)
PDF_TYPE = "application/pdf"


def _month(request: HttpRequest) -> tuple[str | None, list[str]]:
    known = services.months()
    asked = request.GET.get("month")
    if asked and asked not in known:
        raise Http404(_("这个月份没有指标结果"))
    return (asked or (known[0] if known else None)), known


def _branch(request: HttpRequest) -> str | None:
    """The branch of the version asked for, within what the person may see."""
    own = services.own_branches(request.user)
    asked = request.GET.get("branch") or None
    if own is None:
        return asked
    if asked is None and len(own) == 1:
        return next(iter(own))
    if asked not in own:
        raise PermissionDenied
    return asked


@viewer_required
def page(request: HttpRequest) -> HttpResponse:
    month, known = _month(request)
    own = services.own_branches(request.user)
    branches = [b for b in figures.branches() if own is None or b.code in own]
    context: dict[str, Any] = {
        "month": month,
        "months": known,
        "branches": branches,
        "province_wide": own is None,
        "branch": _branch(request) or "",
    }
    return render(request, "assessment/monthly_report.html", context)


def _download(request: HttpRequest, kind: str) -> HttpResponse:
    month, _known = _month(request)
    if month is None:
        raise Http404(_("还没有任何月份的指标结果"))
    try:
        built = build.build(
            request.user, month, _branch(request), pdf=kind == "pdf", xlsx=kind == "xlsx"
        )
    except build.UnknownBranch as error:
        raise Http404(str(error)) from error
    body, content_type = (built.pdf, PDF_TYPE) if kind == "pdf" else (built.xlsx, XLSX_TYPE)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = attachment(f"{built.filename_stem}.{kind}")
    return response


@viewer_required
def pdf(request: HttpRequest) -> HttpResponse:
    return _download(request, "pdf")


@viewer_required
def xlsx(request: HttpRequest) -> HttpResponse:
    return _download(request, "xlsx")
