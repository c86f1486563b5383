"""Phone numbers a person typed into free text are masked the way a number field is; longer
digit runs (order numbers, ID cards, amounts) are left alone (sqm.org.core.masking)."""

from __future__ import annotations

import pytest

from sqm.org.core.masking import mask_phones_in_text


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("请回电13912345678谢谢", "请回电139****5678谢谢"),
        ("手机 139-1234-5678", "手机 139-****-5678"),
        ("手机 139 1234 5678", "手机 139 **** 5678"),
        ("+8613912345678", "+86139****5678"),
        ("+86 139 1234 5678", "+86 139 **** 5678"),
        ("8613912345678", "86139****5678"),
        ("座机 025-84561234", "座机 025-****1234"),
        ("座机02584561234", "座机025****1234"),
        ("座机 0512-87654321", "座机 0512-****4321"),
        ("北京 010 12345678", "北京 010 ****5678"),
        ("两个号码:13912345678,13800001111", "两个号码:139****5678,138****1111"),
    ],
)
def test_mobile_and_fixed_line_numbers_in_text_are_masked(typed: str, shown: str) -> None:
    assert mask_phones_in_text(typed) == shown


@pytest.mark.parametrize(
    "typed",
    [
        "工单号 TT20260302000001 已受理",  # a work-order number: 14 digits
        "订单 2026030212345678",  # an order number starting like a date
        "身份证 320102199001011234",  # an ID card: 18 digits
        "身份证 32010219900101123X",
        "金额 1391234.56 元",
        "短号 12345",
        "验证码 139123",
        "139123456780",  # a 12-digit run is no phone
    ],
)
def test_longer_or_shorter_digit_runs_are_left_alone(typed: str) -> None:
    assert mask_phones_in_text(typed) == typed


def test_a_masked_text_never_holds_the_middle_digits() -> None:
    shown = mask_phones_in_text("客户说打 13912345678 或 025-84561234 都行")
    assert shown == "客户说打 139****5678 或 025-****1234 都行"
    assert "1234" not in shown.split("或")[0] and "8456" not in shown


@pytest.mark.parametrize("empty", [None, ""])
def test_empty_text_stays_empty(empty: str | None) -> None:
    assert mask_phones_in_text(empty) == ""
