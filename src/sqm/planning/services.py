"""Plans from the event store and the reference data, saved: the layer the CLI and the web
share. The computation is in the plain modules (``hotline``, ``roster``, ``hall_plan``,
``billing_plan``); this adds the halls' reference data, the default period and saving."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import duckdb
from django.conf import settings
from django.db import transaction

from sqm.events.core.store import EventStore
from sqm.lib.periods import Period, days_from, parse_period
from sqm.org.models import Branch, Hall
from sqm.planning.access import can_view as can_view
from sqm.planning.access import visible_plans
from sqm.planning.choices import PlanKindChoices
from sqm.planning.core import billing, billing_plan, forecast, hall_plan, hotline, roster, sources
from sqm.planning.core.month_part import PlannedDay as PlannedDay
from sqm.planning.core.month_part import PlannedPart, month_part
from sqm.planning.models import Plan

if TYPE_CHECKING:
    from sqm.lib.people import Requester

Payload = dict[str, Any]
HISTORY_WEEKS = 8
BILL_REACTION_DAYS = 7  # customers call and visit over the week after a bill (VP speech 2010)
FIXED_SEGMENTS = ("group",)  # group customers chose their bill day; the planner keeps it


def planned_period(text: str | None, store: EventStore, source: str = "calls") -> Period:
    """The period asked for (any form of ``sqm.lib.periods``) or, with none, the week after
    the last day ``source`` has stored."""
    if text:
        return parse_period(text)
    days = store.days(source)
    if not days:
        raise sources.NoHistory(f"no {source} events: give --period or load data first")
    return days_from(days[-1] + timedelta(days=1), 7)


def event_store() -> EventStore:
    return EventStore(settings.DATA_DIR)


def current_bill_days(store: EventStore) -> tuple[int, ...]:
    """The bill days customers have in the latest snapshot (empty without one)."""
    if not store.has_data("customers"):
        return ()
    glob = store.parquet_glob("customers")
    with duckdb.connect() as connection:
        rows = connection.execute(
            f"""SELECT DISTINCT billing_cycle FROM read_parquet('{glob}')
            WHERE snapshot_at = (SELECT max(snapshot_at) FROM read_parquet('{glob}'))
              AND billing_cycle IS NOT NULL ORDER BY 1"""
        ).fetchall()
    return tuple(int(r[0]) for r in rows)


def hotline_plan(
    period: Period,
    targets: hotline.HotlineTargets | None = None,
    *,
    interval_minutes: int = 30,
    weeks: int = HISTORY_WEEKS,
    branch: str | None = None,
    store: EventStore | None = None,
) -> Payload:
    store = store or event_store()
    window = sources.stored_window(store, "calls", period.first_day - timedelta(days=1), weeks)
    calls = sources.call_history(store, window, interval_minutes=interval_minutes, branch=branch)
    calendar = forecast.Calendar(
        billing_days=current_bill_days(store), billing_window_days=BILL_REACTION_DAYS
    )
    payload = hotline.plan_hotline(calls, period.first_day, period.days, targets, calendar=calendar)
    payload["branch"] = branch
    return payload


def hall_infos(branch: str | None = None) -> dict[str, hall_plan.HallInfo]:
    halls = Hall.objects.filter(active=True).select_related("branch")
    if branch:
        halls = halls.filter(branch__code=branch)
    return {
        h.code: hall_plan.HallInfo(h.code, h.name_zh, h.branch.code, h.district, h.counters)
        for h in halls
    }


def halls_plan(
    period: Period,
    targets: hall_plan.HallTargets | None = None,
    *,
    branch: str | None = None,
    weeks: int = HISTORY_WEEKS,
    store: EventStore | None = None,
) -> Payload:
    store = store or event_store()
    info = hall_infos(branch)
    window = sources.stored_window(
        store, "hall_visits", period.first_day - timedelta(days=1), weeks
    )
    visits = sources.hall_history(store, window, halls=sorted(info))
    payload = hall_plan.plan_halls(visits, info, period.first_day, period.days, targets)
    payload["branch"] = branch
    return payload


def billing_cycles_plan(
    *,
    cycles: int = 4,
    bill_days: tuple[int, ...] | None = None,
    weeks: int = HISTORY_WEEKS,
    store: EventStore | None = None,
) -> Payload:
    store = store or event_store()
    window = sources.stored_window(store, "calls", None, weeks)
    inputs = sources.billing_inputs(store, window, fixed_segments=FIXED_SEGMENTS)
    rules = billing.Staffing(**_observed(store, window))
    return billing_plan.plan_billing(inputs, cycles=cycles, bill_days=bill_days, staffing=rules)


def _observed(store: EventStore, window: sources.Window) -> dict[str, Any]:
    """From the window, where the store has them: the halls that saw visitors (the load is
    spread over those, not over every hall in the reference data), their mean counter time
    and the hotline's mean handling time."""
    times = sources.mean_times(store, window)
    found: dict[str, Any] = {}
    if times.call_aht_s is not None and math.isfinite(times.call_aht_s) and times.call_aht_s > 0:
        found["call_aht_s"] = times.call_aht_s
    if times.halls:
        found["halls"] = times.halls
        found["hall_service_s"] = times.hall_service_s
    return found


