"""The demo's assessment step: both months scored, the leader of each and the most improved."""

from __future__ import annotations

from typing import Any

from sqm.assessment.demo import seed_assessment


def test_the_demo_scores_both_months_and_names_the_most_improved_branch(
    scored_months: Any,
) -> None:
    seeded = seed_assessment(("2026-01", "2026-02", "2026-03"))  # January has no figures
    assert seeded.months == {"2026-02": ("无锡", 96.67), "2026-03": ("南京", 99.0)}
    assert seeded.moved == ("南京", 12.0)  # 87 → 99
