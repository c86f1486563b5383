"""Did the measure work? Difference-in-differences on complaint counts, and impact sizing.

The effect is the ratio of ratios minus one, ``(treated_after / treated_before) / (control_after
/ control_before) − 1``, so "complaints −17 %" means what the quality system course 2013 means
by it, and a drop that every branch saw (a season) is not taken for the measure's success. It is
the interaction of a Poisson GLM with group × period factors: that model is saturated on the 2 ×
2 table, so its maximum-likelihood interaction is exactly the log ratio of ratios and its Wald
variance is ``1/a + 1/b + 1/c + 1/d``. Daily complaint counts scatter more than Poisson (a busy
day draws more), so each group's part of the variance is multiplied by that group's
quasi-Poisson dispersion, estimated from its daily series (never below 1).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy import stats

# The quality system course 2013 (投诉管理): "每收到一次抱怨,意味着实际上有26个顾客也有
# 同样的问题" and "不满意的客户中只有4%会投诉".
CUSTOMERS_PER_COMPLAINT = 26
COMPLAINING_SHARE = 0.04
IMPACT_RULE_ZH = "每收到一次投诉,实际约有26位客户遇到同样问题(不满意客户中仅4%会投诉)"
IMPACT_RULE_EN = (
    "each complaint stands for about 26 customers with the same problem "
    "(only 4% of unhappy customers complain)"
)
PER_10K = 10_000.0


@dataclass(frozen=True, slots=True)
class Effect:
    start: date
    days: int
    treated_before: int
    treated_after: int
    control_before: int
    control_after: int
    effect: float  # ratio of ratios − 1; nan when a count it divides by is zero
    ci_low: float
    ci_high: float
    p_value: float
    dispersion: float  # the groups' quasi-Poisson scales, weighted by their variances (≥ 1)
    # Complaints per 10k customers over each window; None when the customer base is unknown.
    treated_rate_before: float | None = None
    treated_rate_after: float | None = None
    control_rate_before: float | None = None
    control_rate_after: float | None = None
    series: tuple[tuple[str, int, int], ...] = ()
    """(day ISO, treated, control) for every day of both windows, for the effect chart."""

    @property
    def before(self) -> tuple[date, date]:
        """First and last day of the before window."""
        return self.start - timedelta(days=self.days), self.start - timedelta(days=1)

    @property
    def after(self) -> tuple[date, date]:
        return self.start, self.start + timedelta(days=self.days - 1)

    @property
    def significant(self) -> bool:
        return self.ci_high < 0 or self.ci_low > 0

    def as_dict(self) -> dict[str, float | int | None]:
        """The figures `sqm trace effect --json` prints (nan as None)."""

        def clean(x: float | None) -> float | None:
            return None if x is None or math.isnan(x) else x

        return {
            "treated_before": self.treated_before,
            "treated_after": self.treated_after,
            "control_before": self.control_before,
            "control_after": self.control_after,
            "effect": clean(self.effect),
            "ci_low": clean(self.ci_low),
            "ci_high": clean(self.ci_high),
        }


def difference_in_differences(
    treated: Sequence[float],
    control: Sequence[float],
    start: date,
    days: int,
    *,
    treated_customers: tuple[int, int] | None = None,
    control_customers: tuple[int, int] | None = None,
    level: float = 0.95,
) -> Effect:
    """``treated`` and ``control`` are daily counts over ``2 × days`` days: the ``days`` days
    before ``start``, then ``start`` and the ``days − 1`` days after it. Customers are
    (before, after) customer bases, for the rates per 10k customers."""
    if days < 1:
        raise ValueError("days must be at least 1")
    t = np.asarray(treated, dtype=np.float64)
    c = np.asarray(control, dtype=np.float64)
    if t.shape != (2 * days,) or c.shape != (2 * days,):
        raise ValueError(f"expected {2 * days} daily counts for each group")
    if (t < 0).any() or (c < 0).any():
        raise ValueError("counts cannot be negative")
    a, b = float(t[:days].sum()), float(t[days:].sum())  # treated before, after
    cb, ca = float(c[:days].sum()), float(c[days:].sum())
    if min(a, b, cb, ca) > 0:
        log_ratio = math.log(b / a) - math.log(ca / cb)
        effect = math.exp(log_ratio) - 1.0
        treated_var, control_var = 1 / a + 1 / b, 1 / cb + 1 / ca
    else:
        # Haldane's half: an interval still exists when one window is empty.
        log_ratio = math.log((b + 0.5) / (a + 0.5)) - math.log((ca + 0.5) / (cb + 0.5))
        effect = float("nan") if min(a, cb, ca) == 0 else math.exp(log_ratio) - 1.0
        treated_var = 1 / (a + 0.5) + 1 / (b + 0.5)
        control_var = 1 / (cb + 0.5) + 1 / (ca + 0.5)
    # Each group scatters in its own way: an outage day in one control branch makes the control
    # sum noisy without making the treated branch's steady counts any less certain, so each
    # group's Poisson variance takes its own quasi-Poisson scale.
    scaled = _dispersion(t, days) * treated_var + _dispersion(c, days) * control_var
    dispersion = scaled / (treated_var + control_var)
    se = math.sqrt(scaled)
    z = float(stats.norm.ppf(0.5 + level / 2))
    p_value = float(2 * stats.norm.sf(abs(log_ratio) / se))
    first = start - timedelta(days=days)
    series = tuple(
        ((first + timedelta(days=k)).isoformat(), int(t[k]), int(c[k])) for k in range(2 * days)
    )
    return Effect(
        start=start,
        days=days,
        treated_before=int(a),
        treated_after=int(b),
        control_before=int(cb),
        control_after=int(ca),
        effect=effect,
        ci_low=math.exp(log_ratio - z * se) - 1.0,
        ci_high=math.exp(log_ratio + z * se) - 1.0,
        p_value=p_value,
        dispersion=dispersion,
        treated_rate_before=_rate(a, treated_customers, 0),
        treated_rate_after=_rate(b, treated_customers, 1),
        control_rate_before=_rate(cb, control_customers, 0),
        control_rate_after=_rate(ca, control_customers, 1),
        series=series,
    )


def _rate(count: float, customers: tuple[int, int] | None, which: int) -> float | None:
    if customers is None or customers[which] <= 0:
        return None
    return count / customers[which] * PER_10K


def _dispersion(counts: np.ndarray, days: int) -> float:
    """Pearson χ² of one group's daily counts around its before and after means, over its
    degrees of freedom; 1 when the counts are Poisson or too few to tell."""
    chi2, cells = 0.0, 0
    for part in (counts[:days], counts[days:]):
        mean = float(part.mean())
        if mean > 0:
            chi2 += float(((part - mean) ** 2).sum()) / mean
            cells += part.size - 1
    if cells <= 0:
        return 1.0
    return max(1.0, chi2 / cells)


@dataclass(frozen=True, slots=True)
class Impact:
    complaints: int
    customers: int  # distinct customers who complained
    base_customers: int | None  # the branch's (or branches') customers
    customer_share: float | None  # customers / base_customers
    estimated_affected: int  # complaints × 26: customers with the same problem (an estimate)
    estimated_share: float | None  # of the base, capped at 1
    rule_zh: str = IMPACT_RULE_ZH
    rule_en: str = IMPACT_RULE_EN


def size_impact(complaints: int, customers: int, base_customers: int | None) -> Impact:
    """How many customers a problem touches: those who complained, and the seed's estimate of
    those with the same problem who did not."""
    if complaints < 0 or customers < 0 or customers > complaints:
        raise ValueError("need 0 ≤ distinct customers ≤ complaints")
    base = base_customers if base_customers and base_customers > 0 else None
    estimate = complaints * CUSTOMERS_PER_COMPLAINT
    return Impact(
        complaints=complaints,
        customers=customers,
        base_customers=base,
        customer_share=None if base is None else customers / base,
        estimated_affected=estimate,
        estimated_share=None if base is None else min(1.0, estimate / base),
    )


@dataclass(frozen=True, slots=True)
class SatisfactionChange:
    """Did satisfaction move with the measure? The difference in differences of the mean
    perception score (1–10) of answers about us on the case's factor: (treated after − treated
    before) − (control after − control before), with a 95 % interval (Welch's normal
    approximation). ``change`` is None when a group has fewer than two answers in a window."""

    answers: tuple[int, int, int, int]  # treated before, after; control before, after
    means: tuple[float | None, float | None, float | None, float | None]
    change: float | None
    ci_low: float | None
    ci_high: float | None

    @property
    def significant(self) -> bool:
        return (
            self.ci_low is not None
            and self.ci_high is not None
            and (self.ci_high < 0 or self.ci_low > 0)
        )


def satisfaction_difference(
    treated_before: Sequence[float],
    treated_after: Sequence[float],
    control_before: Sequence[float],
    control_after: Sequence[float],
    level: float = 0.95,
) -> SatisfactionChange:
    groups = [
        np.asarray(g, dtype=np.float64)
        for g in (treated_before, treated_after, control_before, control_after)
    ]
    tb, ta, cb, ca = groups
    answers = (tb.size, ta.size, cb.size, ca.size)

    def mean(g: np.ndarray) -> float | None:
        return float(g.mean()) if g.size else None

    means = (mean(tb), mean(ta), mean(cb), mean(ca))
    if min(answers) < 2:
        return SatisfactionChange(answers, means, None, None, None)
    change = (float(ta.mean()) - float(tb.mean())) - (float(ca.mean()) - float(cb.mean()))
    se = math.sqrt(sum(float(g.var(ddof=1)) / g.size for g in groups))
    z = float(stats.norm.ppf(0.5 + level / 2))
    return SatisfactionChange(answers, means, change, change - z * se, change + z * se)