def save_plan(
    payload: Payload,
    *,
    name: str,
    parameters: Payload | None = None,
    user: Any = None,
    based_on: Plan | None = None,
) -> Plan:
    kind = payload["kind"]
    if kind not in PlanKindChoices.values:
        raise ValueError(f"not a plan: {kind!r}")
    branch_code = payload.get("branch")
    branch = Branch.objects.get(code=branch_code) if branch_code else None
    with transaction.atomic():
        return Plan.objects.create(
            kind=kind,
            name=name[:120],
            branch=branch,
            based_on=based_on,
            parameters=parameters or {},
            payload=payload,
            summary=payload.get("summary", {}),
            created_by=user if getattr(user, "is_authenticated", False) else None,
        )


def record_simulation(plan: Plan, result: Payload) -> None:
    # One statement: a check saved while someone else reads the plan loses nothing of theirs.
    Plan.objects.filter(pk=plan.pk).update(simulation=result)
    plan.simulation = result


def roster_plan(hotline_payload: Payload, **options: Any) -> Payload:
    payload = roster.roster_week(hotline_payload, **options)
    payload["branch"] = hotline_payload.get("branch")
    return payload


@dataclass(frozen=True, slots=True)
class MonthPlan:
    """A saved plan's part in a month (``part``: its staff per day, targets and expectations)."""

    plan_id: int
    name: str
    kind: str
    branch: str | None  # the branch the figures are for (None: the province)
    created_at: datetime
    part: PlannedPart


def plans_for_month(
    user: Requester, month: str, kind: str, *, branch: str | None = None
) -> list[MonthPlan]:
    """The saved ``kind`` plans (hotline or halls) ``user`` may read that staff days of
    ``month`` (YYYY-MM), newest first, each cut to those days. With ``branch``: that branch's
    plans, and a province halls plan narrowed to the branch's halls."""
    if kind not in (Plan.Kind.HOTLINE, Plan.Kind.HALLS):
        raise ValueError(f"only hotline and halls plans staff days, not {kind!r}")
    period = parse_period(month)
    plans = visible_plans(user).filter(kind=kind)
    if branch is not None:
        plans = plans.filter(branch__code=branch) | plans.filter(branch=None, kind=Plan.Kind.HALLS)
    found: list[MonthPlan] = []
    for plan in plans.order_by("-created_at", "-id"):
        own = plan.branch.code if plan.branch is not None else None
        part = month_part(plan.payload, period.first_day, period.last_day, branch=branch)
        if part is not None:
            found.append(MonthPlan(plan.pk, plan.name, kind, own or branch, plan.created_at, part))
    return found
