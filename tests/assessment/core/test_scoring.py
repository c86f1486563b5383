"""Scoring arithmetic against cases worked out by hand (the numbers in the comments)."""

from __future__ import annotations

import pytest

from sqm.assessment.core.history import Dated, in_force, months_of_year_until
from sqm.assessment.core.scheme import Adjustment, Item, Scheme, Veto
from sqm.assessment.core.scoring import (
    Quantity,
    UnitInputs,
    adjustment_points,
    rank_units,
    score_units,
    shared_ranks,
    year_to_date,
)


def scheme(*branch: Item, adjustments: tuple[Adjustment, ...] = (), vetoes=()) -> Scheme:
    return Scheme(name="test", branch=branch, adjustments=adjustments, vetoes=vetoes)


def one_item_scores(item: Item, **values: float | None) -> dict[str, float]:
    s = scheme(item, Item(indicator="filler", weight=100 - item.weight, rule="rank"))
    items_of = {unit: s.branch for unit in values}
    inputs = {unit: UnitInputs({item.key: v}) for unit, v in values.items()}
    return {u.unit: u.items[0].points for u in score_units(s, "branch", items_of, inputs)}


def test_linear_items_score_the_share_of_the_way_from_floor_to_target() -> None:
    item = Item(indicator="sl", weight=20, rule="linear", floor=70, target=85)
    # (80 − 70) / (85 − 70) = 2/3 of 20 = 13.33; above the target full, below the floor none.
    assert one_item_scores(item, a=80, b=90, c=60, d=85) == {
        "a": 13.33,
        "b": 20.0,
        "c": 0.0,
        "d": 20.0,
    }


def test_a_linear_item_whose_floor_is_above_its_target_rewards_lower_figures() -> None:
    item = Item(indicator="wait", weight=10, rule="linear", better="lower", floor=20, target=10)
    # (14 − 20) / (10 − 20) = 0.6 of 10 = 6; 25 minutes none; 8 minutes all.
    assert one_item_scores(item, a=14, b=25, c=8) == {"a": 6.0, "b": 0.0, "c": 10.0}


def test_full_zero_items_give_all_or_nothing_at_the_target() -> None:
    higher = Item(indicator="reach", weight=5, rule="full_zero", target=100)
    assert one_item_scores(higher, a=100, b=99.9) == {"a": 5.0, "b": 0.0}
    lower = Item(indicator="wait", weight=5, rule="full_zero", target=10, better="lower")
    assert one_item_scores(lower, a=10, b=10.01) == {"a": 5.0, "b": 0.0}


def test_rank_items_share_the_mean_rank_of_a_tie_so_a_tie_makes_no_points() -> None:
    item = Item(indicator="sat", weight=15, rule="rank")
    # Ranks 1, 2.5, 2.5, 4 of n = 4: 15 × (4 − r) / 3 → 15, 7.5, 7.5, 0 (total 30, as
    # 15 + 10 + 5 + 0 without the tie); a branch without a figure is not ranked and gets 0.
    points = one_item_scores(item, a=90, b=80, c=80, d=70, e=None)
    assert points == {"a": 15.0, "b": 7.5, "c": 7.5, "d": 0.0, "e": 0.0}
    assert shared_ranks({"a": 1.0, "b": 2.0}, "lower") == {"a": 1.0, "b": 2.0}


def test_a_unit_without_a_figure_scores_nothing_for_the_item_and_says_why() -> None:
    item = Item(indicator="sl", weight=100, rule="linear", floor=0, target=100)
    (unit,) = score_units(scheme(item), "branch", {"a": (item,)}, {"a": UnitInputs({})})
    assert unit.items[0].points == 0 and unit.items[0].note == "no_figure"
    assert unit.items[0].lost == 100


PENALTY = Adjustment(
    id="escalated",
    name_zh="升级投诉",
    name_en="Escalated",
    kind="penalty",
    measure="escalated_per_10k_customers",
    units=("branch",),
    per=2,
    allowance=0.5,
    cap=5,
)
BONUS = PENALTY.model_copy(update={"id": "lead", "kind": "bonus", "measure": "overdue_actions"})
LEAK = Veto(id="customer_data_leak", name_zh="泄露客户信息", name_en="Data leak", score=0)


def test_adjustments_count_points_per_unit_above_the_allowance_up_to_the_cap() -> None:
    assert adjustment_points(PENALTY, Quantity(1.2)) == 1.4  # 2 × (1.2 − 0.5)
    assert adjustment_points(PENALTY, Quantity(0.3)) == 0.0
    assert adjustment_points(PENALTY, Quantity(4.0)) == 5.0  # 7 capped at 5
    assert adjustment_points(PENALTY, Quantity(None, "no_figure")) == 0.0


