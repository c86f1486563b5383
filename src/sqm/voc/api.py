"""The satisfaction router of the REST API (mounted at ``/api/v1/voc/``): the report a page
shows, as JSON, for the branches the caller may see."""

from __future__ import annotations

from typing import Any, Literal

from django.conf import settings
from django.http import HttpRequest
from ninja import Query, Router
from ninja.errors import HttpError

from sqm.org.rest import CODE, ERRORS, MONTH
from sqm.voc import services
from sqm.voc.access import can_view, visible_branches
from sqm.voc.core import analysis

router = Router(tags=["voc"])


def _branches(request: HttpRequest, branch: str | None) -> list[str] | None:
    if not can_view(request.user):
        raise HttpError(403, "no access to customer satisfaction")
    scope = visible_branches(request.user, branch)
    if branch and scope is not None and branch not in scope:
        raise HttpError(403, f"branch {branch} is outside your scope")
    return sorted(scope) if scope is not None else None


MONTH_QUERY = Query(None, pattern=MONTH, description="a month, YYYY-MM (default: every month)")
BRANCH_QUERY = Query(None, pattern=CODE, description="a branch code, e.g. NJ")


@router.get("/report", url_name="voc_report", response={200: dict[str, Any], **ERRORS})
def report(
    request: HttpRequest,
    month: str | None = MONTH_QUERY,
    branch: str | None = BRANCH_QUERY,
    target_gap: float = Query(
        1.8, ge=0, le=100, allow_inf_nan=False, description="allowed gap to the leader, points"
    ),
) -> dict[str, Any]:
    """Index, drivers (province, per branch, per tier), gaps, provider gaps, competitors."""
    return services.full_report(
        settings.DATA_DIR,
        months=[month] if month else None,
        branches=_branches(request, branch),
        target_gap=target_gap,
    )


@router.get("/drivers", url_name="voc_drivers", response={200: dict[str, Any], **ERRORS})
def drivers(
    request: HttpRequest,
    month: str | None = MONTH_QUERY,
    branch: str | None = BRANCH_QUERY,
    by: Literal["branch", "tier"] | None = None,
    method: Literal["relative_weights", "shapley"] = "relative_weights",
) -> dict[str, Any]:
    """The act-first list: largest effect and lowest score first (one per group with `by`)."""
    frame = services.study(
        settings.DATA_DIR, [month] if month else None, _branches(request, branch)
    )
    if by:
        return analysis.drivers_by(frame, by, method)
    return analysis.drivers(frame, method)
