"""A month's assessment from the indicator results: figures in, ``core.outcome.Assessment`` out.

The computation reads only what a month keeps: the indicator results of that month (the
results table), the scheme and the accountability map in force then (``rules``), the veto
incidents recorded for it, and the improvement app's count of overdue actions. Recomputing a
closed month therefore gives the figures it was given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqm.assessment.core.history import check_month, months_of_year_until, previous_month
from sqm.assessment.core.outcome import (
    AdjustmentResult,
    Assessment,
    ItemResult,
    Unassessed,
    UnitResult,
)
from sqm.assessment.core.scheme import Item, Measure, Scheme, UnitKind, department_items
from sqm.assessment.core.scoring import (
    Quantity,
    Ranked,
    UnitInputs,
    change,
    rank_units,
    score_units,
    year_to_date,
)
from sqm.assessment.models import VetoIncident
from sqm.assessment.rules import map_for, scheme_for
from sqm.improvement import services as improvement
from sqm.indicators import services as indicators
from sqm.org.models import Branch, Department

CUTS = ("", "branch", "tier", "branch,tier")
PROVINCE = ""  # the province's figures are a department's figures
# Why an adjustment's quantity is missing (the pages translate these codes).
NO_FIGURE = "no_figure"
IMPROVEMENT_UNAVAILABLE = "improvement_unavailable"
NO_PROMISE_REGISTER = "no_promise_register"
NOT_OFFERED = "not_offered"


class NoFigures(LookupError):
    """The month has no indicator results to score."""


@dataclass(frozen=True, slots=True)
class Figures:
    """One month's results: (indicator, place, tier) → (value, numerator, denominator), where
    place is a branch code or PROVINCE and tier is None for all tiers."""

    rows: Mapping[tuple[str, str, str | None], tuple[float | None, float | None, float | None]]

    def value(self, item: Item, place: str) -> float | None:
        if not item.tiers:
            found = self.rows.get((item.indicator, place, None))
            return found[0] if found else None
        # A ratio over some tiers: the tiers' numerators over their denominators.
        numerator = denominator = 0.0
        for tier in item.tiers:
            found = self.rows.get((item.indicator, place, tier))
            if found and found[1] is not None and found[2] is not None:
                numerator += found[1]
                denominator += found[2]
        if denominator == 0:
            return None
        entry = indicators.indicator(item.indicator)
        return numerator / denominator * getattr(entry, "scale", 1.0)


def months_with_figures() -> list[str]:
    """Months with indicator results, newest first."""
    return [p for p in indicators.periods() if len(p) == 7 and p[4] == "-"]


def read_figures(month: str, wanted: Iterable[str]) -> Figures:
    rows = indicators.figures(month, CUTS, set(wanted))
    found = {}
    for cut, indicator, branch, tier, value, numerator, denominator in rows:
        by_tier = "tier" in cut
        if by_tier and tier is None:
            continue  # figures of customers without a tier: not a tier of any item
        if "branch" in cut and branch is None:
            continue
        found[(indicator, branch or PROVINCE, tier if by_tier else None)] = (
            value,
            numerator,
            denominator,
        )
    if not found:
        raise NoFigures(
            f"no indicator results for {month}: run `sqm compute --period {month}` first"
        )
    return Figures(found)


def _overdue_actions(month: str) -> tuple[dict[str, float], str]:
    """Overdue improvement actions per department code, counted by the improvement app at the
    month's end (so fixed once the month is over)."""
    stats = improvement.department_stats(month)
    return {str(code): float(stat.overdue) for code, stat in stats.items()}, ""


def _quantities(
    figures: Figures,
    place: str,
    kind: UnitKind,
    unit: str,
    overdue: tuple[dict[str, float], str],
) -> dict[Measure, Quantity]:
    def figure(indicator: str) -> float | None:
        found = figures.rows.get((indicator, place, None))
        return found[0] if found else None

    complaints, escalation = (
        figure("complaints_per_10k_customers"),
        figure("complaint_escalation_rate"),
    )
    appeals = figure("appeals_per_million_customers")
    counted, unavailable = overdue
    quantities: dict[Measure, Quantity] = {
        "escalated_per_10k_customers": (
            Quantity(complaints * escalation / 100)
            if complaints is not None and escalation is not None
            else Quantity(None, NO_FIGURE)
        ),
        "appeals_per_10k_customers": (
            Quantity(appeals / 100) if appeals is not None else Quantity(None, NO_FIGURE)
        ),
        "promise_breaches": Quantity(None, NO_PROMISE_REGISTER),
    }
    if unavailable:
        quantities["overdue_actions"] = Quantity(None, unavailable)
    elif kind == "department" or unit in counted:
        quantities["overdue_actions"] = Quantity(counted.get(unit, 0.0))
    else:
        quantities["overdue_actions"] = Quantity(None, NOT_OFFERED)
    return quantities


@dataclass(frozen=True, slots=True)
class MonthScores:
    month: str
    scheme: Scheme
    version: str
    accountable: Mapping[str, str]
    ranked: Mapping[tuple[UnitKind, str], Ranked]
    unassessed: tuple[str, ...]  # departments with no scored indicator


