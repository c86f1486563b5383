"""Hotline plans from the tiny month: each interval's head-count is the smallest that keeps
the promises (checked with ``priority.measures`` one agent short), shrinkage, the forecast's
totals, its back-test against a recount, and the simulator's agreement with the promises."""

from __future__ import annotations

import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import pytest

from sqm.planning.core import forecast, hotline, sources
from sqm.planning.core.priority import Tier, TieredDemand, measures
from tests.planning.conftest import Month


def demand_of(plan: hotline.Payload, i: int) -> TieredDemand:
    """Interval ``i`` of the plan as the queue it was staffed for."""
    t, cols = plan["targets"], plan["intervals"]
    return TieredDemand(
        Tier(cols["vip_calls"][i], t["vip_target"], t["vip_threshold_s"]),
        Tier(cols["ordinary_calls"][i], t["ordinary_target"], t["ordinary_threshold_s"]),
        60.0 * plan["interval_minutes"],
        cols["aht_s"][i],
        plan["patience_s"] if plan["patience_s"] is not None else math.inf,
    )


def broken_promises(agents: int, demand: TieredDemand, targets: dict[str, Any]) -> set[str]:
    """The promises (and planning rules) ``agents`` on the phones fail. The payload rounds
    calls to 1e-6 and handling and patience times to 1e-4 s, so a figure within 1e-6 of its
    target counts as kept."""
    m = measures(agents, demand)
    slack = 1e-6
    broken = set()
    if m.vip_service_level < targets["vip_target"] - slack:
        broken.add("vip")
    if m.ordinary_service_level < targets["ordinary_target"] - slack or not m.stable:
        broken.add("ordinary")
    cap = targets["max_ordinary_abandon"]
    if cap is not None and math.isfinite(demand.patience_s) and m.ordinary_abandon > cap + slack:
        broken.add("abandon")
    rate = demand.vip_rate + demand.ordinary_rate
    lost = (m.vip_abandon * demand.vip_rate + m.ordinary_abandon * demand.ordinary_rate) / rate
    if demand.traffic * (1 - lost) > targets["max_occupancy"] * agents + slack:
        broken.add("occupancy")
    return broken


def test_every_interval_has_the_fewest_agents_that_keep_the_promises(
    week_plan: hotline.Payload,
) -> None:
    cols = week_plan["intervals"]
    assert len(cols["agents"]) == 7 * 48
    assert max(cols["agents"]) >= 2, "a plan of single agents would test little"
    for i, agents in enumerate(cols["agents"]):
        demand = demand_of(week_plan, i)
        if agents == 0:
            assert demand.vip.calls + demand.ordinary.calls == 0, cols["start"][i]
            continue
        assert broken_promises(agents, demand, week_plan["targets"]) == set(), cols["start"][i]
        short = broken_promises(agents - 1, demand, week_plan["targets"])
        assert short, f"{cols['start'][i]}: {agents - 1} agents would do"
        assert cols["binding"][i] in short


def test_stricter_promises_never_need_fewer_agents(history: sources.CallHistory) -> None:
    day = date(2026, 12, 2)
    easy = hotline.plan_hotline(history, day, 1)
    strict = hotline.plan_hotline(
        history, day, 1, hotline.HotlineTargets(vip_target=0.95, ordinary_target=0.9)
    )
    easy_agents = np.asarray(easy["intervals"]["agents"])
    strict_agents = np.asarray(strict["intervals"]["agents"])
    assert (strict_agents >= easy_agents).all()
    assert strict_agents.sum() > easy_agents.sum()


def test_scheduled_agents_are_the_fewest_that_leave_the_agents_on_the_phones(
    week_plan: hotline.Payload,
) -> None:
    shrinkage = week_plan["targets"]["shrinkage"]
    assert shrinkage == 0.30
    cols = week_plan["intervals"]
    for agents, scheduled in zip(cols["agents"], cols["scheduled"], strict=True):
        assert scheduled * (1 - shrinkage) >= agents - 1e-9
        assert scheduled == 0 or (scheduled - 1) * (1 - shrinkage) < agents - 1e-9
    summary = week_plan["summary"]
    assert summary["peak_scheduled"] == max(cols["scheduled"])
    assert summary["scheduled_hours"] == pytest.approx(sum(cols["scheduled"]) / 2, abs=0.05)
    assert summary["agent_hours"] == pytest.approx(sum(cols["agents"]) / 2, abs=0.05)


