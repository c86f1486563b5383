"""Staggered billing from the tiny month (everyone billed on day 1 today) and from small
hand-made inputs: customers conserved, group customers kept on the nearest cycle, today's
load curve equal to the contacts recounted from the Parquet, and the peak never worse."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd
import pytest

from sqm.planning.core import billing, billing_plan, sources
from tests.planning.conftest import Month


def circular_distance(day: int, other: int, days_in_month: int) -> int:
    """Days between two days of the month going either way round (last month, this, next)."""
    return min(abs(day - (other + k * days_in_month)) for k in (-1, 0, 1))


def nearest_by_hand(day: int, bill_days: tuple[int, ...], days_in_month: int = 30) -> int:
    distances = [circular_distance(day, b, days_in_month) for b in bill_days]
    return distances.index(min(distances))  # ties: the earlier cycle


@pytest.fixture(scope="module")
def inputs(month: Month) -> sources.BillingInputs:
    window = sources.Window(month.first_day, month.last_day)
    return sources.billing_inputs(month.store, window, fixed_segments=("group",))


@pytest.fixture(scope="module")
def plan(inputs: sources.BillingInputs) -> billing_plan.Payload:
    return billing_plan.plan_billing(inputs, cycles=4)


def active_customers(customers: pd.DataFrame) -> pd.DataFrame:
    latest = customers[customers["snapshot_at"] == customers["snapshot_at"].max()]
    active: pd.DataFrame = latest[latest["status"] == "active"]
    return active


def by_day_of_month(events: pd.DataFrame, active: pd.DataFrame, month: Month) -> np.ndarray:
    """Contacts of today's active customers on each day of the month."""
    mine = events[events["customer_id"].isin(set(active["customer_id"]))]
    mine = mine[mine["arrived_at"] < pd.Timestamp(month.last_day + timedelta(days=1))]
    return np.bincount(mine["arrived_at"].dt.day - 1, minlength=30).astype(float)


def test_every_segments_customers_are_all_billed_once(
    plan: billing_plan.Payload, customers_frame: pd.DataFrame
) -> None:
    for segment in plan["segments"]:
        assert sum(segment["per_cycle"]) == segment["customers"], segment["name"]
        assert min(segment["per_cycle"]) >= 0
    active = active_customers(customers_frame)
    assert sum(s["customers"] for s in plan["segments"]) == len(active)
    names = {s["name"] for s in plan["segments"]}
    assert names == set(active["segment"]) - {"group"} | {"group (day 1)"}


def test_todays_load_is_the_contacts_recounted_day_by_day(
    plan: billing_plan.Payload,
    customers_frame: pd.DataFrame,
    visits_frame: pd.DataFrame,
    calls_frame: pd.DataFrame,
    month: Month,
) -> None:
    """Everyone is billed on day 1 and the curves average one 30-day month, so 'before' is
    the month as it happened: each day's hall visits and calls of the active customers."""
    assert plan["current_bill_days"] == [1] and plan["history_months"] == 1.0
    active = active_customers(customers_frame)
    visits = by_day_of_month(visits_frame, active, month)
    calls = by_day_of_month(calls_frame, active, month)
    np.testing.assert_allclose(plan["before"]["visits"], visits, atol=0.051)
    np.testing.assert_allclose(plan["before"]["calls"], calls, atol=0.051)
    assert plan["summary"]["peak_before"] == pytest.approx((visits + calls).max(), abs=0.11)


def test_the_load_after_follows_from_the_customers_each_cycle_gets(
    plan: billing_plan.Payload, inputs: sources.BillingInputs
) -> None:
    visits = np.zeros(30)
    calls = np.zeros(30)
    for segment in plan["segments"]:
        kind = segment["name"].split(" (day")[0]
        response = inputs.responses[kind]
        for customers, day in zip(segment["per_cycle"], plan["bill_days"], strict=True):
            visits += customers * np.roll(response.visits, day - 1)
            calls += customers * np.roll(response.calls, day - 1)
    # The planner splits segments in twentieths; whole customers differ by at most one per
    # segment and cycle, which moves a day's load by well under a contact.
    np.testing.assert_allclose(plan["after"]["visits"], visits, atol=2.0)
    np.testing.assert_allclose(plan["after"]["calls"], calls, atol=2.0)


