"""The scoring scheme (考核方案): what counts, how much, and by which rule — a strict structure.

A scheme is written in YAML (the packaged ``default_scheme.yaml``, or a version an
administrator saves) and validated here: unknown keys are errors, the branch items' weights
sum to 100, each rule carries exactly the thresholds it needs.

- **Branch items** (``branch``): the same scorecard for each of the 13 branches, on the
  branch's own figures. Weights sum to 100.
- **Department items** (``department``): a pool; each department is scored on the pool items
  whose indicator the accountability map (认责) assigns to it in that month, their weights
  scaled to sum to 100 for that department (``department_items``). A map change therefore
  moves an item from one department's scorecard to another's without editing the scheme.
- **Rules**: ``linear`` — full points at ``target``, none at ``floor``, straight in between
  (a floor above the target means lower is better); ``full_zero`` — all or nothing against
  ``target`` in the ``better`` direction; ``rank`` — by rank among the branches (branches only).
- **Adjustments**: bonus or penalty points, ``per`` point per unit of a measured quantity
  above an ``allowance``, capped at ``cap``.
- **Vetoes** (一票否决): an incident of this kind in the month sets the unit's score to
  ``score``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

Rule = Literal["linear", "full_zero", "rank"]
Better = Literal["higher", "lower"]
UnitKind = Literal["branch", "department"]
# The quantities an adjustment can count; the services layer measures each one.
Measure = Literal[
    "escalated_per_10k_customers",
    "appeals_per_10k_customers",
    "overdue_actions",
    "promise_breaches",
]
MEASURES: tuple[Measure, ...] = (
    "escalated_per_10k_customers",
    "appeals_per_10k_customers",
    "overdue_actions",
    "promise_breaches",
)


class SchemeError(ValueError):
    """The scheme text is not a valid scheme; the message says where and why."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Item(Strict):
    """One scored indicator. ``tiers`` scores the figure over those customer tiers only
    (the VIP service level: diamond, gold and silver together)."""

    indicator: str = Field(min_length=1)
    weight: float = Field(gt=0)
    rule: Rule
    target: float | None = None
    floor: float | None = None
    better: Better = "higher"
    tiers: tuple[str, ...] = ()
    source: str = ""  # where the target comes from (a seed, or the house's choice)

    @model_validator(mode="after")
    def _thresholds(self) -> Item:
        if self.rule == "linear":
            if self.target is None or self.floor is None:
                raise ValueError(f"{self.indicator}: a linear item needs a floor and a target")
            if self.floor == self.target:
                raise ValueError(f"{self.indicator}: floor and target must differ")
            implied: Better = "higher" if self.target > self.floor else "lower"
            if implied != self.better:
                raise ValueError(
                    f"{self.indicator}: floor {self.floor} and target {self.target} mean "
                    f"{implied} is better, but the item says {self.better}"
                )
        elif self.rule == "full_zero":
            if self.target is None:
                raise ValueError(f"{self.indicator}: a full/zero item needs a target")
            if self.floor is not None:
                raise ValueError(f"{self.indicator}: a full/zero item has no floor")
        elif self.floor is not None:
            raise ValueError(f"{self.indicator}: a rank item has no floor")
        return self

    @property
    def key(self) -> str:
        """The item's figure: the indicator, or ``indicator@tier+tier`` over some tiers."""
        return f"{self.indicator}@{'+'.join(self.tiers)}" if self.tiers else self.indicator


class Adjustment(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    kind: Literal["bonus", "penalty"]
    measure: Measure
    units: tuple[UnitKind, ...] = Field(min_length=1)
    per: float = Field(gt=0)  # points per unit of the measure above the allowance
    allowance: float = Field(default=0, ge=0)
    cap: float = Field(gt=0)


class Veto(Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    score: float = Field(ge=0)


class Scheme(Strict):
    name: str = Field(min_length=1)
    branch: tuple[Item, ...] = Field(min_length=1)
    department: tuple[Item, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    vetoes: tuple[Veto, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        total = sum(item.weight for item in self.branch)
        if not math.isclose(total, 100, abs_tol=1e-9):
            raise ValueError(f"the branch items' weights sum to {total:g}, not 100")
        for section, items in (("branch", self.branch), ("department", self.department)):
            keys = [item.key for item in items]
            repeated = sorted({k for k in keys if keys.count(k) > 1})
            if repeated:
                raise ValueError(f"{section}: {', '.join(repeated)} listed twice")
        ranked = [item.indicator for item in self.department if item.rule == "rank"]
        if ranked:
            # A department is alone of its kind: there is nobody to be ranked against.
            raise ValueError(f"department: rank items are for branches only ({ranked})")
        for kind, ids in (
            ("adjustment", [a.id for a in self.adjustments]),
            ("veto", [v.id for v in self.vetoes]),
        ):
            if len(set(ids)) != len(ids):
                raise ValueError(f"a {kind} id is repeated: {ids}")
        return self

    def veto(self, veto_id: str) -> Veto | None:
        return next((v for v in self.vetoes if v.id == veto_id), None)

    def indicators(self) -> set[str]:
        return {item.indicator for item in (*self.branch, *self.department)}


def parse_scheme(text: str) -> Scheme:
    """The scheme a YAML text declares, or :class:`SchemeError` naming every problem."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise SchemeError(f"not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise SchemeError("a scheme is a YAML mapping (name, branch, department, …)")
    try:
        return Scheme.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'scheme'}: {e['msg']}" for e in error.errors()
        )
        raise SchemeError(problems) from None


def scheme_document(scheme: Scheme) -> str:
    """The YAML text of a scheme (what an administrator edits)."""
    data = scheme.model_dump(mode="json", exclude_defaults=True)
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def department_items(
    scheme: Scheme, department: str, accountable: Mapping[str, str]
) -> tuple[Item, ...]:
    """The department's scorecard: the pool items whose indicator the map assigns to it,
    weights scaled so that they sum to 100 (empty when none is assigned to it)."""
    mine = [item for item in scheme.department if accountable.get(item.indicator) == department]
    total = sum(item.weight for item in mine)
    return tuple(item.model_copy(update={"weight": item.weight * 100 / total}) for item in mine)
