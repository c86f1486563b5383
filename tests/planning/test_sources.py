"""What the planners learn from the event store, checked against a recount of the Parquet
files with pandas (the ``calls_frame`` … fixtures), and on a hand-built store where every
figure can be worked out by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.org.core.province import TIERS
from sqm.planning.core import sources
from tests.planning.conftest import Month

VIP_CODES = frozenset(t.code for t in TIERS if t.is_vip)


def queued_calls(calls: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    """Calls that joined the agent queue within the days, excluded ones left out."""
    keep = calls["queued_at"].notna() & ~calls["excluded"].eq(True)
    keep &= calls["queued_at"] >= pd.Timestamp(first)
    keep &= calls["queued_at"] < pd.Timestamp(last + timedelta(days=1))
    return calls[keep]


def grid(
    times: pd.Series, labels: pd.Series, first: date, days: int, step: int
) -> dict[str, np.ndarray]:
    """label → days × intervals counts."""
    day = (times.dt.normalize() - pd.Timestamp(first)).dt.days.to_numpy()
    slot = ((times.dt.hour * 60 + times.dt.minute) // step).to_numpy()
    found: dict[str, np.ndarray] = {}
    for label in sorted(set(labels)):
        counts = np.zeros((days, 1440 // step))
        mask = (labels == label).to_numpy()
        np.add.at(counts, (day[mask], slot[mask]), 1)
        found[label] = counts
    return found


def whole_month(month: Month) -> sources.Window:
    return sources.Window(month.first_day, month.last_day)


# -- windows ------------------------------------------------------------------------------


def test_the_window_is_the_last_whole_weeks_up_to_the_day_asked(month: Month) -> None:
    window = sources.stored_window(month.store, "calls", date(2026, 11, 20), weeks=1)
    assert (window.first, window.last, window.days) == (date(2026, 11, 14), date(2026, 11, 20), 7)


def test_the_window_never_reaches_beyond_the_stored_days(month: Month) -> None:
    window = sources.stored_window(month.store, "calls", date(2027, 1, 1), weeks=8)
    assert (window.first, window.last) == (month.first_day, month.last_day)


def test_a_window_before_the_first_stored_day_is_no_history(month: Month) -> None:
    with pytest.raises(sources.NoHistory, match="on or before 2026-10-01"):
        sources.stored_window(month.store, "calls", date(2026, 10, 1), weeks=2)


@pytest.mark.parametrize("source", ["calls", "hall_visits", "customers"])
def test_an_empty_store_is_no_history(empty_store: EventStore, source: str) -> None:
    with pytest.raises(sources.NoHistory, match=f"no {source} events"):
        sources.stored_window(empty_store, source, None, 8)


def test_every_reader_says_no_history_on_an_empty_store(empty_store: EventStore) -> None:
    window = sources.Window(date(2026, 11, 1), date(2026, 11, 30))
    with pytest.raises(sources.NoHistory):
        sources.call_history(empty_store, window)
    with pytest.raises(sources.NoHistory):
        sources.hall_history(empty_store, window)
    with pytest.raises(sources.NoHistory):
        sources.billing_inputs(empty_store, window, fixed_segments=())


def test_a_window_without_queued_calls_is_no_history(month: Month) -> None:
    window = sources.Window(date(2025, 1, 1), date(2025, 1, 7))
    with pytest.raises(sources.NoHistory, match="no queued calls"):
        sources.call_history(month.store, window)


# -- calls --------------------------------------------------------------------------------


def test_call_counts_per_tier_and_interval_equal_a_recount_of_the_parquet(
    month: Month, calls_frame: pd.DataFrame, history: sources.CallHistory
) -> None:
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    tiers = queued["tier"].map(lambda t: "vip" if t in VIP_CODES else "ordinary")
    # The queue is the IVR main-menu key: the first key of the path, "0" without one.
    menu = queued["ivr_path"].fillna("").str.split(">").str[0].replace("", "0")
    labels = tiers + "|" + menu
    expected = grid(queued["queued_at"], labels, month.first_day, 30, 30)
    assert history.history.groups == [tuple(label.split("|")) for label in sorted(expected)]
    assert len({queue for _tier, queue in history.history.groups}) >= 3
    for g, (tier, queue) in enumerate(history.history.groups):
        np.testing.assert_array_equal(history.history.counts[g], expected[f"{tier}|{queue}"])
    assert history.calls == len(queued)


def test_vip_labelling_follows_the_provinces_vip_tiers_and_group_is_ordinary(
    month: Month, calls_frame: pd.DataFrame, history: sources.CallHistory
) -> None:
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    assert sorted(VIP_CODES) == ["diamond", "gold", "silver"]  # R4.2's VIP cards
    assert (queued["tier"] == "group").any(), "the month needs group callers to be meaningful"
    vip = int(queued["tier"].isin(VIP_CODES).sum())
    by_tier: dict[str, float] = {}
    for (tier, _queue), counts in zip(history.history.groups, history.history.counts, strict=True):
        by_tier[tier] = by_tier.get(tier, 0.0) + float(counts.sum())
    assert by_tier == {"vip": vip, "ordinary": len(queued) - vip}


def test_vip_labelling_follows_the_tiers_it_is_given(
    month: Month, calls_frame: pd.DataFrame
) -> None:
    only_diamond = sources.call_history(month.store, whole_month(month), vip_tiers=("diamond",))
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    vip = [g for g, (tier, _q) in enumerate(only_diamond.history.groups) if tier == "vip"]
    assert only_diamond.history.counts[vip].sum() == (queued["tier"] == "diamond").sum()


def test_excluded_calls_and_calls_that_never_queued_are_left_out(
    month: Month, calls_frame: pd.DataFrame, history: sources.CallHistory
) -> None:
    in_month = calls_frame[calls_frame["arrived_at"] < pd.Timestamp(month.next_day)]
    never_queued = int(in_month["queued_at"].isna().sum())
    excluded_queued = int((in_month["queued_at"].notna() & in_month["excluded"].eq(True)).sum())
    assert never_queued > 0 and excluded_queued > 0, "the month must hold both kinds"
    # Queued calls of the month, less the excluded ones: nothing else is dropped or added.
    queued_in_month = in_month["queued_at"].notna() & (
        in_month["queued_at"] < pd.Timestamp(month.next_day)
    )
    assert history.calls == int(queued_in_month.sum()) - excluded_queued
    assert history.history.counts.sum() == history.calls


def test_only_the_branch_asked_for_is_counted(month: Month, calls_frame: pd.DataFrame) -> None:
    nanjing = sources.call_history(month.store, whole_month(month), branch="NJ")
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    assert 0 < nanjing.calls == int((queued["branch"] == "NJ").sum()) < len(queued)


def test_patience_is_total_wait_over_hang_ups(
    month: Month, calls_frame: pd.DataFrame, history: sources.CallHistory
) -> None:
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    left = queued["answered_at"].fillna(queued["abandoned_at"]).fillna(queued["ended_at"])
    waited = (left - queued["queued_at"]).dt.total_seconds().clip(lower=0).sum()
    hang_ups = int((queued["answered_at"].isna() & queued["abandoned_at"].notna()).sum())
    assert hang_ups > 0
    assert history.abandoned == hang_ups
    assert history.patience_s == pytest.approx(waited / hang_ups, rel=1e-9)


def test_handling_time_is_the_mean_talk_time_of_answered_calls(
    month: Month, calls_frame: pd.DataFrame, history: sources.CallHistory
) -> None:
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    answered = queued[queued["answered_at"].notna()]
    talk = (answered["ended_at"] - answered["answered_at"]).dt.total_seconds()
    assert history.aht_s == pytest.approx(talk.mean(), rel=1e-9)


def calls_table(rows: list[dict[str, object]]) -> pa.Table:
    base = {"tier": "ordinary", "branch": "NJ", "wanted_agent": True}
    return pa.Table.from_pylist([{**base, **row} for row in rows], schema=SOURCES["calls"].schema)


def test_patience_and_handling_time_by_hand_on_a_small_store(tmp_path: Path) -> None:
    """Three queued calls: answered after 10 s (talk 200 s), answered after 50 s (talk 100 s),
    hung up after 30 s; one excluded (a test call) and one that stayed in the IVR."""
    at = datetime(2026, 3, 2, 9, 0)
    s = timedelta(seconds=1)
    rows: list[dict[str, object]] = [
        {"call_id": "a", "tier": "gold", "arrived_at": at, "queued_at": at,
         "answered_at": at + 10 * s, "ended_at": at + 210 * s},
        {"call_id": "b", "arrived_at": at, "queued_at": at + 600 * s, "ivr_path": "2>1>0",
         "answered_at": at + 650 * s, "ended_at": at + 750 * s},
        {"call_id": "c", "arrived_at": at, "queued_at": at + 1800 * s,
         "abandoned_at": at + 1830 * s, "ended_at": at + 1830 * s},
        {"call_id": "d", "arrived_at": at, "queued_at": at, "answered_at": at + 1000 * s,
         "ended_at": at + 9000 * s, "excluded": True},
        {"call_id": "e", "arrived_at": at, "ivr_self_served": True, "wanted_agent": False,
         "ended_at": at + 60 * s},
    ]  # fmt: skip
    store = EventStore(tmp_path)
    store.append(SOURCES["calls"], calls_table(rows))
    found = sources.call_history(store, sources.Window(date(2026, 3, 2), date(2026, 3, 2)))
    assert (found.calls, found.abandoned) == (3, 1)
    assert found.patience_s == pytest.approx((10 + 50 + 30) / 1)
    assert found.aht_s == pytest.approx((200 + 100) / 2)
    counts = dict(zip(found.history.groups, found.history.counts, strict=True))
    # By the time they joined the queue: a (gold) and b at 09:00–09:30, c at 09:30–10:00.
    # b came through IVR menu 2; a and c asked for an agent at the welcome (queue "0").
    assert counts[("vip", "0")][0].tolist() == [1 if k == 18 else 0 for k in range(48)]
    assert counts[("ordinary", "2")][0].tolist() == [1 if k == 18 else 0 for k in range(48)]
    assert counts[("ordinary", "0")][0].tolist() == [1 if k == 19 else 0 for k in range(48)]
    # The IVR: a, b, c and e entered it (d is excluded); a, b and c went on to an agent,
    # after 0, 600 and 1,800 s in it.
    assert (found.ivr_calls, found.ivr_to_agent) == (4, pytest.approx(3 / 4))
    assert found.ivr_mean_s == pytest.approx((0 + 600 + 1800) / 3)


def test_nobody_hanging_up_means_infinite_patience(tmp_path: Path) -> None:
    at = datetime(2026, 3, 2, 9, 0)
    store = EventStore(tmp_path)
    row = {"call_id": "a", "arrived_at": at, "queued_at": at, "answered_at": at,
           "ended_at": at + timedelta(minutes=3)}  # fmt: skip
    store.append(SOURCES["calls"], calls_table([row]))
    found = sources.call_history(store, sources.Window(date(2026, 3, 2), date(2026, 3, 2)))
    assert found.patience_s == float("inf") and found.abandoned == 0


# -- halls --------------------------------------------------------------------------------


def test_hall_visits_per_hall_and_hour_equal_a_recount(
    month: Month, visits_frame: pd.DataFrame
) -> None:
    found = sources.hall_history(month.store, whole_month(month))
    in_window = visits_frame[visits_frame["arrived_at"] < pd.Timestamp(month.next_day)]
    expected = grid(in_window["arrived_at"], in_window["hall_id"], month.first_day, 30, 60)
    assert [hall for hall, _ in found.history.groups] == sorted(expected)
    for g, (hall, _queue) in enumerate(found.history.groups):
        np.testing.assert_array_equal(found.history.counts[g], expected[hall])
    assert found.visits == len(in_window)


def test_hall_service_time_is_the_mean_counter_time_per_hall(
    month: Month, visits_frame: pd.DataFrame
) -> None:
    found = sources.hall_history(month.store, whole_month(month))
    seconds = (visits_frame["finished_at"] - visits_frame["served_at"]).dt.total_seconds()
    served = visits_frame.assign(seconds=seconds).dropna(subset=["seconds"])
    served = served[served["seconds"] > 0]
    expected = served.groupby("hall_id")["seconds"].mean()
    assert len(expected) > 1 and expected.nunique() == len(expected)
    assert found.service_s == pytest.approx(expected.to_dict(), rel=1e-9)


def test_mean_times_aggregated_in_the_engine_equal_a_recount(
    month: Month, calls_frame: pd.DataFrame, visits_frame: pd.DataFrame, tmp_path: Path
) -> None:
    found = sources.mean_times(month.store, whole_month(month))
    queued = queued_calls(calls_frame, month.first_day, month.last_day)
    talk = (queued["ended_at"] - queued["answered_at"]).dt.total_seconds().dropna()
    assert found.call_aht_s == pytest.approx(talk.mean(), rel=1e-9)
    seconds = (visits_frame["finished_at"] - visits_frame["served_at"]).dt.total_seconds()
    served = visits_frame.assign(seconds=seconds).dropna(subset=["seconds"])
    per_hall = served[served["seconds"] > 0].groupby("hall_id")["seconds"].mean()
    assert found.halls == visits_frame["hall_id"].nunique() == len(per_hall)
    assert found.hall_service_s == pytest.approx(per_hall.mean(), rel=1e-9)
    empty = sources.mean_times(EventStore(tmp_path), whole_month(month))
    assert (empty.call_aht_s, empty.hall_service_s, empty.halls) == (None, None, 0)


def test_only_the_halls_asked_for_are_read(month: Month, visits_frame: pd.DataFrame) -> None:
    hall = sorted(visits_frame["hall_id"].unique())[0]
    found = sources.hall_history(month.store, whole_month(month), halls=[hall, "XX-H999"])
    assert found.history.groups == [(hall, "all")]
    assert found.visits == int((visits_frame["hall_id"] == hall).sum())
    with pytest.raises(sources.NoHistory, match="no halls"):
        sources.hall_history(month.store, whole_month(month), halls=[])


# -- billing ------------------------------------------------------------------------------


def latest_active(customers: pd.DataFrame) -> pd.DataFrame:
    latest = customers[customers["snapshot_at"] == customers["snapshot_at"].max()]
    active: pd.DataFrame = latest[latest["status"] == "active"]
    return active


def test_segments_and_bill_days_come_from_the_latest_snapshot_of_active_customers(
    month: Month, customers_frame: pd.DataFrame
) -> None:
    found = sources.billing_inputs(month.store, whole_month(month), fixed_segments=("group",))
    active = latest_active(customers_frame)
    per_segment = active.groupby("segment").size()
    assert dict(found.movable) == per_segment.drop("group").to_dict()
    assert sum(n for _s, _day, n in found.fixed) == per_segment["group"]
    assert {s for s, _day, _n in found.fixed} == {"group"}
    assert found.bill_days == tuple(sorted(active["billing_cycle"].astype(int).unique()))
    assert found.months == pytest.approx(30 / 30)


@pytest.mark.parametrize(("source", "curve"), [("hall_visits", "visits"), ("calls", "calls")])
def test_billing_curves_times_customers_and_months_give_back_the_contacts(
    month: Month, customers_frame: pd.DataFrame, source: str, curve: str
) -> None:
    window = sources.Window(month.first_day, month.first_day + timedelta(days=20))
    found = sources.billing_inputs(month.store, window, fixed_segments=("group",))
    active = latest_active(customers_frame)[["customer_id", "segment", "billing_cycle"]]
    events = month.frame(source)
    events = events[
        (events["arrived_at"] >= pd.Timestamp(window.first))
        & (events["arrived_at"] < pd.Timestamp(window.stop))
    ].merge(active, on="customer_id")
    population = active.groupby("segment").size()
    assert len(found.responses) == len(population)
    for segment, response in found.responses.items():
        mine = events[events["segment"] == segment]
        offset = (mine["arrived_at"].dt.day - mine["billing_cycle"].astype(int)) % 30
        expected = np.bincount(offset, minlength=30)
        got = getattr(response, curve) * population[segment] * found.months
        assert got.sum() == pytest.approx(len(mine), rel=1e-9)
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)
    assert found.months == pytest.approx(21 / 30)
