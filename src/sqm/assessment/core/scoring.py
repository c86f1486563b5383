"""Scoring arithmetic: the points of each item, the unit's score, and the ranking.

Rules written down once (docs/assessment.md repeats them for the users):

- **linear**: ``points = weight × clamp((value − floor) / (target − floor), 0, 1)``;
- **full_zero**: the whole weight when the figure meets the target (``≥`` when higher is
  better, ``≤`` when lower is), else nothing;
- **rank** among the branches with a figure (n of them): ``points = weight × (n − r) / (n − 1)``
  where r is the branch's rank, 1 the best. Branches with equal figures share the mean of the
  ranks they occupy (two tied for 2nd and 3rd both rank 2.5), so a tie neither creates nor
  loses points;
- a unit without a figure for an item gets no points for it (and the item says so);
- item points are rounded to 2 decimals, and ``score = Σ points + bonus − penalty`` of the
  rounded figures, so the printed parts add up to the printed score;
- a veto sets the score to the veto's score, whatever the items say;
- **ranking units**: a vetoed unit ranks below every unit without a veto; otherwise the higher
  score first; equal scores: the higher Σ item points (performance before bonus and penalty);
  still equal: the same rank, shared (1, 2, 2, 4), listed in the org tree's order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqm.assessment.core.scheme import Adjustment, Item, Measure, Scheme, UnitKind

DIGITS = 2
# Figures compare equal for ranking when they agree to this many decimals: the engine's
# floating point must not decide a tie.
TIE_DIGITS = 9


@dataclass(frozen=True, slots=True)
class ItemPoints:
    item: Item
    value: float | None
    points: float
    note: str = ""  # why an item scored nothing that is not the figure's fault: "no_figure"

    @property
    def lost(self) -> float:
        """Points short of the item's weight: what it cost the unit."""
        return round(self.item.weight - self.points, DIGITS)


@dataclass(frozen=True, slots=True)
class Quantity:
    """A measured quantity for an adjustment; ``value`` None with the reason it is missing."""

    value: float | None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class AdjustmentPoints:
    adjustment: Adjustment
    quantity: Quantity
    points: float


@dataclass(frozen=True, slots=True)
class UnitScore:
    unit: str
    kind: UnitKind
    items: tuple[ItemPoints, ...]
    adjustments: tuple[AdjustmentPoints, ...]
    veto: str | None
    score: float

    @property
    def performance(self) -> float:
        return round(sum(i.points for i in self.items), DIGITS)

    @property
    def bonus(self) -> float:
        bonuses = (a.points for a in self.adjustments if a.adjustment.kind == "bonus")
        return round(sum(bonuses), DIGITS)

    @property
    def penalty(self) -> float:
        penalties = (a.points for a in self.adjustments if a.adjustment.kind == "penalty")
        return round(sum(penalties), DIGITS)


@dataclass(frozen=True, slots=True)
class Ranked:
    score: UnitScore
    rank: int
    of: int


@dataclass(frozen=True, slots=True)
class UnitInputs:
    """What one unit brings to the month: its figures by item key, its adjustment quantities
    by measure, and the vetoes its incidents raise."""

    figures: Mapping[str, float | None]
    quantities: Mapping[Measure, Quantity] = field(default_factory=dict)
    vetoes: Sequence[str] = ()


def linear_fraction(value: float, floor: float, target: float) -> float:
    return min(1.0, max(0.0, (value - floor) / (target - floor)))


def meets(value: float, target: float, better: str) -> bool:
    return value >= target if better == "higher" else value <= target


def shared_ranks(values: Mapping[str, float], better: str) -> dict[str, float]:
    """Rank 1 = best; equal figures share the mean of the ranks they occupy."""
    sign = -1 if better == "higher" else 1
    ordered = sorted(values, key=lambda unit: sign * round(values[unit], TIE_DIGITS))
    ranks: dict[str, float] = {}
    position = 0
    while position < len(ordered):
        tied_value = round(values[ordered[position]], TIE_DIGITS)
        end = position
        while end < len(ordered) and round(values[ordered[end]], TIE_DIGITS) == tied_value:
            end += 1
        mean_rank = (position + 1 + end) / 2
        for unit in ordered[position:end]:
            ranks[unit] = mean_rank
        position = end
    return ranks