def test_staggering_moves_contacts_but_never_raises_the_peak(plan: billing_plan.Payload) -> None:
    before, after = plan["before"], plan["after"]
    assert sum(after["load"]) == pytest.approx(sum(before["load"]), abs=0.1 * 30)
    summary = plan["summary"]
    assert summary["peak_after"] <= summary["peak_before"]
    assert summary["peak_after"] < 0.9 * summary["peak_before"], "four cycles should flatten"
    assert summary["peak_cut"] == pytest.approx(
        1 - summary["peak_after"] / summary["peak_before"], abs=1e-3
    )
    assert summary["counters_after"] <= summary["counters_before"]
    assert summary["agents_after"] <= summary["agents_before"]


def test_the_cycles_default_to_evenly_spread_bill_days(plan: billing_plan.Payload) -> None:
    assert plan["bill_days"] == [1, 8, 16, 23]
    assert plan["cycles"] == 4


def hand_inputs(
    fixed: list[tuple[str, int, int]], bill_days: tuple[int, ...] = (1,)
) -> sources.BillingInputs:
    curve = np.zeros(30)
    curve[:3] = [0.3, 0.2, 0.1]
    responses = {
        "individual": billing.Response.of(curve, curve / 2),
        "group": billing.Response.of(curve / 3, curve),
    }
    return sources.BillingInputs([("individual", 1000)], fixed, responses, bill_days, 1.0)


def test_group_customers_stay_on_the_cycle_nearest_the_day_they_chose() -> None:
    chosen = [("group", 12, 100), ("group", 28, 50), ("group", 19, 40), ("group", 2, 30)]
    payload = billing_plan.plan_billing(hand_inputs(chosen), cycles=4)
    bill_days = tuple(payload["bill_days"])
    assert bill_days == (1, 8, 16, 23)
    fixed = {s["name"]: s for s in payload["segments"] if s["fixed"]}
    for _name, day, customers in chosen:
        segment = fixed[f"group (day {day})"]
        expected = [0] * 4
        expected[nearest_by_hand(day, bill_days)] = customers
        assert segment["per_cycle"] == expected
    # Day 28 is 3 days before next month's day 1 and 5 after day 23.
    assert fixed["group (day 28)"]["per_cycle"][0] == 50
    movable = next(s for s in payload["segments"] if not s["fixed"])
    assert sum(movable["per_cycle"]) == 1000 and movable["name"] == "individual"


@pytest.mark.parametrize("bill_days", [(1, 8, 16, 23), (5, 20), (10, 29), (3, 11, 17, 24, 30)])
def test_the_nearest_cycle_wraps_around_the_month(bill_days: tuple[int, ...]) -> None:
    for day in range(1, 31):
        assert billing_plan.nearest_cycle(day, bill_days, 30) == nearest_by_hand(day, bill_days)
    assert billing_plan.nearest_cycle(2, (10, 29), 30) == 1  # back past the 1st to the 29th
    assert billing_plan.nearest_cycle(29, (1, 8, 16, 23), 30) == 0


def test_bill_days_given_are_the_bill_days_planned() -> None:
    payload = billing_plan.plan_billing(hand_inputs([]), cycles=2, bill_days=(5, 20))
    assert payload["bill_days"] == [5, 20]
    assert len(payload["segments"][0]["per_cycle"]) == 2


def test_customers_on_several_bill_days_today_are_noted() -> None:
    payload = billing_plan.plan_billing(hand_inputs([], bill_days=(1, 15)), cycles=2)
    assert any("2 bill days" in note for note in payload["notes"])
    assert payload["current_bill_days"] == [1, 15]


def test_nobody_to_bill_is_refused() -> None:
    empty = sources.BillingInputs([], [], {}, (1,), 1.0)
    with pytest.raises(ValueError, match="no customers"):
        billing_plan.plan_billing(empty)