def test_intervals_run_every_half_hour_from_the_first_day(
    week_plan: hotline.Payload, month: Month
) -> None:
    starts = pd.DatetimeIndex(week_plan["intervals"]["start"])
    expected = pd.date_range(pd.Timestamp(month.next_day), periods=7 * 48, freq="30min")
    assert starts.equals(expected)


def test_forecast_calls_per_day_sum_to_the_models_daily_totals(
    week_plan: hotline.Payload, history: sources.CallHistory, month: Month
) -> None:
    cols = week_plan["intervals"]
    per_interval = np.add(cols["vip_calls"], cols["ordinary_calls"]).reshape(7, 48)
    model = forecast.fit(history.history, forecast.Calendar())
    days = pd.date_range(pd.Timestamp(month.next_day), periods=7, freq="D")
    counts, _aht = model.predict_arrays(days)
    np.testing.assert_allclose(per_interval.sum(axis=1), counts.sum(axis=(0, 2)), atol=0.05)
    assert week_plan["summary"]["calls"] == round(per_interval.sum())
    vip_share = sum(cols["vip_calls"]) / per_interval.sum()
    assert week_plan["summary"]["vip_share"] == pytest.approx(vip_share, abs=1e-3)


def test_the_weeks_forecast_is_close_to_an_average_week_of_history(
    week_plan: hotline.Payload, history: sources.CallHistory
) -> None:
    per_week = history.calls / history.window.days * 7
    assert week_plan["summary"]["calls"] == pytest.approx(per_week, rel=0.25)


def test_the_plan_records_the_history_it_learnt_from(
    week_plan: hotline.Payload, history: sources.CallHistory, month: Month
) -> None:
    learnt = week_plan["history"]
    assert (learnt["first"], learnt["last"]) == (str(month.first_day), str(month.last_day))
    assert (learnt["calls"], learnt["abandoned"]) == (history.calls, history.abandoned)
    assert week_plan["patience_s"] == pytest.approx(history.patience_s, abs=0.05)


def test_a_given_patience_overrides_the_estimate(history: sources.CallHistory) -> None:
    plan = hotline.plan_hotline(
        history, date(2026, 12, 1), 1, hotline.HotlineTargets(patience_s=60.0)
    )
    assert plan["patience_s"] == 60.0


def test_the_forecast_error_holds_back_the_last_week_of_history(
    week_plan: hotline.Payload, calls_frame: pd.DataFrame, month: Month
) -> None:
    error = week_plan["forecast_error"]
    assert error is not None
    first = month.last_day - timedelta(days=6)
    assert (error["holdout_first"], error["holdout_last"]) == (str(first), str(month.last_day))
    keep = calls_frame["queued_at"].notna() & ~calls_frame["excluded"].eq(True)
    queued = calls_frame.loc[keep, "queued_at"]
    per_day = queued.dt.normalize().value_counts().sort_index()
    held_back = per_day[per_day.index >= pd.Timestamp(first)]
    week_before = per_day[
        (per_day.index >= pd.Timestamp(first - timedelta(days=7)))
        & (per_day.index < pd.Timestamp(first))
    ]
    assert error["actual"] == held_back.astype(float).tolist()
    # Seasonal naive: each held-back day repeats the same weekday a week earlier.
    assert error["naive"] == week_before.astype(float).tolist()
    # WAPE is over half hours; errors of a day's half hours cannot cancel below the day's.
    daily = np.abs(np.subtract(error["forecast"], error["actual"])).sum() / sum(error["actual"])
    assert error["wape"] >= daily - 1e-3
    assert error["beats_naive"] == (error["wape"] < error["naive_wape"])


def test_the_forecast_error_needs_two_weeks_of_history(
    history: sources.CallHistory,
) -> None:
    calendar = forecast.Calendar()
    assert hotline.forecast_error(history.history.window(0, 13), calendar) is None
    assert hotline.forecast_error(history.history.window(0, 14), calendar) is not None


