"""Staggered-billing what-if (issue 5, part 7) as a JSON-able payload. No Django.

Segments and response curves come from the store (:func:`sources.billing_inputs`); group
customers keep the bill day they chose, mapped to the nearest new cycle; everyone else may
move. Peak before is today's bill days, peak after the planner's assignment.
"""

from __future__ import annotations

import math
from typing import Any

from sqm.planning.core import billing
from sqm.planning.core.kinds import PlanKind
from sqm.planning.core.sources import BillingInputs

Payload = dict[str, Any]


def nearest_cycle(day: int, bill_days: tuple[int, ...], days_in_month: int) -> int:
    """Index of the new bill day closest to ``day`` on the month's circle."""

    def distance(other: int) -> int:
        gap = abs(other - day) % days_in_month
        return min(gap, days_in_month - gap)

    return min(range(len(bill_days)), key=lambda i: (distance(bill_days[i]), i))


def plan_billing(
    inputs: BillingInputs,
    *,
    cycles: int = 4,
    bill_days: tuple[int, ...] | None = None,
    days_in_month: int = 30,
    staffing: billing.Staffing | None = None,
    time_limit_s: float = 5.0,
) -> Payload:
    days = bill_days or billing.even_bill_days(cycles, days_in_month)
    segments = [billing.Segment(name, customers, name) for name, customers in inputs.movable]
    segments += [
        billing.Segment(
            f"{name} (day {day})", customers, name, nearest_cycle(day, days, days_in_month)
        )
        for name, day, customers in inputs.fixed
    ]
    if not segments:
        raise ValueError("no customers to bill")
    quo = inputs.bill_days[0] if len(inputs.bill_days) == 1 else None
    plan = billing.plan_cycles(
        segments,
        inputs.responses,
        cycles=cycles,
        bill_days=days,
        status_quo_day=quo,
        days_in_month=days_in_month,
        staffing=staffing,
        time_limit_s=time_limit_s,
    )
    notes = list(plan.notes)
    if quo is None:
        notes.append(
            f"customers already have {len(inputs.bill_days)} bill days; 'before' puts them all "
            f"on day {days[0]}"
        )
    return {
        "kind": PlanKind.BILLING.value,
        "cycles": cycles,
        "bill_days": list(plan.bill_days),
        "days_in_month": days_in_month,
        "current_bill_days": list(inputs.bill_days),
        "history_months": round(inputs.months, 2),
        "solver": plan.solver,
        "segments": [
            {
                "name": s.name,
                "customers": s.customers,
                "fixed": s.fixed_cycle is not None,
                "per_cycle": [int(x) for x in plan.customers[i]],
            }
            for i, s in enumerate(plan.segments)
        ],
        "before": _loads(plan.before),
        "after": _loads(plan.after),
        "notes": notes,
        "summary": {
            "peak_before": round(plan.peak_before, 1),
            "peak_after": round(plan.peak_after, 1),
            "peak_cut": _share(plan.peak_before - plan.peak_after, plan.peak_before),
            "counters_before": plan.counters_before,
            "counters_after": plan.counters_after,
            "counters_saved": plan.counters_saved,
            "agents_before": plan.agents_before,
            "agents_after": plan.agents_after,
            "agents_saved": plan.agents_saved,
        },
    }


def _loads(loads: billing.Loads) -> Payload:
    return {
        "visits": [round(float(x), 1) for x in loads.visits],
        "calls": [round(float(x), 1) for x in loads.calls],
        "load": [round(float(x), 1) for x in loads.load],
        "peak": round(loads.peak, 1),
    }


def _share(part: float, whole: float) -> float | None:
    return round(part / whole, 4) if whole > 0 and math.isfinite(whole) else None
