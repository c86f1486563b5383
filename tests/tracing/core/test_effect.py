"""Difference-in-differences and impact sizing against hand computations."""

from __future__ import annotations

import math
from datetime import date

import pytest

from sqm.tracing.core.effect import (
    CUSTOMERS_PER_COMPLAINT,
    difference_in_differences,
    satisfaction_difference,
    size_impact,
)

START = date(2024, 4, 11)


def test_effect_is_the_ratio_of_ratios_minus_one_with_the_poisson_interval() -> None:
    # Ten days each side: treated 10/day then 6/day, control 20/day then 18/day.
    treated = [10] * 10 + [6] * 10
    control = [20] * 10 + [18] * 10
    effect = difference_in_differences(treated, control, START, 10)
    assert (effect.treated_before, effect.treated_after) == (100, 60)
    assert (effect.control_before, effect.control_after) == (200, 180)
    # By hand: (60/100)/(180/200) − 1 = −1/3; var = 1/100 + 1/60 + 1/200 + 1/180 = 0.0372222;
    # exp(ln(2/3) ± 1.959964 · 0.192930) − 1 = (−0.543241, −0.026957).
    assert effect.effect == pytest.approx(-1 / 3)
    assert effect.dispersion == 1.0  # constant days scatter less than Poisson: no inflation
    assert effect.ci_low == pytest.approx(-0.543241, abs=1e-5)
    assert effect.ci_high == pytest.approx(-0.026957, abs=1e-5)
    assert effect.significant


def test_windows_are_the_days_before_start_and_start_onwards() -> None:
    effect = difference_in_differences([1] * 8, [2] * 8, START, 4)
    assert effect.before == (date(2024, 4, 7), date(2024, 4, 10))
    assert effect.after == (date(2024, 4, 11), date(2024, 4, 14))
    assert effect.series[0] == ("2024-04-07", 1, 2)
    assert effect.series[4][0] == "2024-04-11"


def test_a_drop_everyone_saw_is_not_an_effect() -> None:
    effect = difference_in_differences([10] * 5 + [5] * 5, [40] * 5 + [20] * 5, START, 5)
    assert effect.effect == pytest.approx(0.0)
    assert not effect.significant


def test_overdispersed_days_widen_the_interval() -> None:
    calm = difference_in_differences([10] * 10 + [6] * 10, [20] * 20, START, 10)
    jumpy = difference_in_differences([2, 18] * 5 + [1, 11] * 5, [5, 35] * 10, START, 10)
    assert calm.treated_before == jumpy.treated_before == 100
    assert jumpy.dispersion > 5
    assert jumpy.ci_high - jumpy.ci_low > calm.ci_high - calm.ci_low


def test_a_spike_in_the_control_group_widens_only_the_control_part_of_the_interval() -> None:
    # An outage day in one control branch: the control sum scatters, the treated branch's
    # steady counts do not. Treated 10/day then 2/day; control 20/day with one day of 160 after.
    treated = [10] * 10 + [2] * 10
    control = [20] * 10 + [160] + [20] * 9
    effect = difference_in_differences(treated, control, START, 10)
    # By hand: control after = 340; its Pearson χ² = 9·(20−34)²/34 + (160−34)²/34 = 518.82
    # (the constant before days add 0) on 9 + 9 degrees of freedom → φc = 28.824; treated φ = 1
    # (constant days). var = 1·(1/100 + 1/20) + 28.824·(1/200 + 1/340) = 0.06 + 0.22889.
    phi_control = (9 * (20 - 34) ** 2 / 34 + (160 - 34) ** 2 / 34) / 18
    variance = (1 / 100 + 1 / 20) + phi_control * (1 / 200 + 1 / 340)
    log_ratio = math.log((20 / 100) / (340 / 200))
    assert effect.effect == pytest.approx(math.exp(log_ratio) - 1)
    assert effect.ci_low == pytest.approx(math.exp(log_ratio - 1.959964 * variance**0.5) - 1)
    assert effect.ci_high == pytest.approx(math.exp(log_ratio + 1.959964 * variance**0.5) - 1)
    # One scale for both groups (the pooled χ²) would have made the treated part as uncertain
    # as the spiky control: a wider interval than this one.
    pooled = 518.82 / (9 + 9 + 9 + 9)
    pooled_variance = pooled * (1 / 100 + 1 / 20 + 1 / 200 + 1 / 340)
    assert variance < pooled_variance
    assert effect.significant


def test_the_satisfaction_change_is_a_difference_in_differences_of_mean_scores() -> None:
    change = satisfaction_difference([6, 8], [8, 9, 10], [7, 7, 8, 8], [7, 8])
    # By hand: (9 − 7) − (7.5 − 7.5) = 2; variances 2/2 + 1/3 + (1/3)/4 + 0.5/2 = 1.6667.
    assert change.answers == (2, 3, 4, 2)
    assert change.means == (7.0, 9.0, 7.5, 7.5)
    assert change.change == pytest.approx(2.0)
    half = 1.959964 * math.sqrt(1 + 1 / 3 + (1 / 3) / 4 + 0.5 / 2)
    assert change.ci_low == pytest.approx(2 - half, abs=1e-5)
    assert change.ci_high == pytest.approx(2 + half, abs=1e-5)
    assert change.significant == (2 - half > 0)


def test_too_few_answers_give_no_satisfaction_change() -> None:
    change = satisfaction_difference([7], [8, 9], [7, 8], [8, 8])
    assert change.change is None and not change.significant
    assert change.means[0] == 7.0


def test_rates_per_10k_customers_use_each_windows_base() -> None:
    effect = difference_in_differences(
        [5] * 4 + [4] * 4,
        [50] * 8,
        START,
        4,
        treated_customers=(40_000, 40_000),
        control_customers=(400_000, 500_000),
    )
    assert effect.treated_rate_before == pytest.approx(20 / 40_000 * 10_000)
    assert effect.treated_rate_after == pytest.approx(16 / 40_000 * 10_000)
    assert effect.control_rate_after == pytest.approx(200 / 500_000 * 10_000)


def test_an_empty_before_window_gives_no_effect_but_a_json_null() -> None:
    effect = difference_in_differences([0] * 3 + [4] * 3, [5] * 6, START, 3)
    assert math.isnan(effect.effect)
    assert effect.as_dict()["effect"] is None


def test_bad_series_are_refused() -> None:
    with pytest.raises(ValueError, match="6 daily counts"):
        difference_in_differences([1, 2], [1, 2], START, 3)
    with pytest.raises(ValueError, match="negative"):
        difference_in_differences([-1, 2], [1, 2], START, 1)


def test_impact_counts_each_complaint_as_26_customers_with_the_problem() -> None:
    impact = size_impact(complaints=120, customers=100, base_customers=50_000)
    assert CUSTOMERS_PER_COMPLAINT == 26
    assert impact.estimated_affected == 120 * 26
    assert impact.customer_share == pytest.approx(100 / 50_000)
    assert impact.estimated_share == pytest.approx(3_120 / 50_000)
    assert "26" in impact.rule_zh and "4%" in impact.rule_en
    assert size_impact(10, 10, None).estimated_share is None
    with pytest.raises(ValueError):
        size_impact(3, 5, 100)
