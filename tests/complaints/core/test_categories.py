"""The complaint catalogue: sub-categories of the 19 factors and their resolution budgets."""

from __future__ import annotations

import pytest

from sqm.complaints.core import categories
from sqm.complaints.core.categories import (
    BILLING_ERROR,
    CATEGORIES,
    VAS_DISPUTE,
    IntakeChannel,
    Severity,
    UnknownCategory,
)
from sqm.org.core.factors import FACTORS, FactorGroup
from sqm.org.core.province import DEPARTMENTS

HOUR = 3600


def test_every_factor_has_at_least_two_sub_categories() -> None:
    for factor in FACTORS:
        assert len(categories.categories_of(factor.code)) >= 2, factor.code


def test_codes_are_unique_and_name_their_factor() -> None:
    codes = [c.code for c in CATEGORIES]
    assert len(codes) == len(set(codes))
    for c in CATEGORIES:
        assert c.code.split(".")[0] == c.factor
        assert c.code.count(".") == 1
        assert c.name_zh and c.name_en


def test_every_category_belongs_to_a_real_department() -> None:
    known = {d.code for d in DEPARTMENTS}
    assert {c.department for c in CATEGORIES} <= known


def test_the_money_categories_exist() -> None:
    assert categories.category(BILLING_ERROR).factor == "bills"
    assert categories.category(VAS_DISPUTE).factor == "bills"
    assert categories.category("coverage.no_signal").department == "network"


def test_an_unknown_category_is_a_key_error_with_a_clear_message() -> None:
    with pytest.raises(KeyError) as caught:
        categories.category("bills.nonsense")
    assert isinstance(caught.value, UnknownCategory)
    assert "未知的投诉类别「bills.nonsense」" in str(caught.value)
    assert "unknown complaint category 'bills.nonsense'" in str(caught.value)


def test_channels_include_letter_and_regulator_transfers() -> None:
    assert {c.value for c in IntakeChannel} == {
        "hotline", "hall", "web", "app", "sms", "letter", "regulator", "manager",
    }  # fmt: skip


def test_the_first_reply_promise_is_48_hours() -> None:
    assert categories.FIRST_REPLY_SECONDS == 48 * HOUR


@pytest.mark.parametrize("code", [c.code for c in CATEGORIES])
def test_budgets_grow_as_severity_falls(code: str) -> None:
    order = [Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW]
    budgets = [categories.resolution_budget_seconds(code, s) for s in order]
    assert budgets == sorted(budgets)
    assert all(b > 0 for b in budgets)


def test_budgets_stay_within_two_working_weeks_so_a_met_budget_is_never_appealable() -> None:
    longest = max(
        categories.resolution_budget_seconds(c.code, s) for c in CATEGORIES for s in Severity
    )
    assert longest <= 10 * 9 * HOUR  # ten 9-hour working days


def test_the_budget_table_examples() -> None:
    budget = categories.resolution_budget_seconds
    assert budget("hotline.unresolved", Severity.CRITICAL) == 8 * HOUR
    assert budget("hotline.unresolved", Severity.MEDIUM) == 40 * HOUR
    assert budget("coverage.indoor", Severity.CRITICAL) == 16 * HOUR
    assert budget("coverage.indoor", Severity.LOW) == 88 * HOUR
    assert budget("info_security.leak", Severity.LOW) == 8 * HOUR
    assert budget(VAS_DISPUTE, Severity.LOW) == 16 * HOUR


def test_network_problems_never_get_less_time_than_service_ones() -> None:
    table = categories.BUDGET_HOURS
    for severity in Severity:
        assert table[FactorGroup.NETWORK][severity] >= table[FactorGroup.SERVICE][severity]


def test_an_unknown_category_has_no_budget() -> None:
    with pytest.raises(UnknownCategory):
        categories.resolution_budget_seconds("nope.nope", Severity.LOW)
