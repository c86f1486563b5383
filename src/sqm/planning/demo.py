"""The demo's plans: next week's hotline with its simulation check and roster, the halls'
plan for the province and for Nanjing, and four bill cycles — what a supervisor opens first —
and the month's last week's hotline and halls plans, which the monthly report compares with
what happened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqm.events.core.store import EventStore
from sqm.lib.periods import days_from
from sqm.planning import services
from sqm.planning.core.hotline import simulate_hotline
from sqm.planning.models import Plan

DEMO_BRANCH = "NJ"


@dataclass(frozen=True, slots=True)
class SeededPlans:
    created: int
    peak_agents: int = 0
    roster_status: str = ""
    peak_cut: float = 0.0


def seed_plans(store: EventStore, last_day: date) -> SeededPlans:
    """Plans for the week after ``last_day``; nothing is made twice."""
    week = days_from(last_day + timedelta(days=1), 7)
    hotline_name = f"热线 {week.span}"
    if Plan.objects.filter(kind=Plan.Kind.HOTLINE, name=hotline_name).exists():
        return SeededPlans(0)
    parameters = {"period": week.span, "interval_minutes": 30}
    hotline = services.save_plan(
        services.hotline_plan(week, store=store), name=hotline_name, parameters=parameters
    )
    services.record_simulation(hotline, simulate_hotline(hotline.payload, runs=2))
    roster = services.save_plan(
        services.roster_plan(hotline.payload, time_limit_s=10.0),
        name=f"排班 {week.span}",
        based_on=hotline,
    )
    services.save_plan(
        services.halls_plan(week, store=store),
        name=f"全省营业厅 {week.span}",
        parameters={"period": week.span},
    )
    services.save_plan(
        services.halls_plan(week, branch=DEMO_BRANCH, store=store),
        name=f"{DEMO_BRANCH} 营业厅 {week.span}",
        parameters={"period": week.span},
    )
    # The month's last week, planned as on the day before it (from the history up to then):
    # the monthly report sets these beside what the month came to.
    review = days_from(last_day - timedelta(days=6), 7)
    services.save_plan(
        services.hotline_plan(review, store=store),
        name=f"热线 {review.span}",
        parameters={"period": review.span, "interval_minutes": 30},
    )
    services.save_plan(
        services.halls_plan(review, store=store),
        name=f"全省营业厅 {review.span}",
        parameters={"period": review.span},
    )
    billing = services.save_plan(
        services.billing_cycles_plan(cycles=4, store=store),
        name="分期出账 4 个账期",
        parameters={"cycles": 4},
    )
    return SeededPlans(
        7,
        int(hotline.summary.get("peak_agents", 0)),
        str(roster.summary.get("status", "")),
        float(billing.summary.get("peak_cut") or 0.0),
    )
