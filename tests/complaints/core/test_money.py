"""Money promises: double refunds for billing errors, refund first for VAS disputes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sqm.complaints.core.money import (
    MoneyError,
    RefundKind,
    check_refund,
    may_reverse,
    required_refund,
)

AMOUNTS = st.decimals(
    min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False
)


def test_a_billing_error_of_12_yuan_35_is_refunded_24_yuan_70() -> None:
    assert required_refund(RefundKind.DOUBLE_REFUND, Decimal("12.35")) == Decimal("24.70")


def test_refunding_only_the_overcharge_breaks_the_double_refund_promise() -> None:
    result = check_refund(RefundKind.DOUBLE_REFUND, Decimal("12.35"), Decimal("12.35"))
    assert not result.compliant
    assert result.shortfall == Decimal("12.35")
    assert "双倍返还" in result.reason
    assert "尚差 12.35 元" in result.reason


def test_refunding_double_or_more_keeps_the_promise() -> None:
    assert check_refund(RefundKind.DOUBLE_REFUND, Decimal("10"), Decimal("20")).compliant
    generous = check_refund(RefundKind.DOUBLE_REFUND, Decimal("10"), Decimal("30"))
    assert generous.compliant
    assert generous.shortfall == 0


def test_a_vas_dispute_is_refunded_in_full_first() -> None:
    assert required_refund(RefundKind.REFUND_FIRST, Decimal("9.90")) == Decimal("9.90")
    assert not check_refund(RefundKind.REFUND_FIRST, Decimal("9.90"), Decimal("5")).compliant


def test_other_refunds_have_no_minimum() -> None:
    assert required_refund(RefundKind.OTHER, Decimal("50")) == 0
    assert check_refund(RefundKind.OTHER, Decimal("50"), Decimal("0")).compliant


@pytest.mark.parametrize("bad", [Decimal("-1"), Decimal("NaN"), Decimal("Infinity")])
def test_impossible_amounts_are_refused(bad: Decimal) -> None:
    with pytest.raises(MoneyError):
        required_refund(RefundKind.DOUBLE_REFUND, bad)
    with pytest.raises(MoneyError):
        check_refund(RefundKind.DOUBLE_REFUND, Decimal("1"), bad)


def test_a_float_is_refused_because_money_is_decimal() -> None:
    with pytest.raises(MoneyError):
        required_refund(RefundKind.DOUBLE_REFUND, 1.5)  # type: ignore[arg-type]


def test_a_reversal_needs_real_evidence() -> None:
    assert not may_reverse(RefundKind.REFUND_FIRST, "")
    assert not may_reverse(RefundKind.REFUND_FIRST, "  ok \n")
    assert may_reverse(RefundKind.REFUND_FIRST, "用户签字的业务订购单，订单号 A123")
    assert may_reverse(RefundKind.DOUBLE_REFUND, "计费核查：实际未多收")


@given(AMOUNTS, AMOUNTS)
def test_a_double_refund_is_compliant_exactly_when_it_is_at_least_twice_the_overcharge(
    overcharge: Decimal, refunded: Decimal
) -> None:
    result = check_refund(RefundKind.DOUBLE_REFUND, overcharge, refunded)
    assert required_refund(RefundKind.DOUBLE_REFUND, overcharge) == overcharge + overcharge
    assert result.compliant == (refunded >= 2 * overcharge)
    assert result.shortfall == max(2 * overcharge - refunded, Decimal(0))
    assert result.shortfall >= 0
