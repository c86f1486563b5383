"""Traffic lights against targets or the province, cells of the matrix, ranks with ties."""

from __future__ import annotations

from typing import Any

from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.scorecard import Cell, cells, light, ranks


def _indicator(direction: str = "higher") -> Any:
    return (
        load_catalog().get("hotline_service_level_15s").model_copy(update={"direction": direction})
    )


def test_a_target_decides_the_light_when_one_applies() -> None:
    indicator = _indicator()
    assert light(indicator, 86.0, 85.0, "met", province=99.0) == "green"
    assert light(indicator, 80.0, 85.0, "missed", province=10.0) == "amber"  # 5.9% short
    assert light(indicator, 70.0, 85.0, "missed", province=10.0) == "red"  # 17.6% short


def test_without_a_target_the_province_is_the_yardstick() -> None:
    higher, lower = _indicator("higher"), _indicator("lower")
    assert light(higher, 99.0, None, None, province=100.0) == "green"  # 1% below
    assert light(higher, 95.0, None, None, province=100.0) == "amber"
    assert light(higher, 85.0, None, None, province=100.0) == "red"
    assert light(lower, 105.0, None, None, province=100.0) == "amber"  # lower is better
    assert light(lower, 50.0, None, None, province=100.0) == "green"


def test_nothing_to_judge_gives_no_light() -> None:
    assert light(_indicator(), None, 85.0, None, province=80.0) is None
    assert light(_indicator("neutral"), 5.0, None, None, province=4.0) is None
    assert light(_indicator(), 5.0, None, None, province=None) is None


def test_a_cell_turns_red_when_more_than_a_fifth_of_its_figures_are_red() -> None:
    lit = cells(
        [("NJ", "operations", f"i{n}", "red" if n < 2 else "green") for n in range(9)]
        + [("NJ", "operations", "dark", None), ("WX", "complaint", "c1", "amber")]
    )
    nj = lit[("NJ", "operations")]
    assert (nj.green, nj.amber, nj.red, nj.judged) == (7, 0, 2, 9)
    assert nj.light == "red"  # 2/9 = 22% red
    assert lit[("WX", "complaint")].light == "amber"
    assert Cell().light is None


def test_a_cell_is_green_only_without_red_and_with_few_ambers() -> None:
    greens = [("NJ", "g", f"i{n}", "green") for n in range(8)]
    assert cells([*greens, ("NJ", "g", "a1", "amber")])[("NJ", "g")].light == "green"
    two_ambers = [*greens[:4], ("NJ", "g", "a1", "amber"), ("NJ", "g", "a2", "amber")]
    assert cells(two_ambers)[("NJ", "g")].light == "amber"  # 2/6 amber
    one_red = [*greens, ("NJ", "g", "r", "red")]
    assert cells(one_red)[("NJ", "g")].light == "amber"  # 1/9 red: not green, not red


def test_ranks_follow_the_better_direction_and_share_places_on_ties() -> None:
    values = {"NJ": 80.0, "WX": 90.0, "SZ": 80.0, "XZ": 70.0, "SQ": None}
    assert ranks(_indicator("higher"), values) == {"WX": 1, "NJ": 2, "SZ": 2, "XZ": 4}
    assert ranks(_indicator("lower"), values) == {"XZ": 1, "NJ": 2, "SZ": 2, "WX": 4}
    assert ranks(_indicator("neutral"), values) == {}