def test_the_score_is_the_item_points_plus_bonus_minus_penalty_unless_a_veto_applies() -> None:
    sl = Item(indicator="sl", weight=60, rule="linear", floor=70, target=85)
    fcr = Item(indicator="fcr", weight=40, rule="full_zero", target=90)
    s = scheme(sl, fcr, adjustments=(PENALTY, BONUS), vetoes=(LEAK,))
    quantities = {
        "escalated_per_10k_customers": Quantity(1.5),  # penalty 2 × 1.0 = 2
        "overdue_actions": Quantity(1.0),  # bonus 2 × 0.5 = 1
    }
    inputs = {
        "a": UnitInputs({"sl": 79, "fcr": 91}, quantities),  # 36 + 40 = 76
        "b": UnitInputs({"sl": 79, "fcr": 91}, quantities, vetoes=["customer_data_leak"]),
    }
    a, b = score_units(s, "branch", {"a": s.branch, "b": s.branch}, inputs)
    assert (a.performance, a.bonus, a.penalty, a.score, a.veto) == (76.0, 1.0, 2.0, 75.0, None)
    assert (b.performance, b.score, b.veto) == (76.0, 0.0, "customer_data_leak")


def test_ranking_puts_vetoes_last_breaks_equal_scores_by_item_points_then_shares_the_rank() -> None:
    s = scheme(Item(indicator="x", weight=100, rule="linear", floor=0, target=100))
    s = s.model_copy(update={"adjustments": (PENALTY,), "vetoes": (LEAK,)})
    inputs = {
        "a": UnitInputs({"x": 80}),  # 80
        "b": UnitInputs({"x": 82}, {"escalated_per_10k_customers": Quantity(1.5)}),  # 82 − 2
        "c": UnitInputs({"x": 80}),  # 80, as a: shares its rank
        "d": UnitInputs({"x": 99}, vetoes=["customer_data_leak"]),  # 0 and last
        "e": UnitInputs({"x": 10}),
    }
    ranked = rank_units(score_units(s, "branch", dict.fromkeys(inputs, s.branch), inputs))
    assert [(r.score.unit, r.score.score, r.rank) for r in ranked] == [
        ("b", 80.0, 1),
        ("a", 80.0, 2),
        ("c", 80.0, 2),
        ("e", 10.0, 4),
        ("d", 0.0, 5),
    ]
    assert {r.of for r in ranked} == {5}


def test_a_scheme_change_mid_year_scores_each_month_by_its_own_scheme_and_the_year_averages() -> (
    None
):
    v1 = scheme(Item(indicator="x", weight=100, rule="linear", floor=0, target=100))
    v2 = scheme(Item(indicator="x", weight=100, rule="full_zero", target=90))
    versions = [Dated("2026-01", 1, v1), Dated("2026-07", 2, v2)]
    scores = []
    for month in months_of_year_until("2026-08"):
        chosen = in_force(versions, month)
        assert chosen is not None
        s = chosen.value
        (unit,) = score_units(s, "branch", {"a": s.branch}, {"a": UnitInputs({"x": 80})})
        scores.append(unit.score)
    # January–June linear: 80 each; July and August all-or-nothing at 90: 0 each.
    assert scores == [80.0] * 6 + [0.0, 0.0]
    assert year_to_date(scores) == 60.0  # 480 / 8
    assert year_to_date([80.0, None, 70.0]) == 75.0  # a month not scored does not count


@pytest.mark.parametrize("month,version", [("2025-12", None), ("2026-06", 1), ("2026-07", 2)])
def test_the_version_in_force_is_the_latest_to_take_effect_on_or_before_the_month(
    month: str, version: int | None
) -> None:
    versions = [Dated("2026-01", 1, "v1"), Dated("2026-07", 2, "v2")]
    chosen = in_force(versions, month)
    assert (chosen.sequence if chosen else None) == version


def test_printed_parts_add_up_to_the_printed_score() -> None:
    thirds = [
        Item(indicator=f"x{n}", weight=w, rule="linear", floor=0, target=3)
        for n, w in enumerate((33.3, 33.3, 33.4))
    ]
    s = scheme(*thirds, adjustments=(PENALTY,))
    given = UnitInputs({"x0": 1, "x1": 2, "x2": 1}, {"escalated_per_10k_customers": Quantity(0.77)})
    (unit,) = score_units(s, "branch", {"a": s.branch}, {"a": given})
    assert unit.score == round(sum(i.points for i in unit.items) - unit.penalty, 2)
    assert [i.points for i in unit.items] == [11.1, 22.2, 11.13]
    assert unit.penalty == 0.54