def score_month(month: str) -> MonthScores:
    in_force = scheme_for(month)
    scheme = in_force.scheme
    accountable = map_for(month)
    wanted = scheme.indicators() | {
        "complaints_per_10k_customers",
        "complaint_escalation_rate",
        "appeals_per_million_customers",
    }
    figures = read_figures(month, wanted)
    overdue = _overdue_actions(month)
    vetoes: dict[tuple[str, str], list[str]] = defaultdict(list)
    for kind, unit, veto in VetoIncident.objects.filter(month=month).values_list(
        "unit_kind", "unit", "veto"
    ):
        vetoes[(kind, unit)].append(veto)

    def inputs(kind: UnitKind, unit: str, place: str, items: Iterable[Item]) -> UnitInputs:
        return UnitInputs(
            figures={item.key: figures.value(item, place) for item in items},
            quantities=_quantities(figures, place, kind, unit, overdue),
            vetoes=vetoes.get((kind, unit), []),
        )

    branches = list(Branch.objects.order_by("rank", "code").values_list("code", flat=True))
    branch_items = {code: scheme.branch for code in branches}
    branch_inputs = {code: inputs("branch", code, code, scheme.branch) for code in branches}
    departments = list(Department.objects.order_by("code").values_list("code", flat=True))
    department_map = {code: department_items(scheme, code, accountable) for code in departments}
    scored = {code: items for code, items in department_map.items() if items}
    department_inputs = {
        code: inputs("department", code, PROVINCE, items) for code, items in scored.items()
    }
    ranked: dict[tuple[UnitKind, str], Ranked] = {}
    kinds: tuple[tuple[UnitKind, Mapping[str, Sequence[Item]], Mapping[str, UnitInputs]], ...] = (
        ("branch", branch_items, branch_inputs),
        ("department", scored, department_inputs),
    )
    for kind, items_of, given in kinds:
        for entry in rank_units(score_units(scheme, kind, items_of, given)):
            ranked[(entry.score.kind, entry.score.unit)] = entry
    unassessed = tuple(code for code in departments if code not in scored)
    return MonthScores(month, scheme, in_force.version, accountable, ranked, unassessed)


def assess(month: str) -> Assessment:
    """The month's 13+N assessment; NoFigures when the month has no indicator results."""
    check_month(month)
    current = score_month(month)
    available = set(months_with_figures())
    history: dict[str, MonthScores] = {month: current}
    for other in {previous_month(month), *months_of_year_until(month)} - {month}:
        if other in available:
            history[other] = score_month(other)
    before = history.get(previous_month(month))
    this_year = [history[m] for m in months_of_year_until(month) if m in history]
    names = _names()
    catalog = {entry.id: entry for entry in indicators.catalog()}
    units = []
    for kind in ("branch", "department"):
        rows = sorted(
            (r for (k, _), r in current.ranked.items() if k == kind),
            key=lambda r: r.rank,
        )
        for entry in rows:
            units.append(_unit(entry, current, before, this_year, names, catalog))
    unassessed = tuple(
        Unassessed(code, "department", *names[("department", code)], "no_accountable_item")
        for code in current.unassessed
    )
    return Assessment(month, current.scheme.name, current.version, tuple(units), unassessed)


def _names() -> dict[tuple[str, str], tuple[str, str]]:
    names = {
        ("branch", code): (zh, en)
        for code, zh, en in Branch.objects.values_list("code", "name_zh", "name_en")
    }
    names.update(
        {
            ("department", code): (zh, en)
            for code, zh, en in Department.objects.values_list("code", "name_zh", "name_en")
        }
    )
    return names


def _unit(
    entry: Ranked,
    current: MonthScores,
    before: MonthScores | None,
    this_year: list[MonthScores],
    names: Mapping[tuple[str, str], tuple[str, str]],
    catalog: Mapping[str, Any],
) -> UnitResult:
    s = entry.score
    key = (s.kind, s.unit)
    previous = before.ranked.get(key) if before else None
    yearly = [m.ranked[key].score.score for m in this_year if key in m.ranked]
    veto = current.scheme.veto(s.veto) if s.veto else None
    items = tuple(
        ItemResult(
            indicator=p.item.indicator,
            name_zh=catalog[p.item.indicator].name_zh,
            name_en=catalog[p.item.indicator].name_en,
            tiers=p.item.tiers,
            unit=catalog[p.item.indicator].unit,
            rule=p.item.rule,
            better=p.item.better,
            value=p.value,
            target=p.item.target,
            floor=p.item.floor,
            weight=p.item.weight,
            points=p.points,
            lost=p.lost,
            department=current.accountable.get(p.item.indicator, ""),
            note=p.note,
        )
        for p in s.items
    )
    adjustments = tuple(
        AdjustmentResult(
            id=a.adjustment.id,
            name_zh=a.adjustment.name_zh,
            name_en=a.adjustment.name_en,
            kind=a.adjustment.kind,
            measure=a.adjustment.measure,
            quantity=a.quantity.value,
            points=a.points,
            reason=a.quantity.reason,
        )
        for a in s.adjustments
    )
    zh, en = names.get(key, (s.unit, s.unit))
    return UnitResult(
        unit=s.unit,
        kind=s.kind,
        name_zh=zh,
        name_en=en,
        score=s.score,
        rank=entry.rank,
        of=entry.of,
        items=items,
        performance=s.performance,
        bonus=s.bonus,
        penalty=s.penalty,
        adjustments=adjustments,
        veto=s.veto,
        veto_name_zh=veto.name_zh if veto else None,
        veto_name_en=veto.name_en if veto else None,
        previous_score=previous.score.score if previous else None,
        previous_rank=previous.rank if previous else None,
        change=change(s.score, previous.score.score if previous else None),
        rank_change=(previous.rank - entry.rank) if previous else None,
        year_to_date=year_to_date(yearly),
        year_to_date_months=len(yearly),
    )


def trend(kind: UnitKind, unit: str, months: int = 12) -> list[tuple[str, float, int]]:
    """(month, score, rank) of the unit over the last ``months`` months with figures,
    oldest first."""
    found = []
    for month in sorted(months_with_figures())[-months:]:
        entry = score_month(month).ranked.get((kind, unit))
        if entry is not None:
            found.append((month, entry.score.score, entry.rank))
    return found
