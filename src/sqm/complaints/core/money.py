"""Money promises on complaints, checked rather than trusted.

- A billing error (收费误差) is refunded at double the overcharge (双倍返还): the operator's
  public service commitment, so a refund of merely the overcharge is a broken promise.
- A value-added-service charge dispute is refunded first and verified later (先退费后核实):
  the customer gets the disputed amount back before anyone investigates; taking it back
  needs evidence that the customer did order the service.

Amounts are Decimal yuan; nothing here rounds, because 2 x an amount in fen is still in fen.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

ZERO = Decimal(0)
# A reversal note shorter than this is a formality, not evidence (e.g. "ok", "核实").
MIN_EVIDENCE_CHARS = 4


class RefundKind(StrEnum):
    DOUBLE_REFUND = "double_refund"
    REFUND_FIRST = "refund_first"
    OTHER = "other"


class MoneyError(ValueError):
    """An amount that is not a finite, non-negative Decimal."""


def _amount(value: Decimal, name: str) -> Decimal:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise MoneyError(f"{name} 必须是非负金额 ({name} must be a finite Decimal >= 0: {value!r})")
    return value


def required_refund(kind: RefundKind, overcharge: Decimal) -> Decimal:
    """The least we owe: double for a billing error, the disputed charge for a VAS dispute,
    nothing by rule otherwise (goodwill refunds are not checked)."""
    overcharge = _amount(overcharge, "overcharge")
    kind = RefundKind(kind)
    if kind == RefundKind.DOUBLE_REFUND:
        return overcharge * 2
    if kind == RefundKind.REFUND_FIRST:
        return overcharge
    return ZERO


@dataclass(frozen=True)
class RefundCheck:
    compliant: bool
    shortfall: Decimal
    reason: str  # Chinese


def check_refund(kind: RefundKind, overcharge: Decimal, refunded: Decimal) -> RefundCheck:
    """Whether ``refunded`` keeps the promise; refunding more than required is fine."""
    required = required_refund(kind, overcharge)
    refunded = _amount(refunded, "refunded")
    shortfall = max(required - refunded, ZERO)
    if shortfall == 0:
        return RefundCheck(True, ZERO, f"已退 {refunded} 元，不少于应退 {required} 元。")
    rule = {
        RefundKind.DOUBLE_REFUND: "收费误差应双倍返还",
        RefundKind.REFUND_FIRST: "增值业务争议应先全额退费",
        RefundKind.OTHER: "应退金额",
    }[RefundKind(kind)]
    return RefundCheck(
        False,
        shortfall,
        f"{rule}：应退 {required} 元，实退 {refunded} 元，尚差 {shortfall} 元。",
    )


def may_reverse(kind: RefundKind, evidence: str) -> bool:
    """A refund is taken back only with evidence (an order record, a signed form, …).

    Refund-first exists because the customer is believed until shown otherwise, so every
    kind needs real evidence; whitespace and a word or two do not count.
    """
    RefundKind(kind)
    return len("".join(evidence.split())) >= MIN_EVIDENCE_CHARS
