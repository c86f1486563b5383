"""The indicators router of the REST API (mounted at ``/api/v1/indicators/``): the catalog and
the computed figures, within the caller's scope."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.results import may_view_indicators, parse_cut, results_of
from sqm.lib.periods import parse_period
from sqm.org.rest import CODE, ERRORS

router = Router(tags=["indicators"])
MAX_ROWS = 50_000


class IndicatorOut(Schema):
    id: str
    name_zh: str
    name_en: str
    group: str
    factor: str | None
    kind: str
    unit: str
    direction: str
    department: str
    dimensions: list[str]
    definition_zh: str
    definition_en: str
    targets: list[dict[str, Any]]


class ResultOut(Schema):
    indicator: str
    operator: str
    period: str
    dimensions: dict[str, str | None]
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    status: str | None


def _viewer(request: HttpRequest) -> Any:
    user = request.user
    if not may_view_indicators(user):
        raise HttpError(403, "你的角色不能查看指标")
    return user


@router.get(
    "/catalog",
    response={200: list[IndicatorOut], **ERRORS},
    url_name="indicator_catalog",
    summary="Every indicator's definition, target and allowed dimensions",
)
def catalog(request: HttpRequest) -> list[dict[str, Any]]:
    _viewer(request)
    return [i.model_dump(mode="json") for i in load_catalog().indicators]


@router.get(
    "/results",
    response={200: list[ResultOut], **ERRORS},
    url_name="indicator_results",
    summary="Computed figures of one period and cut, within your scope",
)
def results(
    request: HttpRequest,
    period: str = Query(
        ...,
        max_length=40,
        description="Any period of sqm.lib.periods: 2026-03-02, 2026-03-02..2026-03-08, "
        "2026-03-02/P7D, 2026-W10, 2026-03, 2026-Q1 or 2026",
    ),
    by: str = Query("", max_length=200, description="dimensions, e.g. branch,tier"),
    indicator: str | None = Query(None, pattern=CODE),
    operator: str = Query("us", pattern=CODE),
) -> list[dict[str, Any]]:
    user = _viewer(request)
    try:
        chosen = parse_period(period)  # the one parser; figures are stored under its label
        cut = parse_cut(by)
    except ValueError as error:
        raise HttpError(400, str(error)) from None
    rows = results_of(user, chosen.label, cut, operator=operator)
    if indicator is not None:
        rows = rows.filter(indicator=indicator)
    return [
        {
            "indicator": r.indicator,
            "operator": r.operator,
            "period": chosen.label,
            "dimensions": {d: getattr(r, d) for d in cut},
            "value": r.value,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "target": r.target,
            "status": r.status,
        }
        for r in rows.order_by("indicator", *cut)[:MAX_ROWS]
    ]
