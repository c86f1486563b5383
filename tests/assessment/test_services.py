"""services.assess against hand computations of SIMPLE (tests/assessment/conftest.py).

February by hand — branches: NJ FCR 87 → (87 − 75)/15 × 60 = 48, satisfaction 1st of 13 →
40, penalty 2 × (1.0 − 0.5) = 1 → 87; WX 60 + 40 × 11/12 = 96.67; the 11 others FCR 75 → 0
and tied on satisfaction for ranks 3–13 (mean rank 8) → 40 × 5/12 = 16.67, sharing rank 3.
Departments — csc (FCR, province 86): 11/15 × 100 = 73.33; quality (satisfaction 7.5):
0.75 × 100 = 75. March: NJ FCR 90 → 60 + 40 − 1 = 99.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sqm.assessment import services
from tests.assessment.conftest import NOW, OTHERS, SIMPLE


def test_a_month_is_scored_as_worked_out_by_hand(scored_months: Any) -> None:
    february = services.assess("2026-02")
    assert february.scheme_name == "测试方案"
    wx, nj = february.branches()[:2]
    assert (wx.unit, wx.score, wx.rank, wx.of) == ("WX", 96.67, 1, 13)
    assert (nj.unit, nj.score, nj.performance, nj.penalty, nj.rank) == ("NJ", 87.0, 88.0, 1.0, 2)
    assert [(i.indicator, i.value, i.points) for i in nj.items] == [
        ("hotline_first_contact_resolution_rate", 87.0, 48.0),
        ("satisfaction_overall_score", 8.5, 40.0),
    ]
    others = february.branches()[2:]
    assert {u.unit for u in others} == set(OTHERS)
    assert {(u.score, u.rank) for u in others} == {(16.67, 3)}
    departments = {u.unit: (u.score, u.rank) for u in february.departments()}
    assert departments == {"quality": (75.0, 1), "csc": (73.33, 2)}
    assert {u.unit for u in february.unassessed} == {
        "market", "network", "it", "group", "data", "internet", "finance",
    }  # fmt: skip


def test_the_change_against_last_month_and_the_year_to_date_come_from_the_months_before(
    scored_months: Any,
) -> None:
    nj = services.assess("2026-03").unit("NJ", "branch")
    assert (nj.score, nj.previous_score, nj.change) == (99.0, 87.0, 12.0)
    assert (nj.rank, nj.previous_rank, nj.rank_change) == (1, 2, 1)
    assert (nj.year_to_date, nj.year_to_date_months) == (93.0, 2)
    first = services.assess("2026-02").unit("NJ", "branch")
    assert (first.change, first.year_to_date) == (None, 87.0)


def test_a_closed_month_is_recomputed_with_the_scheme_and_map_in_force_then(
    scored_months: Any,
) -> None:
    before = services.assess("2026-02").as_json()
    # From March: FCR all-or-nothing at 90, and csc answers for satisfaction too.
    stricter = SIMPLE.replace(
        "weight: 60, rule: linear, floor: 75, target: 90}",
        "weight: 60, rule: full_zero, target: 90}",
    )
    services.save_scheme(stricter, "2026-03", "FCR 全有全无", now_month="2026-03")
    services.assign("satisfaction_overall_score", "csc", "2026-03", now_month="2026-03")
    assert services.assess("2026-02").as_json() == before
    march = services.assess("2026-03")
    assert march.unit("NJ").items[0].rule == "full_zero"
    assert march.unit("NJ").items[0].points == 60.0  # 90 meets 90
    csc = march.unit("csc", "department")
    # Half the weight each now: FCR 86 → 11/15 × 50 = 36.67; satisfaction 0.75 × 50 = 37.5.
    assert [(i.indicator, i.points) for i in csc.items] == [
        ("hotline_first_contact_resolution_rate", 36.67),
        ("satisfaction_overall_score", 37.5),
    ]
    assert csc.score == 74.17
    assert "quality" in {u.unit for u in march.unassessed}


def test_a_change_may_not_take_effect_in_a_month_that_has_ended(scored_months: Any) -> None:
    with pytest.raises(services.ClosedMonth, match="2026-02 has ended"):
        services.save_scheme(SIMPLE, "2026-02", "改过去", now_month="2026-03")
    with pytest.raises(services.ClosedMonth):
        services.assign("satisfaction_overall_score", "csc", "2026-02", now_month="2026-03")
    with pytest.raises(services.SchemeError, match="not in the catalog: no_such_indicator"):
        services.save_scheme(
            SIMPLE.replace(
                "satisfaction_overall_score, weight: 40", "no_such_indicator, weight: 40"
            ),
            "2026-04",
            "拼错",
            now_month="2026-03",
        )


def test_a_customer_data_leak_sets_the_score_to_the_floor_and_ranks_the_branch_last(
    scored_months: Any,
) -> None:
    services.record_veto("2026-03", "branch", "WX", "营业员泄露客户资料")
    march = services.assess("2026-03")
    wx = march.unit("WX", "branch")
    assert (wx.score, wx.veto, wx.veto_name_zh, wx.rank) == (
        0.0,
        "customer_data_leak",
        "泄露客户信息",
        13,
    )
    assert wx.performance == 96.67  # the items still show what they earned
    payload = wx.as_json()
    assert payload["veto"] == "customer_data_leak" and payload["score"] == 0.0
    with pytest.raises(ValueError, match="no veto 'bribery'"):
        services.record_veto("2026-03", "branch", "WX", "x", veto="bribery")


def test_a_month_without_indicator_results_is_refused_with_the_command_to_run(
    simple_scheme: None,
) -> None:
    with pytest.raises(services.NoFigures, match="sqm compute --period 2026-05"):
        services.assess("2026-05")


def test_the_json_score_is_the_sum_of_item_points_plus_bonus_minus_penalty(
    scored_months: Any,
) -> None:
    for unit in services.assess("2026-03").as_json()["units"]:
        if unit["veto"] is None:
            total = sum(i["points"] for i in unit["items"]) + unit["bonus"] - unit["penalty"]
            assert unit["score"] == pytest.approx(total, abs=1e-9)
        assert set(unit) >= {"unit", "kind", "score", "rank", "items", "bonus", "penalty", "veto"}
        for item in unit["items"]:
            assert set(item) >= {"indicator", "value", "target", "weight", "points"}


def test_overdue_improvement_actions_cost_their_department_points(
    scored_months: Any, people: dict[str, Any]
) -> None:
    from sqm.improvement import services as improvement

    overdue = (
        "  - {id: overdue_actions, name_zh: 督办超期, name_en: Overdue actions, kind: penalty, "
        "measure: overdue_actions, units: [department, branch], per: 0.5, cap: 5}\nvetoes:"
    )
    services.save_scheme(SIMPLE.replace("vetoes:", overdue), "2026-02", "督办", now_month="2026-02")
    for n in range(3):
        improvement.create_action(
            people["analyst"],
            title=f"压降热线重复来电 {n}",
            owner_department="csc",
            deadline=date(2026, 2, 10),
            today=date(2026, 2, 1),
        )
    february = services.assess("2026-02")
    csc = february.unit("csc", "department")
    # Three actions past their deadline at the month's end: 3 × 0.5 = 1.5 off 73.33.
    assert (csc.penalty, csc.score) == (1.5, 71.83)
    assert february.unit("quality", "department").penalty == 0.0
    nj = {a.id: a for a in february.unit("NJ", "branch").adjustments}
    assert (nj["overdue_actions"].points, nj["overdue_actions"].reason) == (0.0, "not_offered")


VIP_SCHEME = """
name: VIP
branch:
  - {indicator: hotline_service_level_15s, tiers: [diamond, gold, silver], weight: 50, rule: linear, floor: 70, target: 85}
  - {indicator: satisfaction_overall_score, weight: 50, rule: linear, floor: 6, target: 8}
