"""Traffic lights and ranks: how a branch's indicators read against targets and the province.

Only 13 of the catalog's indicators carry a published target, so a matrix lit by targets
alone would leave most cells dark. Every indicator with a better direction is judged:

- against its target when one applies — green when met, amber when missed by at most
  ``AMBER_TOLERANCE`` of the target, red beyond;
- otherwise against the province figure — green when at least as good or within
  ``PROVINCE_TOLERANCE``, amber when worse by up to ``AMBER_TOLERANCE``, red beyond.

A cell of the matrix (a branch × a group of indicators) is red when more than
``RED_CELL_SHARE`` of its judged indicators are red, green when none is red and at most
``AMBER_CELL_SHARE`` amber, amber otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from sqm.indicators.core.spec import Indicator

Light = Literal["green", "amber", "red"]
LIGHTS: tuple[Light, ...] = ("green", "amber", "red")

PROVINCE_TOLERANCE = 0.02
AMBER_TOLERANCE = 0.10
RED_CELL_SHARE = 0.20
AMBER_CELL_SHARE = 0.20


def _shortfall(value: float, reference: float, direction: str) -> float:
    """How much worse ``value`` is than ``reference``, relative to it (0 when not worse)."""
    worse = reference - value if direction == "higher" else value - reference
    if worse <= 0:
        return 0.0
    return worse / abs(reference) if reference else float("inf")


def light(
    indicator: Indicator,
    value: float | None,
    target: float | None,
    status: str | None,
    province: float | None,
) -> Light | None:
    """The light of one figure, or None when there is nothing to judge it by."""
    if value is None or indicator.direction == "neutral":
        return None
    if target is not None and status is not None:
        if status == "met":
            return "green"
        return (
            "amber" if _shortfall(value, target, indicator.direction) <= AMBER_TOLERANCE else "red"
        )
    if province is None:
        return None
    shortfall = _shortfall(value, province, indicator.direction)
    if shortfall <= PROVINCE_TOLERANCE:
        return "green"
    return "amber" if shortfall <= AMBER_TOLERANCE else "red"


@dataclass(slots=True)
class Cell:
    green: int = 0
    amber: int = 0
    red: int = 0
    indicators: list[str] = field(default_factory=list)

    def add(self, indicator: str, lit: Light) -> None:
        setattr(self, lit, getattr(self, lit) + 1)
        self.indicators.append(indicator)

    @property
    def judged(self) -> int:
        return self.green + self.amber + self.red

    @property
    def light(self) -> Light | None:
        if not self.judged:
            return None
        if self.red / self.judged > RED_CELL_SHARE:
            return "red"
        if self.red == 0 and self.amber / self.judged <= AMBER_CELL_SHARE:
            return "green"
        return "amber"

    @property
    def green_share(self) -> float | None:
        return self.green / self.judged if self.judged else None


def cells(
    lights: Iterable[tuple[str, str, str, Light | None]],
) -> dict[tuple[str, str], Cell]:
    """(row, group, indicator, light) per figure → one cell per (row, group)."""
    found: dict[tuple[str, str], Cell] = {}
    for row, group, indicator, lit in lights:
        cell = found.setdefault((row, group), Cell())
        if lit is not None:
            cell.add(indicator, lit)
    return found


def ranks(indicator: Indicator, values: Mapping[str, float | None]) -> dict[str, int]:
    """Competition ranks ("1224"): 1 is best in the indicator's better direction; branches with
    no value are not ranked; a neutral indicator ranks nobody."""
    if indicator.direction == "neutral":
        return {}
    sign = -1.0 if indicator.direction == "higher" else 1.0
    known = sorted(((sign * v, k) for k, v in values.items() if v is not None))
    ranked: dict[str, int] = {}
    for position, (key, code) in enumerate(known, start=1):
        previous = known[position - 2] if position > 1 else None
        if previous is not None and previous[0] == key:
            ranked[code] = ranked[previous[1]]
        else:
            ranked[code] = position
    return ranked