def rank_points(item: Item, values: Mapping[str, float | None]) -> dict[str, float]:
    """Points of a rank item for every unit with a figure."""
    present = {unit: v for unit, v in values.items() if v is not None}
    n = len(present)
    if n == 0:
        return {}
    if n == 1:
        return {unit: item.weight for unit in present}
    ranks = shared_ranks(present, item.better)
    return {unit: item.weight * (n - r) / (n - 1) for unit, r in ranks.items()}


def item_points(item: Item, value: float | None, ranked: Mapping[str, float], unit: str) -> float:
    if value is None:
        return 0.0
    if item.rule == "rank":
        return ranked.get(unit, 0.0)
    assert item.target is not None  # the scheme's validation guarantees it
    if item.rule == "full_zero":
        return item.weight if meets(value, item.target, item.better) else 0.0
    assert item.floor is not None
    return item.weight * linear_fraction(value, item.floor, item.target)


def adjustment_points(adjustment: Adjustment, quantity: Quantity) -> float:
    if quantity.value is None:
        return 0.0
    raw = adjustment.per * max(0.0, quantity.value - adjustment.allowance)
    return round(min(adjustment.cap, raw), DIGITS)


def score_units(
    scheme: Scheme,
    kind: UnitKind,
    items_of: Mapping[str, Sequence[Item]],
    inputs: Mapping[str, UnitInputs],
) -> list[UnitScore]:
    """Every unit of one kind, in the order of ``items_of``: ``items_of[unit]`` is its
    scorecard (the scheme's branch items, or a department's share of the pool)."""
    ranked: dict[str, dict[str, float]] = {}
    for items in items_of.values():
        for item in items:
            if item.rule == "rank" and item.key not in ranked:
                values = {u: inputs[u].figures.get(item.key) for u in items_of}
                ranked[item.key] = rank_points(item, values)
    adjustments = [a for a in scheme.adjustments if kind in a.units]
    scores = []
    for unit, items in items_of.items():
        given = inputs[unit]
        points = []
        for item in items:
            value = given.figures.get(item.key)
            earned = round(item_points(item, value, ranked.get(item.key, {}), unit), DIGITS)
            points.append(ItemPoints(item, value, earned, "" if value is not None else "no_figure"))
        adjusted = tuple(
            AdjustmentPoints(a, q, adjustment_points(a, q))
            for a in adjustments
            for q in [given.quantities.get(a.measure, Quantity(None, "not_measured"))]
        )
        veto = next((v.id for v in scheme.vetoes if v.id in given.vetoes), None)
        unscored = UnitScore(unit, kind, tuple(points), adjusted, veto, 0.0)
        if veto is not None:
            vetoed = scheme.veto(veto)
            assert vetoed is not None
            score = vetoed.score
        else:
            score = round(unscored.performance + unscored.bonus - unscored.penalty, DIGITS)
        scores.append(UnitScore(unit, kind, tuple(points), adjusted, veto, score))
    return scores


def rank_units(scores: Sequence[UnitScore]) -> list[Ranked]:
    """Best first, by the module's ranking rule; the input order breaks nothing but the
    listing of units that share a rank."""

    def key(s: UnitScore) -> tuple[bool, float, float]:
        return (s.veto is not None, -s.score, -s.performance)

    ordered = sorted(scores, key=key)  # stable: shared ranks keep the input (org) order
    ranked: list[Ranked] = []
    for position, unit in enumerate(ordered):
        if position and key(ordered[position - 1]) == key(unit):
            rank = ranked[-1].rank
        else:
            rank = position + 1
        ranked.append(Ranked(unit, rank, len(ordered)))
    return ranked


def year_to_date(scores: Sequence[float | None]) -> float | None:
    """The mean of the year's monthly scores so far (months the unit was scored in)."""
    present = [s for s in scores if s is not None]
    return round(sum(present) / len(present), DIGITS) if present else None


def change(current: float | None, previous: float | None) -> float | None:
    if current is None or previous is None:
        return None
    return round(current - previous, DIGITS)
