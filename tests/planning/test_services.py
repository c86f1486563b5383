"""The Django layer of planning: periods, the halls' reference data, saving plans and their
simulation checks. Database tests run on SQLite and again on PostgreSQL."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sqm.events.core.store import EventStore
from sqm.lib.periods import days_from
from sqm.planning import services
from sqm.planning.core import hotline, sources
from tests.planning.conftest import Month
from tests.planning.test_roster import MONDAY, fake_plan

# -- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first", "days"),
    [
        ("2026-12-01..2026-12-14", date(2026, 12, 1), 14),
        ("2026-12-31..2027-01-01", date(2026, 12, 31), 2),
        ("2026-12-05..2026-12-05", date(2026, 12, 5), 1),
        ("2026-12", date(2026, 12, 1), 31),
        ("2027-02", date(2027, 2, 1), 28),
        ("2028-02", date(2028, 2, 1), 29),
        ("2026-12-05/P7D", date(2026, 12, 5), 7),
    ],
)
def test_a_period_is_a_range_a_month_or_a_week_from_a_day(
    text: str, first: date, days: int, empty_store: EventStore
) -> None:
    period = services.planned_period(text, empty_store)
    assert (period.first_day, period.days) == (first, days)
    assert period.last_day == first + timedelta(days=days - 1)
    assert period.span == f"{first}..{period.last_day}"


def test_a_bare_day_is_that_one_day_as_for_every_other_command(empty_store: EventStore) -> None:
    # sqm plan used to read 2026-12-05 as the week from that day, sqm compute as the day; the
    # shared parser (sqm.lib.periods) decides: a day. The week from a day is DAY/P7D.
    period = services.planned_period("2026-12-05", empty_store)
    assert (period.first_day, period.days) == (date(2026, 12, 5), 1)
    week = services.planned_period("2026-12-05/P7D", empty_store)
    assert (week.first_day, week.last_day) == (date(2026, 12, 5), date(2026, 12, 11))


@pytest.mark.parametrize("source", ["calls", "hall_visits"])
def test_no_period_means_the_week_after_the_last_day_stored(month: Month, source: str) -> None:
    arrivals = month.frame(source)["arrived_at"]
    last_day = arrivals.max().date()
    period = services.planned_period(None, month.store, source)
    assert (period.first_day, period.days) == (last_day + timedelta(days=1), 7)


def test_no_period_and_no_data_is_no_history(empty_store: EventStore) -> None:
    with pytest.raises(sources.NoHistory, match="give --period"):
        services.planned_period(None, empty_store)


@pytest.mark.parametrize(
    "text", ["next week", "2026-13", "2026-12-32", "2026-12-10..2026-12-01", "2026/12/01", "..."]
)
def test_a_bad_period_names_the_forms_to_write(text: str, empty_store: EventStore) -> None:
    with pytest.raises(ValueError) as refused:
        services.planned_period(text, empty_store)
    message = str(refused.value)
    assert repr(text) in message
    assert "YYYY-MM-DD..YYYY-MM-DD, YYYY-MM or YYYY-MM-DD" in message


# -- plans from the store ---------------------------------------------------------------------


def test_current_bill_days_are_those_of_the_latest_snapshot(
    month: Month, customers_frame: pd.DataFrame, empty_store: EventStore
) -> None:
    latest = customers_frame[customers_frame["snapshot_at"] == customers_frame["snapshot_at"].max()]
    expected = tuple(sorted(int(d) for d in latest["billing_cycle"].dropna().unique()))
    assert services.current_bill_days(month.store) == expected == (1,)
    assert services.current_bill_days(empty_store) == ()


def test_a_hotline_plan_learns_only_from_the_days_before_its_period(
    month: Month, calls_frame: pd.DataFrame
) -> None:
    period = days_from(date(2026, 11, 23), 1)
    payload = services.hotline_plan(period, branch="NJ", store=month.store)
    assert payload["history"]["first"] == str(month.first_day)
    assert payload["history"]["last"] == "2026-11-22"
    queued = calls_frame["queued_at"]
    counted = (
        queued.notna()
        & ~calls_frame["excluded"].eq(True)
        & (calls_frame["branch"] == "NJ")
        & (queued < pd.Timestamp(period.first_day))
    )
    assert payload["history"]["calls"] == int(counted.sum())
    assert payload["branch"] == "NJ" and payload["first_day"] == "2026-11-23"
    assert len(payload["intervals"]["start"]) == 48


def test_a_hotline_plan_is_weighed_by_the_weeks_asked_for(month: Month) -> None:
    period = days_from(date(2026, 12, 1), 1)
    payload = services.hotline_plan(period, weeks=2, store=month.store)
    assert payload["history"]["first"] == str(month.last_day - timedelta(days=13))


def test_a_branch_hall_plan_staffs_only_that_branchs_active_halls(
    reference: None, month: Month
) -> None:
    from sqm.org.models import Hall

    in_store = set(month.frame("hall_visits")["hall_id"])
    nanjing = {h for h in in_store if h.startswith("NJ-")}
    assert len(nanjing) >= 2 and in_store - nanjing
    closed = sorted(nanjing)[-1]
    Hall.objects.filter(code=closed).update(active=False)
    payload = services.halls_plan(days_from(date(2026, 12, 1), 1), branch="NJ", store=month.store)
    assert {h["code"] for h in payload["halls"]} == nanjing - {closed}
    assert {h["branch"] for h in payload["halls"]} == {"NJ"}
    assert payload["branch"] == "NJ"
    counters = dict(Hall.objects.filter(code__in=nanjing).values_list("code", "counters"))
    for hall in payload["halls"]:
        assert hall["counters"] == counters[hall["code"]]


def test_the_billing_plan_spreads_visits_over_the_halls_that_saw_visitors(
    reference: None, month: Month, customers_frame: pd.DataFrame, visits_frame: pd.DataFrame
) -> None:
    payload = services.billing_cycles_plan(cycles=2, store=month.store)
    latest = customers_frame[customers_frame["snapshot_at"] == customers_frame["snapshot_at"].max()]
    assert sum(s["customers"] for s in payload["segments"]) == int(
        (latest["status"] == "active").sum()
    )
    assert payload["bill_days"] == [1, 16]
    # Counters are sized per hall and summed over the halls with visits in the window (not
    # every hall of the reference data), so the total is a multiple of their number.
    halls = visits_frame["hall_id"].nunique()
    assert 0 < halls < 100
    assert payload["summary"]["counters_before"] % halls == 0


def test_a_roster_plan_keeps_the_branch_of_its_hotline_plan() -> None:
    need = np.zeros((7, 48), dtype=np.int64)
    need[0, 20:24] = 1
    plan = {**fake_plan(MONDAY, need), "branch": "NJ"}
    payload = services.roster_plan(plan, agents=1, time_limit_s=2)
    assert payload["branch"] == "NJ" and payload["uncovered"] == []


# -- saving -----------------------------------------------------------------------------------


def test_saving_a_plan_keeps_its_payload_summary_and_branch(
    reference: None, month: Month, cast: dict[str, Any]
) -> None:
    from sqm.planning.models import Plan

    payload = services.halls_plan(days_from(date(2026, 12, 1), 1), branch="NJ", store=month.store)
    saved = services.save_plan(
        payload, name="南京营业厅 12月", parameters={"target": 0.9}, user=cast["manager_a"]
    )
    stored = Plan.objects.select_related("branch", "created_by").get(pk=saved.pk)
    assert stored.kind == Plan.Kind.HALLS
    assert stored.branch is not None and stored.branch.code == "NJ"
    assert stored.summary == payload["summary"] and stored.summary["halls"] == len(payload["halls"])
    assert stored.payload == json.loads(json.dumps(payload))
    assert stored.parameters == {"target": 0.9}
    assert stored.created_by == cast["manager_a"]
    assert stored.simulation is None


def test_a_province_plan_has_no_branch_and_an_anonymous_one_no_author(
    reference: None, week_plan: hotline.Payload
) -> None:
    from django.contrib.auth.models import AnonymousUser

    from sqm.planning.models import Plan

    saved = services.save_plan({**week_plan, "branch": None}, name="x" * 200, user=AnonymousUser())
    stored = Plan.objects.get(pk=saved.pk)
    assert stored.branch is None and stored.created_by is None
    assert stored.name == "x" * 120
    assert stored.kind == Plan.Kind.HOTLINE


def test_saving_something_that_is_not_a_plan_is_refused(db: None) -> None:
    from sqm.planning.models import Plan

    with pytest.raises(ValueError, match="not a plan"):
        services.save_plan({"kind": "simulation", "summary": {}}, name="check")
    assert not Plan.objects.exists()


def test_a_simulation_is_recorded_on_its_plan_without_undoing_other_changes(
    db: None, week_plan: hotline.Payload
) -> None:
    from sqm.planning.models import Plan

    saved = services.save_plan(week_plan, name="热线 12月第一周")
    Plan.objects.filter(pk=saved.pk).update(name="renamed meanwhile")
    result = hotline.simulate_hotline(saved.payload, seed=2)
    services.record_simulation(saved, result)
    stored = Plan.objects.get(pk=saved.pk)
    assert stored.simulation == json.loads(json.dumps(result))
    assert stored.simulation["calls"] == result["calls"] > 0
    assert stored.name == "renamed meanwhile"
    assert saved.simulation == result
