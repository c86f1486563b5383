"""A month's assessment as plain data: what ``services.assess(month)`` returns.

The shape is a contract (the monthly report, the pages and ``sqm assess --json`` read it):
fields are added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqm.assessment.core.scheme import UnitKind


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One scored indicator of a unit's scorecard."""

    indicator: str
    name_zh: str
    name_en: str
    tiers: tuple[str, ...]  # the figure over these customer tiers only; () = all
    unit: str  # the indicator's unit ("percent", "minutes", …)
    rule: str  # linear | full_zero | rank
    better: str  # higher | lower
    value: float | None  # None: no figure this month (the item scores nothing)
    target: float | None
    floor: float | None
    weight: float
    points: float
    lost: float  # weight − points: what the item cost the unit
    department: str  # the accountable department in force that month
    note: str  # "" or "no_figure"


@dataclass(frozen=True, slots=True)
class AdjustmentResult:
    """A bonus or penalty: the measured quantity and the points it gave or took."""

    id: str
    name_zh: str
    name_en: str
    kind: str  # bonus | penalty
    measure: str
    quantity: float | None  # None: not measured, ``reason`` says why
    points: float
    reason: str


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit: str  # branch or department code
    kind: UnitKind
    name_zh: str
    name_en: str
    score: float
    rank: int
    of: int  # units of this kind ranked (13 branches; the departments assessed)
    items: tuple[ItemResult, ...]
    performance: float  # Σ item points
    bonus: float
    penalty: float
    adjustments: tuple[AdjustmentResult, ...]
    veto: str | None  # the veto that set the score, or None
    veto_name_zh: str | None
    veto_name_en: str | None
    previous_score: float | None  # last month (None: not scored then)
    previous_rank: int | None
    change: float | None  # score − previous_score
    rank_change: int | None  # previous_rank − rank: positive = moved up
    year_to_date: float | None  # mean monthly score, January to this month
    year_to_date_months: int

    def costliest(self, count: int = 3) -> list[ItemResult]:
        """The items that cost the unit the most points, largest loss first."""
        losing = [i for i in self.items if i.lost > 0]
        return sorted(losing, key=lambda i: -i.lost)[:count]

    def as_json(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "kind": self.kind,
            "name": self.name_zh,
            "score": self.score,
            "rank": self.rank,
            "of": self.of,
            "items": [
                {
                    "indicator": i.indicator,
                    "tiers": list(i.tiers),
                    "rule": i.rule,
                    "value": i.value,
                    "target": i.target,
                    "weight": round(i.weight, 4),
                    "points": i.points,
                }
                for i in self.items
            ],
            "bonus": self.bonus,
            "penalty": self.penalty,
            "adjustments": [
                {
                    "id": a.id,
                    "kind": a.kind,
                    "quantity": a.quantity,
                    "points": a.points,
                    "reason": a.reason,
                }
                for a in self.adjustments
            ],
            "veto": self.veto,
            "change": self.change,
            "rank_change": self.rank_change,
            "year_to_date": self.year_to_date,
        }


@dataclass(frozen=True, slots=True)
class Unassessed:
    unit: str
    kind: UnitKind
    name_zh: str
    name_en: str
    reason: str


@dataclass(frozen=True, slots=True)
class Assessment:
    month: str
    scheme_name: str
    scheme_version: str  # "default" or "v<id> from YYYY-MM"
    units: tuple[UnitResult, ...]  # branches by rank, then departments by rank
    unassessed: tuple[Unassessed, ...]  # departments no scored indicator is accountable to

    def branches(self) -> list[UnitResult]:
        return [u for u in self.units if u.kind == "branch"]

    def departments(self) -> list[UnitResult]:
        return [u for u in self.units if u.kind == "department"]

    def unit(self, code: str, kind: UnitKind | None = None) -> UnitResult:
        """KeyError for a unit not assessed this month."""
        for u in self.units:
            if u.unit == code and (kind is None or u.kind == kind):
                return u
        raise KeyError(code)

    def as_json(self) -> dict[str, Any]:
        return {
            "month": self.month,
            "scheme": {"name": self.scheme_name, "version": self.scheme_version},
            "units": [u.as_json() for u in self.units],
            "unassessed": [
                {"unit": u.unit, "kind": u.kind, "reason": u.reason} for u in self.unassessed
            ],
        }
