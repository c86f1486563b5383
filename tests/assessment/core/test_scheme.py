"""The scheme is a strict structure: what it refuses, and how departments get their share."""

from __future__ import annotations

import pytest

from sqm.assessment.core.history import Assignment, Dated, map_in_force, previous_month
from sqm.assessment.core.scheme import (
    SchemeError,
    department_items,
    parse_scheme,
    scheme_document,
)

VALID = """
name: test
branch:
  - {indicator: sl, weight: 60, rule: linear, floor: 70, target: 85}
  - {indicator: sat, weight: 40, rule: rank}
department:
  - {indicator: sl, weight: 15, rule: linear, floor: 70, target: 85}
  - {indicator: fcr, weight: 15, rule: linear, floor: 75, target: 90}
  - {indicator: reach, weight: 5, rule: full_zero, target: 100}
  - {indicator: wait, weight: 10, rule: linear, better: lower, floor: 20, target: 10}
"""


def test_a_valid_scheme_round_trips_through_its_yaml() -> None:
    scheme = parse_scheme(VALID)
    assert parse_scheme(scheme_document(scheme)) == scheme


@pytest.mark.parametrize(
    "change,message",
    [
        ("weight: 60,", "sum to 90, not 100"),
        ("floor: 70, target: 85}", "needs a floor and a target"),
        ("rule: rank}", "full/zero item needs a target"),
        ("name: test", "Extra inputs are not permitted"),
    ],
)
def test_a_scheme_that_breaks_a_rule_is_refused_with_the_reason(change: str, message: str) -> None:
    broken = {
        "weight: 60,": VALID.replace("weight: 60,", "weight: 50,", 1),
        "floor: 70, target: 85}": VALID.replace("floor: 70, target: 85}", "target: 85}", 1),
        "rule: rank}": VALID.replace("rule: rank}", "rule: full_zero}"),
        "name: test": VALID.replace("name: test", "name: test\nbonus_points: 3"),
    }[change]
    with pytest.raises(SchemeError, match=message):
        parse_scheme(broken)


def test_a_linear_item_must_say_which_way_is_better_consistently_with_its_thresholds() -> None:
    with pytest.raises(SchemeError, match="mean lower is better, but the item says higher"):
        parse_scheme(VALID.replace("better: lower, ", ""))


def test_departments_cannot_be_ranked_and_items_cannot_repeat() -> None:
    with pytest.raises(SchemeError, match="rank items are for branches only"):
        parse_scheme(
            VALID.replace(
                "{indicator: fcr, weight: 15, rule: linear, floor: 75, target: 90}",
                "{indicator: fcr, weight: 15, rule: rank}",
            )
        )
    with pytest.raises(SchemeError, match="sat listed twice"):
        parse_scheme(
            VALID.replace("weight: 60,", "weight: 30,").replace(
                "  - {indicator: sat, weight: 40, rule: rank}",
                "  - {indicator: sat, weight: 40, rule: rank}\n  - {indicator: sat, weight: 30, "
                "rule: rank}",
            )
        )
    with pytest.raises(SchemeError, match="not valid YAML"):
        parse_scheme("name: [")


def test_a_department_scores_the_pool_items_it_is_accountable_for_scaled_to_100() -> None:
    scheme = parse_scheme(VALID)
    accountable = {"sl": "csc", "fcr": "csc", "reach": "csc", "wait": "market"}
    # csc: 15, 15, 5 of 35 → 42.857…, 42.857…, 14.285…; market: 10 of 10 → 100.
    csc = department_items(scheme, "csc", accountable)
    assert [i.indicator for i in csc] == ["sl", "fcr", "reach"]
    assert [round(i.weight, 3) for i in csc] == [42.857, 42.857, 14.286]
    assert sum(i.weight for i in csc) == pytest.approx(100)
    assert [i.weight for i in department_items(scheme, "market", accountable)] == [100]
    assert department_items(scheme, "group", accountable) == ()


def test_the_map_in_force_takes_the_latest_change_on_or_before_the_month() -> None:
    catalog = {"sl": "csc", "wait": "market"}
    changes = [
        Dated("2026-04", 1, Assignment("wait", "csc")),
        Dated("2026-04", 2, Assignment("wait", "quality")),  # same month, made later: wins
        Dated("2026-09", 3, Assignment("sl", "market")),
    ]
    assert map_in_force(catalog, changes, "2026-03") == catalog
    assert map_in_force(catalog, changes, "2026-04") == {"sl": "csc", "wait": "quality"}
    assert map_in_force(catalog, changes, "2026-12") == {"sl": "market", "wait": "quality"}
    assert previous_month("2026-01") == "2025-12"
    assert previous_month("2026-11") == "2026-10"
