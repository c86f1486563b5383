"""A simulated figure against its target: service levels must reach it, abandon rates stay
under it."""

from __future__ import annotations

from sqm.planning.core.targets import target_met


def test_a_service_level_meets_its_target_from_the_target_up() -> None:
    assert target_met("vip_service_level", 0.9, 0.9) is True
    assert target_met("ordinary_service_level", 0.79, 0.8) is False


def test_an_abandon_rate_meets_its_target_from_the_target_down() -> None:
    assert target_met("vip_abandon", 0.03, 0.03) is True
    assert target_met("ordinary_abandon", 0.06, 0.05) is False


def test_a_missing_figure_gives_no_verdict() -> None:
    assert target_met("vip_abandon", None, 0.05) is None
    assert target_met("vip_service_level", 0.9, None) is None
