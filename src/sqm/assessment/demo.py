"""The demo's 13+N assessment: both demo months scored, so the change against last month and
the year to date are real on the pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqm.assessment import services


@dataclass(frozen=True, slots=True)
class Seeded:
    months: dict[str, tuple[str, float]]  # month → (first branch, its score)
    moved: tuple[str, float] | None  # the branch that gained most on last month, and by how much


def seed_assessment(months: Sequence[str]) -> Seeded:
    """Score every month that has indicator results (scores are computed from them on each
    reading; nothing is stored but what the administrator decides)."""
    available = set(services.months())
    leaders: dict[str, tuple[str, float]] = {}
    moved = None
    for month in months:
        if month not in available:
            continue
        branches = services.assess(month).branches()
        leaders[month] = (branches[0].name_zh, branches[0].score)
        changes = [(u.name_zh, u.change) for u in branches if u.change is not None]
        if changes:
            best = max(changes, key=lambda pair: pair[1])
            moved = (best[0], best[1])
    return Seeded(leaders, moved)
