"""Hall plans from the tiny month: each hour's servers checked with a textbook Erlang C
written out below, mobile collectors only beside a full row of counters, and opening-hour
rows recounted from the Parquet."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pandas as pd
import pytest

from sqm.org.core.province import PROVINCE
from sqm.planning.core import hall_plan, sources
from tests.planning.conftest import Month

SLACK = 2e-3  # the payload rounds visits to 0.01 and service times to 0.1 s


def erlang_c_within(servers: int, visits_per_hour: float, service_s: float, wait_s: float) -> float:
    """Share of an M/M/c queue's arrivals served within ``wait_s``: 1 − C(c, A)·e^{−(c−A)t/S},
    with Erlang B by its recursion B_k = A·B_{k−1} / (k + A·B_{k−1}) and C = cB / (c − A(1 − B))."""
    load = visits_per_hour / 3600.0 * service_s
    if load == 0:
        return 1.0
    if servers <= load:
        return 0.0
    b = 1.0
    for k in range(1, servers + 1):
        b = load * b / (k + load * b)
    c = servers * b / (servers - load * (1 - b))
    return 1.0 - c * math.exp(-(servers - load) * wait_s / service_s)


def reference_halls(counters: int | None = None) -> dict[str, hall_plan.HallInfo]:
    return {
        h.code: hall_plan.HallInfo(
            h.code, h.name_zh, h.branch, h.district.value, counters or h.counters
        )
        for h in PROVINCE.halls
    }


@pytest.fixture(scope="module")
def visits(month: Month) -> sources.HallHistory:
    return sources.hall_history(month.store, sources.Window(month.first_day, month.last_day))


@pytest.fixture(scope="module")
def plan(visits: sources.HallHistory, month: Month) -> hall_plan.Payload:
    return hall_plan.plan_halls(visits, reference_halls(), month.next_day, 7)


@pytest.fixture(scope="module")
def cramped(visits: sources.HallHistory, month: Month) -> hall_plan.Payload:
    """Every hall cut to three counters: collectors and short hours must appear."""
    return hall_plan.plan_halls(visits, reference_halls(counters=3), month.next_day, 7)


Hour = tuple[dict[str, Any], float, int, int, float | None]


def open_hours(payload: hall_plan.Payload) -> Iterator[Hour]:
    """(hall, visits, counters, collectors, within) of every planned hour with demand."""
    for hall in payload["halls"]:
        grid = hall["grid"]
        for day in range(payload["days"]):
            for hour in range(24):
                seen = grid["visits"][day][hour]
                if seen > 0.06:
                    yield (
                        hall,
                        seen,
                        grid["counters"][day][hour],
                        grid["collectors"][day][hour],
                        grid["within"][day][hour],
                    )


@pytest.mark.parametrize("which", ["plan", "cramped"])
def test_each_hour_meets_the_target_by_erlang_c_or_is_counted_short(
    which: str, request: pytest.FixtureRequest
) -> None:
    payload: hall_plan.Payload = request.getfixturevalue(which)
    target, wait = payload["targets"]["target"], payload["targets"]["threshold_s"]
    short: dict[str, list[int]] = {}  # hall → [clearly short, borderline]
    for hall, seen, counters, collectors, within in open_hours(payload):
        servers = counters + collectors
        share = erlang_c_within(servers, seen, hall["service_s"], wait)
        assert within == pytest.approx(share, abs=SLACK)
        tally = short.setdefault(hall["code"], [0, 0])
        if share < target - SLACK:
            tally[0] += 1
        elif share < target + SLACK:
            tally[1] += 1
        elif servers > 1:  # met, and by the fewest servers: one fewer would miss
            assert erlang_c_within(servers - 1, seen, hall["service_s"], wait) < target + SLACK
    for hall in payload["halls"]:
        clearly, borderline = short.get(hall["code"], [0, 0])
        assert clearly <= hall["hours_short"] <= clearly + borderline, hall["code"]
    assert payload["summary"]["hours_short"] == sum(h["hours_short"] for h in payload["halls"])


def test_a_hall_with_its_real_counters_meets_the_target_every_hour(
    plan: hall_plan.Payload,
) -> None:
    assert plan["summary"]["hours_short"] == 0
    assert plan["summary"]["collector_hours"] == 0


def test_collectors_appear_only_when_all_counters_are_open(cramped: hall_plan.Payload) -> None:
    limits = cramped["targets"]
    usable = min(
        limits["collectors"],
        math.floor(limits["payment_share"] / (1 - limits["payment_share"]) * 3 + 1e-9),
    )
    assert usable == 2
    assert cramped["summary"]["collector_hours"] > 0, "three counters should not suffice"
    assert cramped["summary"]["hours_short"] > 0
    for hall, _seen, counters, collectors, within in open_hours(cramped):
        assert counters <= hall["counters"] == 3
        assert collectors <= usable
        if collectors:
            assert counters == 3
        if within is not None and within < limits["target"] - SLACK:
            assert (counters, collectors) == (3, usable)  # short hours get everyone there is


def test_counter_and_collector_hours_add_up(cramped: hall_plan.Payload) -> None:
    for hall in cramped["halls"]:
        grid = hall["grid"]
        assert hall["counter_hours"] == sum(map(sum, grid["counters"]))
        assert hall["collector_hours"] == sum(map(sum, grid["collectors"]))
        peak = max(
            c + m
            for row_c, row_m in zip(grid["counters"], grid["collectors"], strict=True)
            for c, m in zip(row_c, row_m, strict=True)
        )
        assert hall["peak_servers"] == peak
    summary = cramped["summary"]
    assert summary["counter_hours"] == sum(h["counter_hours"] for h in cramped["halls"])
    assert summary["collector_hours"] == sum(h["collector_hours"] for h in cramped["halls"])


def test_each_halls_week_of_visits_is_close_to_an_average_week_of_history(
    plan: hall_plan.Payload, visits_frame: pd.DataFrame
) -> None:
    per_week = visits_frame.groupby("hall_id").size() / 30 * 7
    assert {h["code"] for h in plan["halls"]} == set(per_week.index)
    for hall in plan["halls"]:
        assert hall["visits"] == pytest.approx(per_week[hall["code"]], rel=0.25)
        assert sum(map(sum, hall["grid"]["visits"])) == pytest.approx(hall["visits"], abs=1.0)


def test_a_hall_missing_from_the_reference_data_is_not_staffed(
    visits: sources.HallHistory, month: Month
) -> None:
    info = reference_halls()
    gone = visits.history.groups[0][0]
    del info[gone]
    payload = hall_plan.plan_halls(visits, info, month.next_day, 1)
    assert gone not in {h["code"] for h in payload["halls"]}
    assert len(payload["halls"]) == len(visits.history.groups) - 1


def test_opening_hours_have_a_row_per_district_and_day_type(
    plan: hall_plan.Payload, visits_frame: pd.DataFrame, month: Month
) -> None:
    info = reference_halls()
    stored = visits_frame.assign(district=visits_frame["hall_id"].map(lambda h: info[h].district))
    districts = stored.groupby("district")["hall_id"].nunique()
    rows = {(r["district"], r["day_type"]): r for r in plan["opening_hours"]}
    assert set(rows) == {(d, t) for d in districts.index for t in ("workday", "weekend")}
    days = pd.date_range(pd.Timestamp(month.first_day), pd.Timestamp(month.last_day))
    weekend_days = int((days.day_of_week >= 5).sum())
    for (district, day_type), row in rows.items():
        assert row["halls"] == districts[district]
        mine = stored[stored["district"] == district]
        on_weekend = mine["arrived_at"].dt.day_of_week >= 5
        seen = mine[on_weekend if day_type == "weekend" else ~on_weekend]
        n_days = weekend_days if day_type == "weekend" else len(days) - weekend_days
        assert row["visits_per_hall_day"] == pytest.approx(
            len(seen) / n_days / row["halls"], abs=0.05
        )
        opens, closes = int(row["open"][:2]), int(row["close"][:2])
        assert row["hours"] == closes - opens > 0
        profile = row["profile"]
        covered = sum(profile[opens:closes]) / sum(profile)
        assert row["covered_share"] == pytest.approx(covered, abs=1e-3)


def test_targets_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError, match="target"):
        hall_plan.HallTargets(target=1.0)
    with pytest.raises(ValueError, match="collectors"):
        hall_plan.HallTargets(collectors=-1)
    with pytest.raises(ValueError, match="payment share"):
        hall_plan.HallTargets(payment_share=1.0)


def test_a_hall_plan_needs_at_least_one_day(visits: sources.HallHistory, month: Month) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        hall_plan.plan_halls(visits, reference_halls(), month.next_day - timedelta(days=1), 0)
