"""The indicators app's service API: how pages, the CLI and other apps read the computed figures.

Reading (scoped by org's rule — a branch user sees their branches' rows and the province rows):
``periods()``, ``results_of(user, period, cut, **filters)``, ``may_view_indicators(user)``.
Catalog: ``catalog()`` (the measured catalog), ``indicator(id)`` and
``accountable_department(id)`` — the department the catalog names as owning the figure.
Judging: ``light(...)`` is the one rule for a figure's colour (``core.scorecard``);
``missed_targets(period, ...)`` lists every red figure of a month, province and branches, with
its accountable department — the agenda, the home pages and the scorecards read red from here.
Ranking: ``all_branch_values(period, indicator)`` (callers show a branch only its own rank);
``figures(period, cuts, indicators)`` — unscoped rows for the 13+N scores.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqm.indicators.core.scorecard import Light, light
from sqm.indicators.core.spec import Indicator
from sqm.indicators.models import Result
from sqm.indicators.results import (
    all_branch_values,
    may_view_indicators,
    measured_catalog,
    periods,
    results_of,
    visible_results,
)
from sqm.lib.language import localized_name

Figure = tuple[str, str, str | None, str | None, float | None, float | None, float | None]


def catalog() -> list[Indicator]:
    """Every indicator the engine measures, in catalog order."""
    return list(measured_catalog().indicators)


def indicator(indicator_id: str) -> Indicator:
    """The catalog entry; KeyError for an id the catalog does not hold."""
    return measured_catalog().get(indicator_id)


def accountable_department(indicator_id: str) -> str:
    """The code of the department accountable for the indicator (the catalog's ``department``)."""
    return indicator(indicator_id).department


def figures(period: str, cuts: Collection[str], indicators: Collection[str]) -> list[Figure]:
    """Our figures of some indicators in some cuts (``"branch,tier"``), unscoped: for
    computations whose callers show a person only what their scope allows (the 13+N scores).
    Rows of (cut, indicator, branch, tier, value, numerator, denominator)."""
    rows = Result.objects.filter(
        result_set__period=period,
        result_set__cut__in=list(cuts),
        operator="us",
        indicator__in=list(indicators),
    ).values_list(
        "result_set__cut", "indicator", "branch", "tier", "value", "numerator", "denominator"
    )
    return list(rows)


@dataclass(frozen=True, slots=True)
class MissedTarget:
    """A red figure: one indicator in the province (``branch`` None) or one branch."""

    indicator: str
    name: str
    branch: str | None
    department: str
    value: float
    target: float | None
    province: float | None
    light: Light


def missed_targets(
    period: str,
    *,
    branches: Collection[str] | None = None,
    departments: Collection[str] | None = None,
    include_province: bool = True,
) -> list[MissedTarget]:
    """The period's red figures, unscoped (callers scope by ``branches``): against the target
    where one applies, otherwise against the province (``core.scorecard``). Ordered by indicator
    in catalog order, the province first, then branches by code."""
    entries = {i.id: i for i in catalog()}
    rows = Result.objects.filter(
        result_set__period=period, result_set__cut__in=("", "branch"), operator="us"
    ).values_list("indicator", "branch", "value", "target", "status", "result_set__cut")
    province: dict[str, float | None] = {}
    branch_rows = []
    for indicator_id, branch, value, target, status, cut in rows:
        if cut == "":
            province[indicator_id] = value
        if cut == "" or branch:
            branch_rows.append((indicator_id, branch if cut else None, value, target, status))
    order = {indicator_id: n for n, indicator_id in enumerate(entries)}
    found: list[MissedTarget] = []
    for indicator_id, branch, value, target, status in branch_rows:
        entry = entries.get(indicator_id)
        if entry is None or value is None:
            continue
        if branch is None and not include_province:
            continue
        if branch is not None and branches is not None and branch not in branches:
            continue
        if departments is not None and entry.department not in departments:
            continue
        reference = None if branch is None else province.get(indicator_id)
        lit = light(entry, value, target, status, reference)
        if lit != "red":
            continue
        found.append(
            MissedTarget(
                indicator=indicator_id,
                name=localized_name(entry),
                branch=branch,
                department=entry.department,
                value=value,
                target=target,
                province=reference,
                light=lit,
            )
        )
    found.sort(key=lambda m: (order[m.indicator], m.branch is not None, m.branch or ""))
    return found


__all__ = [
    "Light",
    "MissedTarget",
    "accountable_department",
    "all_branch_values",
    "catalog",
    "figures",
    "indicator",
    "light",
    "may_view_indicators",
    "missed_targets",
    "periods",
    "results_of",
    "visible_results",
]