def test_a_plan_from_under_two_weeks_has_no_forecast_error(month: Month) -> None:
    window = sources.Window(month.first_day, month.first_day + timedelta(days=12))
    short = sources.call_history(month.store, window)
    plan = hotline.plan_hotline(short, window.stop, 1)
    assert plan["forecast_error"] is None
    assert len(plan["intervals"]["agents"]) == 48


@pytest.fixture(scope="module")
def simulated(week_plan: hotline.Payload) -> hotline.Payload:
    return hotline.simulate_hotline(week_plan, seed=11, runs=20)


def test_the_simulator_offers_about_the_forecast_number_of_calls(
    week_plan: hotline.Payload, simulated: hotline.Payload
) -> None:
    cols = week_plan["intervals"]
    expected = 20 * (sum(cols["vip_calls"]) + sum(cols["ordinary_calls"]))
    assert simulated["calls"] == pytest.approx(expected, abs=5 * math.sqrt(expected))


def test_simulating_the_plan_lives_up_to_its_promises(
    week_plan: hotline.Payload, simulated: hotline.Payload
) -> None:
    """20 weeks of ~680 calls: sampling error of a service level is ≈0.004; the analytic
    staffing treats each half hour as a steady queue, the simulator carries queues over.
    Within 0.02 (service levels) and 0.01 (abandonment) they agree."""
    cols = week_plan["intervals"]
    vip_weights = np.asarray(cols["vip_calls"])
    ordinary_weights = np.asarray(cols["ordinary_calls"])
    vip_promised = np.average(cols["vip_service_level"], weights=vip_weights)
    ordinary_promised = np.average(cols["ordinary_service_level"], weights=ordinary_weights)
    abandon_promised = np.average(cols["ordinary_abandon"], weights=ordinary_weights)
    got = simulated["simulated"]
    assert got["vip_service_level"] == pytest.approx(vip_promised, abs=0.02)
    assert got["ordinary_service_level"] == pytest.approx(ordinary_promised, abs=0.02)
    assert got["ordinary_abandon"] == pytest.approx(abandon_promised, abs=0.01)
    assert simulated["promised"]["vip_service_level"] == pytest.approx(vip_promised, abs=1e-4)
    targets = week_plan["targets"]
    assert got["vip_service_level"] >= targets["vip_target"]
    assert got["ordinary_service_level"] >= targets["ordinary_target"]


def test_a_plan_one_agent_short_everywhere_fails_in_the_simulator(
    week_plan: hotline.Payload,
) -> None:
    cols = week_plan["intervals"]
    short = {
        **week_plan,
        "intervals": {**cols, "agents": [max(a - 1, 0) for a in cols["agents"]]},
    }
    got = hotline.simulate_hotline(short, seed=11, runs=20)["simulated"]
    assert got["vip_service_level"] < week_plan["targets"]["vip_target"]


def test_the_same_seed_simulates_the_same_callers(week_plan: hotline.Payload) -> None:
    first = hotline.simulate_hotline(week_plan, seed=3, runs=2)
    again = hotline.simulate_hotline(week_plan, seed=3, runs=2)
    other = hotline.simulate_hotline(week_plan, seed=4, runs=2)
    assert first == again
    assert first["calls"] != other["calls"] or first["simulated"] != other["simulated"]


def test_simulation_rejects_a_plan_that_is_not_a_hotline_plan(
    week_plan: hotline.Payload,
) -> None:
    with pytest.raises(ValueError, match="hotline plan"):
        hotline.simulate_hotline({**week_plan, "kind": "halls"})
    with pytest.raises(ValueError, match="runs"):
        hotline.simulate_hotline(week_plan, runs=0)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"vip_target": 0.0}, "vip_target"),
        ({"ordinary_target": 1.2}, "ordinary_target"),
        ({"max_occupancy": 0.0}, "max_occupancy"),
        ({"shrinkage": 1.0}, "shrinkage"),
        ({"shrinkage": -0.1}, "shrinkage"),
        ({"vip_threshold_s": 0.0}, "answer-time"),
        ({"ordinary_threshold_s": -5.0}, "answer-time"),
        ({"patience_s": 0.0}, "patience"),
    ],
)
def test_targets_out_of_range_are_refused(changes: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        hotline.HotlineTargets(**changes)


def test_a_plan_needs_at_least_one_day(history: sources.CallHistory) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        hotline.plan_hotline(history, date(2026, 12, 1), 0)