department:
  - {indicator: satisfaction_overall_score, weight: 1, rule: linear, floor: 6, target: 8}
"""  # noqa: E501


def test_a_figure_over_some_tiers_adds_their_counts_and_untiered_rows_never_stand_in(
    reference: None,
) -> None:
    from sqm.indicators.models import Result, ResultSet

    services.save_scheme(VIP_SCHEME, "2026-01", "VIP", now_month="2026-01")
    rows: dict[str, list[dict[str, Any]]] = {
        "": [{"indicator": "satisfaction_overall_score", "value": 7.5}],
        "branch": [{"indicator": "satisfaction_overall_score", "branch": "NJ", "value": 8.0}],
        # The engine also stores the customers without a tier: a row with tier null.
        "tier": [{"indicator": "satisfaction_overall_score", "tier": None, "value": 3.0}],
        "branch,tier": [
            {"indicator": "satisfaction_overall_score", "branch": "NJ", "tier": None, "value": 1},
            *(
                {
                    "indicator": "hotline_service_level_15s",
                    "branch": "NJ",
                    "tier": tier,
                    "numerator": numerator,
                    "denominator": denominator,
                    "value": numerator / denominator * 100,
                }
                for tier, numerator, denominator in (
                    ("diamond", 18, 20),
                    ("gold", 27, 30),
                    ("silver", 40, 50),
                    ("ordinary", 10, 100),  # not a VIP tier: left out
                )
            ),
        ],
    }
    for cut, results in rows.items():
        result_set = ResultSet.objects.create(
            period="2026-02", cut=cut, engine="duckdb", computed_at=NOW, seconds=1, rows=0
        )
        Result.objects.bulk_create(Result(result_set=result_set, **r) for r in results)
    february = services.assess("2026-02")
    nj = february.unit("NJ", "branch")
    # VIP: (18 + 27 + 40) / (20 + 30 + 50) = 85 % → all 50; satisfaction 8.0 → all 50.
    assert [(i.value, i.points) for i in nj.items] == [(85.0, 50.0), (8.0, 50.0)]
    assert february.unit("quality", "department").score == 75.0  # 7.5, not the untiered 3.0
