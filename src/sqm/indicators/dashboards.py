"""What the indicator pages show, gathered apart from the views so each part is testable alone.

Every figure comes from ``results.results_of`` (scoped); ranks come from
``results.all_branch_values`` and only the viewer's own branches' ranks are shown.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.competitors import US, Comparison, compare_all, twin_id
from sqm.indicators.core.scorecard import Cell, Light, cells, light, ranks
from sqm.indicators.core.spec import GROUP_LABELS, Indicator
from sqm.indicators.models import Result
from sqm.indicators.results import all_branch_values, results_of
from sqm.lib.language import localized_name, pick
from sqm.org.models import Branch, Channel, CustomerTier
from sqm.org.scoping import scope_of, scoped

if TYPE_CHECKING:
    from sqm.lib.people import Requester


PROVINCE = "province"


def group_label(group: str) -> str:
    zh, en = GROUP_LABELS[group]
    return pick(zh, en)


def groups() -> list[tuple[str, str]]:
    return [(g, group_label(g)) for g in GROUP_LABELS]


def indicator_or_none(indicator_id: str) -> Indicator | None:
    try:
        return load_catalog().get(indicator_id)
    except KeyError:
        return None


@dataclass(frozen=True, slots=True)
class Figure:
    """One indicator's figure in one place, with what the reader needs to judge it."""

    indicator: Indicator
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float | None
    status: str | None
    province: float | None = None
    light: Light | None = None
    rank: int | None = None
    ranked: int | None = None

    @property
    def name(self) -> str:
        return localized_name(self.indicator)


def _by_indicator(rows: Iterable[Result]) -> dict[str, Result]:
    return {r.indicator: r for r in rows}


def province_figures(user: Requester, period: str) -> dict[str, Result]:
    return _by_indicator(results_of(user, period, (), operator="us"))


def visible_branches(user: Requester) -> list[Branch]:
    return list(scoped(Branch.objects.order_by("rank", "code"), user, "code"))


@dataclass(slots=True)
class MatrixRow:
    code: str
    label: str
    cells: list[tuple[str, Cell]] = field(default_factory=list)  # (group, cell)


def matrix(user: Requester, period: str) -> list[MatrixRow]:
    """The province and each visible branch × the three indicator groups, lit."""
    catalog = load_catalog()
    province = province_figures(user, period)
    branch_rows: dict[str, dict[str, Result]] = defaultdict(dict)
    for r in results_of(user, period, ("branch",), operator="us"):
        if r.branch:
            branch_rows[r.branch][r.indicator] = r
    lights: list[tuple[str, str, str, Light | None]] = []
    for indicator in catalog.indicators:
        p = province.get(indicator.id)
        if p is not None:
            lit = light(indicator, p.value, p.target, p.status, None)
            lights.append((PROVINCE, indicator.group, indicator.id, lit))
        for code, figures in branch_rows.items():
            b = figures.get(indicator.id)
            if b is not None:
                lit = light(indicator, b.value, b.target, b.status, p.value if p else None)
                lights.append((code, indicator.group, indicator.id, lit))
    lit_cells = cells(lights)
    rows = [MatrixRow(PROVINCE, "")] + [
        MatrixRow(b.code, localized_name(b)) for b in visible_branches(user)
    ]
    for row in rows:
        row.cells = [(g, lit_cells.get((row.code, g), Cell())) for g in GROUP_LABELS]
    return rows


def branch_figures(user: Requester, period: str, code: str) -> dict[str, list[Figure]]:
    """Every indicator of one branch, by group: vs target, vs the province, rank among all."""
    catalog = load_catalog()
    province = province_figures(user, period)
    own = _by_indicator(results_of(user, period, ("branch",), operator="us", branch=code))
    found: dict[str, list[Figure]] = {g: [] for g in GROUP_LABELS}
    for indicator in catalog.indicators:
        r = own.get(indicator.id)
        if r is None:
            continue
        p = province.get(indicator.id)
        everyone = ranks(indicator, all_branch_values(period, indicator.id))
        found[indicator.group].append(
            Figure(
                indicator,
                r.value,
                r.numerator,
                r.denominator,
                r.target,
                r.status,
                province=p.value if p else None,
                light=light(indicator, r.value, r.target, r.status, p.value if p else None),
                rank=everyone.get(code),
                ranked=len(everyone) or None,
            )
        )
    return found


@dataclass(frozen=True, slots=True)
class Breakdown:
    dimension: str
    rows: list[tuple[str, str, Figure]]  # (code, label, figure)


def _labels(dimension: str, codes: Sequence[str]) -> dict[str, str]:
    models: dict[str, type[Branch] | type[CustomerTier] | type[Channel]] = {
        "branch": Branch,
        "tier": CustomerTier,
        "channel": Channel,
    }
    model = models.get(dimension)
    if model is None:
        return {c: c for c in codes}
    return {o.code: localized_name(o) for o in model.objects.filter(code__in=codes)}


def breakdown(user: Requester, period: str, indicator: Indicator, dimension: str) -> Breakdown:
    rows = list(results_of(user, period, (dimension,), indicator=indicator.id, operator="us"))
    codes = [getattr(r, dimension) for r in rows if getattr(r, dimension)]
    labels = _labels(dimension, codes)
    everyone = (
        ranks(indicator, all_branch_values(period, indicator.id)) if dimension == "branch" else {}
    )
    found = []
    for r in rows:
        code = getattr(r, dimension)
        if not code:
            continue
        figure = Figure(
            indicator,
            r.value,
            r.numerator,
            r.denominator,
            r.target,
            r.status,
            rank=everyone.get(code),
            ranked=len(everyone) or None,
        )
        found.append((code, labels.get(code, code), figure))
    order = {"branch": lambda t: t[2].rank or 99}.get(dimension, lambda t: t[0])
    return Breakdown(dimension, sorted(found, key=order))


@dataclass(frozen=True, slots=True)
class Trend:
    days: list[str]
    province: list[float | None]
    branches: dict[str, list[float | None]]  # label → values aligned with days
    target: float | None


def trend(user: Requester, period: str, indicator: Indicator, branch_codes: Sequence[str]) -> Trend:
    province = {
        r.day: r.value
        for r in results_of(user, period, ("day",), indicator=indicator.id, operator="us")
    }
    days = sorted(d for d in province if d)
    per_branch: dict[str, dict[str, float | None]] = defaultdict(dict)
    for r in results_of(
        user,
        period,
        ("branch", "day"),
        indicator=indicator.id,
        operator="us",
        branch__in=list(branch_codes),
    ):
        if r.branch and r.day:
            per_branch[r.branch][r.day] = r.value
    labels = _labels("branch", list(per_branch))
    untiered = [t for t in indicator.targets if not t.tiers]
    return Trend(
        days,
        [province.get(d) for d in days],
        {labels.get(c, c): [v.get(d) for d in days] for c, v in sorted(per_branch.items())},
        untiered[0].value if untiered else None,
    )


def comparisons(user: Requester, period: str, branch: str | None) -> list[Comparison]:
    """Lead / par / lag for every indicator a competitor value exists for, in the province or
    in one branch (the viewer's scope decides whether the branch rows exist at all)."""
    catalog = load_catalog()
    if branch is None:
        rows = results_of(user, period, ())
    else:
        rows = results_of(user, period, ("branch",), branch=branch)
    pairs = [
        (r.indicator if r.operator == US else twin_id(r.indicator, r.operator), r.value)
        for r in rows
    ]
    return compare_all(catalog, pairs)


def may_see_branch(user: Requester, code: str) -> bool:
    return scope_of(user).allows_branch(code)
