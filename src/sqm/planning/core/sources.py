"""What the planners learn from the event store: hotline and hall demand histories, patience,
handling and service times, and how contacts follow the bill date (issue 5, part 1 and 7).

Plain functions over :class:`EventStore` (DuckDB on the day-partitioned Parquet); no Django.
Every reader takes the window of days it learns from, so a plan is reproducible from the
store and the parameters saved with it.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from sqm.events.core.store import EventStore
from sqm.org.core.province import TIERS
from sqm.planning.core import billing, forecast

VIP_TIERS: tuple[str, ...] = tuple(t.code for t in TIERS if t.is_vip)
VIP, ORDINARY = "vip", "ordinary"
# A call's queue is the IVR main-menu branch it came through: the first key of its path
# ("2>1>2>0" → "2"); "0" or no path is the caller who asked for an agent at the welcome. The
# forecast is kept per tier and queue; agents are pooled across queues (one skill set).
DIRECT = "0"
QUEUE_SQL = f"coalesce(nullif(split_part(ivr_path, '>', 1), ''), '{DIRECT}')"


DEFAULT_COUNTER_S = 480.0  # a hall whose visits were never timed


class NoHistory(ValueError):
    """The store holds too little of a source to learn from."""


@dataclass(frozen=True, slots=True)
class Window:
    """Days ``first`` to ``last`` inclusive."""

    first: date
    last: date

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def stop(self) -> date:
        return self.last + timedelta(days=1)


def stored_window(store: EventStore, source: str, until: date | None, weeks: int) -> Window:
    """The last ``weeks`` whole weeks of ``source`` up to ``until`` (default: its last day)."""
    days = store.days(source)
    if not days:
        raise NoHistory(f"the event store has no {source} events: ingest or generate some first")
    last = min(until, days[-1]) if until is not None else days[-1]
    first = max(days[0], last - timedelta(days=7 * weeks - 1))
    if first > last:
        raise NoHistory(f"no {source} events on or before {until}")
    return Window(first, last)


@dataclass(frozen=True, slots=True)
class CallHistory:
    window: Window
    history: forecast.History  # tiers "vip" and "ordinary" × queues (IVR main-menu branch)
    patience_s: float  # ∞ when nobody abandoned
    aht_s: float
    calls: int
    abandoned: int
    # The IVR in front of the queue: calls that entered it (same branch and days), the share
    # that went on to an agent, and their mean time in the IVR before queueing.
    ivr_calls: int = 0
    ivr_to_agent: float = 1.0
    ivr_mean_s: float = 0.0


def call_history(
    store: EventStore,
    window: Window,
    *,
    interval_minutes: int = 30,
    branch: str | None = None,
    vip_tiers: tuple[str, ...] = VIP_TIERS,
) -> CallHistory:
    """Calls that asked for an agent, by the time they joined the queue, labelled VIP or
    ordinary and by queue (:data:`QUEUE_SQL`). Mean patience is the exponential
    maximum-likelihood estimate with censoring: total time spent waiting (answered and
    abandoned) over the number who hung up."""
    where = ["queued_at IS NOT NULL", "NOT coalesce(excluded, false)"]
    params: list[Any] = [_ts(window.first), _ts(window.stop)]
    if branch:
        where.append("branch = ?")
        params.append(branch)
    frame = _query(
        store,
        "calls",
        f"""
        SELECT queued_at,
               CASE WHEN list_contains(?, tier) THEN '{VIP}' ELSE '{ORDINARY}' END AS tier,
               {QUEUE_SQL} AS queue,
               epoch(ended_at) - epoch(answered_at) AS handle_s,
               epoch(coalesce(answered_at, abandoned_at, ended_at)) - epoch(queued_at) AS wait_s,
               answered_at IS NULL AND abandoned_at IS NOT NULL AS gave_up
        FROM {{source}}
        WHERE queued_at >= ? AND queued_at < ? AND {" AND ".join(where)}
        """,
        [list(vip_tiers), *params],
    )
    if frame.empty:
        raise NoHistory(f"no queued calls between {window.first} and {window.last}")
    history = forecast.History.from_events(
        frame["queued_at"],
        handle_s=frame["handle_s"],
        tier=frame["tier"],
        queue=frame["queue"],
        interval_minutes=interval_minutes,
        start=window.first,
        end=window.stop,
    )
    abandoned = int(frame["gave_up"].sum())
    waited = float(frame["wait_s"].clip(lower=0).sum())
    handle = frame["handle_s"].dropna()
    ivr = _query(
        store,
        "calls",
        f"""
        SELECT count(*) AS calls,
               avg(epoch(queued_at) - epoch(arrived_at)) FILTER (WHERE queued_at IS NOT NULL)
        FROM {{source}}
        WHERE arrived_at >= ? AND arrived_at < ? AND {" AND ".join(where[1:])}
        """,
        params,
    ).iloc[0]
    entered = int(ivr.iloc[0])
    return CallHistory(
        window,
        history,
        waited / abandoned if abandoned else math.inf,
        float(handle.mean()) if len(handle) else math.nan,
        len(frame),
        abandoned,
        entered,
        min(len(frame) / entered, 1.0) if entered else 1.0,
        max(float(ivr.iloc[1]), 0.0) if entered and ivr.iloc[1] == ivr.iloc[1] else 0.0,
    )


@dataclass(frozen=True, slots=True)
class HallHistory:
    window: Window
    history: forecast.History  # one group per hall: tier label = hall id, hourly intervals
    service_s: dict[str, float]  # mean seconds at the counter, per hall
    visits: int


def hall_history(
    store: EventStore, window: Window, *, halls: list[str] | None = None
) -> HallHistory:
    """Hall arrivals per hour and hall; the counter time of those served."""
    where = ""
    params: list[Any] = [_ts(window.first), _ts(window.stop)]
    if halls is not None:
        if not halls:
            raise NoHistory("no halls to plan")
        where = "AND list_contains(?, hall_id)"
        params.append(halls)
    frame = _query(
        store,
        "hall_visits",
        f"""
        SELECT arrived_at, hall_id, epoch(finished_at) - epoch(served_at) AS service_s
        FROM {{source}}
        WHERE arrived_at >= ? AND arrived_at < ? {where}
        """,
        params,
    )
    if frame.empty:
        raise NoHistory(f"no hall visits between {window.first} and {window.last}")
    history = forecast.History.from_events(
        frame["arrived_at"],
        handle_s=frame["service_s"],
        tier=frame["hall_id"],
        interval_minutes=60,
        start=window.first,
        end=window.stop,
    )
    served = frame.dropna(subset=["service_s"])
    served = served[served["service_s"] > 0]
    overall = float(served["service_s"].mean()) if len(served) else DEFAULT_COUNTER_S
    per_hall = served.groupby("hall_id")["service_s"].mean().to_dict()
    service = {hall: float(per_hall.get(hall, overall)) for hall, _ in history.groups}
    return HallHistory(window, history, service, len(frame))


@dataclass(frozen=True, slots=True)
class MeanTimes:
    """What the billing what-if sizes staff with, as :func:`call_history` and
    :func:`hall_history` would measure them, but aggregated in the engine: no event is loaded."""

    call_aht_s: float | None  # None: no answered call in the window
    hall_service_s: float | None  # mean over the halls of each hall's mean counter time
    halls: int  # halls with visits in the window


def mean_times(store: EventStore, window: Window) -> MeanTimes:
    bounds: list[Any] = [_ts(window.first), _ts(window.stop)]
    aht = math.nan
    with contextlib.suppress(NoHistory):
        aht = (
            _query(
                store,
                "calls",
                """
            SELECT avg(epoch(ended_at) - epoch(answered_at)) AS aht_s FROM {source}
            WHERE queued_at >= ? AND queued_at < ? AND NOT coalesce(excluded, false)
            """,
                bounds,
            )["aht_s"]
            .astype("float64")
            .iloc[0]
        )
    per_hall = pd.DataFrame()
    with contextlib.suppress(NoHistory):
        per_hall = _query(
            store,
            "hall_visits",
            """
            WITH timed AS (
                SELECT hall_id, epoch(finished_at) - epoch(served_at) AS service_s
                FROM {source} WHERE arrived_at >= ? AND arrived_at < ?
            )
            SELECT hall_id, avg(service_s) FILTER (WHERE service_s > 0) AS mean_s,
                   (SELECT avg(service_s) FROM timed WHERE service_s > 0) AS overall_s
            FROM timed GROUP BY hall_id
            """,
            bounds,
        )
    service = None
    if len(per_hall):
        overall = float(per_hall["overall_s"].astype("float64").iloc[0])
        fallback = overall if math.isfinite(overall) else DEFAULT_COUNTER_S
        service = float(per_hall["mean_s"].astype("float64").fillna(fallback).mean())
    return MeanTimes(float(aht) if math.isfinite(aht) else None, service, len(per_hall))


@dataclass(frozen=True, slots=True)
class BillingInputs:
    movable: list[tuple[str, int]]  # (segment, customers) the planner may move
    fixed: list[tuple[str, int, int]]  # (segment, bill day they chose, customers)
    responses: dict[str, billing.Response]
    bill_days: tuple[int, ...]  # the bill days customers have today
    months: float  # how much history the curves average over, in months


def billing_inputs(
    store: EventStore, window: Window, *, days_in_month: int = 30, fixed_segments: tuple[str, ...]
) -> BillingInputs:
    """Segments from the latest customer snapshot (group customers keep the cycle they chose)
    and, per segment, hall visits and calls per customer on each day after their bill day,
    measured over the window. The curves hold every contact of those customers, so the load
    the planner reports is the observed daily load, moved cycle by cycle."""
    customers = _query(
        store,
        "customers",
        """
        WITH latest AS (SELECT max(snapshot_at) AS at FROM {source})
        SELECT customer_id, coalesce(segment, 'individual') AS segment,
               coalesce(billing_cycle, 1) AS bill_day
        FROM {source}, latest WHERE snapshot_at = latest.at AND status = 'active'
        """,
        [],
    )
    if customers.empty:
        raise NoHistory("no customer snapshot: the billing planner needs one")
    counts = customers.groupby(["segment", "bill_day"]).size()
    offsets: dict[str, dict[str, np.ndarray]] = {}
    for source, column in (("hall_visits", "arrived_at"), ("calls", "arrived_at")):
        offsets[source] = _contacts_by_offset(
            store, source, column, customers, window, days_in_month
        )
    months = window.days / days_in_month
    segments_count = counts.groupby(level=0).sum()
    responses = {}
    for label, population in segments_count.items():
        segment = str(label)
        visits = offsets["hall_visits"].get(segment, np.zeros(days_in_month))
        calls = offsets["calls"].get(segment, np.zeros(days_in_month))
        scale = 1.0 / (float(population) * months)
        responses[segment] = billing.Response.of(visits * scale, calls * scale)
    current = tuple(sorted({int(d) for d in customers["bill_day"]}))
    movable: dict[str, int] = {}
    fixed: list[tuple[str, int, int]] = []
    for (kind, day), n in zip(counts.index.tolist(), counts.tolist(), strict=True):
        if kind in fixed_segments:
            fixed.append((str(kind), int(day), int(n)))
        else:
            movable[str(kind)] = movable.get(str(kind), 0) + int(n)
    return BillingInputs(sorted(movable.items()), fixed, responses, current, months)


def _contacts_by_offset(
    store: EventStore,
    source: str,
    column: str,
    customers: pd.DataFrame,
    window: Window,
    days_in_month: int,
) -> dict[str, np.ndarray]:
    if not store.has_data(source):
        return {}
    with duckdb.connect() as connection:
        connection.register("customer_cycles", customers)
        frame = connection.execute(
            f"""
            SELECT c.segment,
                   ((day(e.{column}) - c.bill_day) % {days_in_month} + {days_in_month})
                     % {days_in_month} AS offset,
                   count(*) AS contacts
            FROM read_parquet(?) AS e JOIN customer_cycles AS c USING (customer_id)
            WHERE e.{column} >= ? AND e.{column} < ?
            GROUP BY ALL
            """,
            [store.parquet_glob(source), _ts(window.first), _ts(window.stop)],
        ).df()
    found: dict[str, np.ndarray] = {}
    for segment, part in frame.groupby("segment"):
        curve = np.zeros(days_in_month)
        np.add.at(curve, part["offset"].to_numpy(dtype=np.int64), part["contacts"].to_numpy())
        found[str(segment)] = curve
    return found


def _query(store: EventStore, source: str, sql: str, params: list[Any]) -> pd.DataFrame:
    if not store.has_data(source):
        raise NoHistory(f"the event store has no {source} events: ingest or generate some first")
    with duckdb.connect() as connection:
        relation = f"read_parquet('{store.parquet_glob(source)}')"
        return connection.execute(sql.replace("{source}", relation), params).df()


def _ts(day: date) -> pd.Timestamp:
    return pd.Timestamp(day)
