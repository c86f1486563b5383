"""What the detectors read from the event store, and running them all over one month.

Plain functions over :class:`~sqm.events.core.store.EventStore` (DuckDB on the day
partitions; only the partitions of the days asked for are opened); no Django. The detectors
see daily (hourly for e-channels) aggregates, so a province-month is a handful of grouped
scans; evidence ids are fetched afterwards, only for the signals found.
"""

from __future__ import annotations

import calendar as month_calendar
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute
from sqm.tracing.core.detectors import (
    Calendar,
    abnormal_change,
    batch_complaints,
    channel_anomalies,
    escalation_spikes,
    hall_anomalies,
    hot_complaints,
    hot_topics,
    ivr_node_anomalies,
    satisfaction_shortboards,
    spam_senders,
)
from sqm.tracing.core.detectors.indicators import IndicatorSpec, indicator_anomalies
from sqm.tracing.core.effect import (
    Effect,
    SatisfactionChange,
    difference_in_differences,
    satisfaction_difference,
)
from sqm.tracing.core.signals import EVIDENCE_LIMIT, Signal, SignalKind
from sqm.voc.core.study import StudyFilter, read_study

HISTORY_DAYS = 56  # eight weeks before the month teach the baselines (when the store has them)
IVR_DEPTH = 2  # menu levels whose nodes are watched


class NoEvents(ValueError):
    """The store holds no complaints (or calls) for the month asked for."""


@dataclass(frozen=True, slots=True)
class Detection:
    month: str
    signals: list[Signal]
    seconds: dict[str, float] = field(default_factory=dict)  # per step, for the benchmark


def month_bounds(month: str) -> tuple[date, date]:
    try:
        year, number = (int(x) for x in month.split("-"))
        last = month_calendar.monthrange(year, number)[1]
    except (ValueError, month_calendar.IllegalMonthError):
        raise ValueError(f"month must look like YYYY-MM, got {month!r}") from None
    return date(year, number, 1), date(year, number, last)


class _Reader:
    """One DuckDB connection over the partitions of [first, last] of each source."""

    def __init__(self, store: EventStore, first: date, last: date) -> None:
        self.store, self.first, self.last = store, first, last
        self.connection = duckdb.connect()

    def files(self, source: str, first: date | None = None) -> list[str]:
        low = first or self.first
        return [
            str(f)
            for d in self.store.days(source)
            if low <= d <= self.last
            for f in self.store.files(source, d)
        ]

    def query(self, source: str, sql: str, params: Sequence[Any] = ()) -> pd.DataFrame:
        files = self.files(source)
        if not files:
            return pd.DataFrame()
        relation = "read_parquet(?, union_by_name = true)"
        frame: pd.DataFrame = self.connection.execute(
            sql.replace("{source}", relation), [files, *params]
        ).df()
        return frame


def detect_month(
    data_dir: Path | str, month: str, *, history_days: int = HISTORY_DAYS
) -> list[Signal]:
    """Every detector over ``month`` (YYYY-MM), learning baselines from up to
    ``history_days`` before it; signals ranked by score, evidence ids attached."""
    return run_detection(data_dir, month, history_days=history_days).signals


def run_detection(
    data_dir: Path | str, month: str, *, history_days: int = HISTORY_DAYS
) -> Detection:
    store = EventStore(data_dir)
    first, last = month_bounds(month)
    complaint_days = [d for d in store.days("complaints") if d <= last]
    if not [d for d in complaint_days if d >= first] and not store.days("calls"):
        raise NoEvents(f"the event store has no complaints or calls in {month}")
    earliest = max(first - timedelta(days=history_days), min(complaint_days, default=first))
    reader = _Reader(store, earliest, last)
    seconds: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[step] = now - clock
        clock = now

    customers, bill_days = _customer_base(reader, last)
    cal = Calendar.span(earliest, last, first, bill_days or ((1, 1.0),))
    watch = datetime(first.year, first.month, first.day)
    month_end = datetime(last.year, last.month, last.day) + timedelta(days=1)
    lap("customers")
    signals: list[Signal] = []
    complaints = _complaints(reader)
    lap("read complaints")
    if not complaints.empty:
        signals += abnormal_change(complaints, cal, customers)
        signals += batch_complaints(complaints, cal)
        signals += hot_complaints(complaints, cal)
        signals += escalation_spikes(complaints, cal, customers)
    lap("complaint detectors")
    topics = reader.query(
        "calls",
        "SELECT CAST(arrived_at AS DATE) AS day, topic, count(*) AS n FROM {source} "
        "WHERE topic IS NOT NULL AND NOT coalesce(excluded, false) GROUP BY ALL",
    )
    if not topics.empty:
        signals += hot_topics(topics, ["topic"], cal, SignalKind.HOT_CONSULTATION, "calls", top=10)
    signals += ivr_node_anomalies(_ivr_nodes(reader), watch)
    lap("calls")
    halls = reader.query(
        "hall_visits",
        "SELECT date_trunc('day', arrived_at) AS \"at\", hall_id AS hall, "
        "any_value(branch) AS branch, count(*) AS visits, count(*) FILTER (WHERE "
        "coalesce(called_at, arrived_at + INTERVAL 1 DAY) - arrived_at > INTERVAL 10 MINUTE) "
        "AS long_waits FROM {source} GROUP BY ALL",
    )
    if not halls.empty:
        signals += hall_anomalies(halls, watch)
    lap("halls")
    requests = reader.query(
        "echannel",
        'SELECT date_trunc(\'hour\', "at") AS "at", channel, count(*) AS requests, '
        "count(*) FILTER (WHERE NOT success) AS failed FROM {source} GROUP BY ALL",
    )
    if not requests.empty:
        signals += channel_anomalies(requests, watch)
    lap("e-channels")
    reports = reader.query(
        "sms_reports",
        'SELECT CAST("at" AS DATE) AS day, sender, count(DISTINCT coalesce(reporter, '
        "report_id)) AS n FROM {source} WHERE coalesce(origin, 'customer_report') = "
        "'customer_report' GROUP BY ALL",
    )
    if not reports.empty:
        signals += spam_senders(reports, cal)
    lap("spam reports")
    signals += _shortboards(store, month, complaints, watch, month_end, first)
    lap("short-boards")
    signals += catalog_anomalies(store, cal)
    lap("catalog indicators")
    signals = [_clip(s, watch) for s in signals]
    signals = _with_evidence(reader, signals, complaints)
    lap("evidence")
    reader.connection.close()
    signals.sort(key=lambda s: (-s.score, s.key))
    return Detection(month, signals, seconds)


def catalog_specs() -> dict[str, IndicatorSpec]:
    """Every catalog indicator that can be cut by branch and day, as the detector sees it."""
    return {
        i.id: IndicatorSpec(
            kind=i.kind,
            direction=i.direction,
            source=i.source,
            scale=float(getattr(i, "scale", 1.0)),
            unit=i.unit,
        )
        for i in load_catalog().indicators
        if "branch" in i.dimensions and "day" in i.dimensions
    }


def catalog_anomalies(store: EventStore, cal: Calendar) -> list[Signal]:
    """Every catalog indicator by branch and day over the calendar (the indicator engine's
    ``branch × day`` cut, one grouped scan per source), through the anomaly detector."""
    specs = catalog_specs()
    period = f"{cal.days[0].isoformat()}..{cal.days[-1].isoformat()}"
    table = compute(store, load_catalog().only(frozenset(specs)), period, ("branch", "day"))
    frame = table.select(["indicator", "branch", "day", "value", "numerator", "denominator"])
    return list(indicator_anomalies(frame.to_pandas(), specs, cal))


def _customer_base(
    reader: _Reader, last: date
) -> tuple[dict[str, int], tuple[tuple[int, float], ...]]:
    """Customers per branch and the bill dates' shares, from the latest snapshot."""
    days = [d for d in reader.store.days("customers") if d <= last]
    if not days:
        return {}, ()
    files = [str(f) for f in reader.store.files("customers", days[-1])]
    frame = reader.connection.execute(
        "SELECT branch, coalesce(billing_cycle, 1) AS cycle, count(*) AS n "
        "FROM read_parquet(?) WHERE status <> 'closed' GROUP BY ALL",
        [files],
    ).df()
    customers = {str(b): int(n) for b, n in frame.groupby("branch")["n"].sum().items()}
    cycles = frame.groupby("cycle")["n"].sum()
    total = float(cycles.sum()) or 1.0
    shares = zip(cycles.index.tolist(), cycles.tolist(), strict=True)
    return customers, tuple((int(c), float(n) / total) for c, n in shares)


def _complaints(reader: _Reader) -> pd.DataFrame:
    frame = reader.query(
        "complaints",
        "SELECT CAST(created_at AS DATE) AS day, branch, category, "
        "coalesce(subcategory, category) AS subcategory, coalesce(level, 'ordinary') AS level, "
        "count(*) AS n FROM {source} GROUP BY ALL",
    )
    if frame.empty:
        return pd.DataFrame(columns=["day", "branch", "category", "subcategory", "level", "n"])
    return frame


def _ivr_nodes(reader: _Reader) -> pd.DataFrame:
    """Per day and IVR node (a path prefix up to :data:`IVR_DEPTH` keys): calls through it,
    calls whose path comes back to it (repeats the node's keys right after it), and callers who
    wanted an agent but never reached the queue."""
    return reader.query(
        "calls",
        f"""
        WITH c AS (
            SELECT date_trunc('day', arrived_at) AS bucket, ivr_path,
                   string_split(ivr_path, '>') AS keys,
                   coalesce(wanted_agent, false) AND queued_at IS NULL AS trapped
            FROM {{source}} WHERE coalesce(ivr_path, '') <> ''
        ), n AS (
            SELECT bucket, ivr_path, trapped, array_to_string(list_slice(keys, 1, k), '>') AS node
            FROM c, range(1, {IVR_DEPTH + 1}) AS t(k) WHERE len(keys) >= k
        )
        SELECT bucket AS "at", node, count(*) AS calls,
               count(*) FILTER (WHERE starts_with(ivr_path, node || '>' || node)) AS looped,
               count(*) FILTER (WHERE trapped) AS trapped
        FROM n GROUP BY ALL
        """,
    )


def _shortboards(
    store: EventStore,
    month: str,
    complaints: pd.DataFrame,
    start: datetime,
    end: datetime,
    first: date,
) -> list[Signal]:
    study = read_study(store, StudyFilter(operators=frozenset({"us"}), months=frozenset({month})))
    in_month = complaints[pd.to_datetime(complaints["day"]).dt.date >= first]
    counts = {str(c): int(n) for c, n in in_month.groupby("category")["n"].sum().items()}
    return list(satisfaction_shortboards(study, start, end, counts))


def _clip(signal: Signal, watch: datetime) -> Signal:
    """Signals belong to the month watched: a window never starts before it."""
    return signal if signal.start >= watch else replace(signal, start=watch)


def _with_evidence(
    reader: _Reader, signals: Iterable[Signal], complaints: pd.DataFrame
) -> list[Signal]:
    out: list[Signal] = []
    for s in signals:
        ids = _evidence_ids(reader, s)
        out.append(replace(s, evidence_ids=tuple(ids[:EVIDENCE_LIMIT])))
    return out


def _evidence_ids(reader: _Reader, s: Signal) -> list[str]:
    p = s.place
    where = ["{time} >= ?", "{time} < ?"]
    params: list[Any] = [s.start, s.end]
    if s.evidence_source == "complaints":
        source, key, time_column = "complaints", "complaint_id", "created_at"
        for column, value in (
            ("branch", p.branch),
            ("category", p.category),
            ("subcategory", p.subcategory),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if s.kind is SignalKind.ESCALATION_SPIKE:
            where.append("level IN ('escalated', 'appeal')")
    elif s.evidence_source == "calls":
        source, key, time_column = "calls", "call_id", "arrived_at"
        if p.node is not None:
            where.append("(ivr_path = ? OR starts_with(ivr_path, ?))")
            params += [p.node, p.node + ">"]
            if p.indicator == "ivr_node_loop_share":
                where.append("starts_with(ivr_path, ?)")
                params.append(f"{p.node}>{p.node}")
            else:
                where.append("coalesce(wanted_agent, false) AND queued_at IS NULL")
        if p.category is not None:
            where.append("topic = ?")
            params.append(p.category)
    elif s.evidence_source == "hall_visits":
        source, key, time_column = "hall_visits", "visit_id", "arrived_at"
        where.append("hall_id = ?")
        params.append(p.hall)
        where.append(
            "coalesce(called_at, arrived_at + INTERVAL 1 DAY) - arrived_at > INTERVAL 10 MINUTE"
        )
    elif s.evidence_source == "echannel":
        source, key, time_column = "echannel", "request_id", '"at"'
        where += ["channel = ?", "NOT success"]
        params.append(p.channel)
    elif s.evidence_source == "sms_reports":
        source, key, time_column = "sms_reports", "report_id", '"at"'
        where.append("sender = ?")
        params.append(p.sender)
    else:
        return []
    files = [
        str(f)
        for d in reader.store.days(source)
        if s.start.date() <= d <= (s.end - timedelta(microseconds=1)).date()
        for f in reader.store.files(source, d)
    ]
    if not files:
        return []
    condition = " AND ".join(where).replace("{time}", time_column)
    rows = reader.connection.execute(
        f"SELECT {key} FROM read_parquet(?, union_by_name = true) WHERE {condition} "
        f"ORDER BY {time_column} LIMIT {EVIDENCE_LIMIT}",
        [files, *params],
    ).fetchall()
    return [str(r[0]) for r in rows]


def complaint_effect(
    data_dir: Path | str,
    branches: Sequence[str],
    category: str,
    start: date,
    days: int = 28,
) -> Effect:
    """Difference-in-differences of ``category`` complaints in ``branches`` against the same
    category in every other branch; before = the ``days`` days before ``start``, after =
    ``start`` and the ``days − 1`` days after it."""
    if not branches:
        raise ValueError("name at least one branch")
    store = EventStore(data_dir)
    first, last = start - timedelta(days=days), start + timedelta(days=days - 1)
    reader = _Reader(store, first, last)
    frame = reader.query(
        "complaints",
        "SELECT CAST(created_at AS DATE) AS day, branch, count(*) AS n FROM {source} "
        "WHERE category = ? AND created_at >= ? AND created_at < ? GROUP BY ALL",
        [category, first, last + timedelta(days=1)],
    )
    treated, control = np.zeros(2 * days), np.zeros(2 * days)
    chosen = set(branches)
    if not frame.empty:
        days_in = [pd.Timestamp(d).date() for d in frame["day"].tolist()]
        for day, branch, n in zip(days_in, frame["branch"], frame["n"], strict=True):
            (treated if branch in chosen else control)[(day - first).days] += int(n)
    before = _branch_customers(reader, first - timedelta(days=1))
    after = _branch_customers(reader, last)
    reader.connection.close()
    in_treated = set(branches)

    def split(base: dict[str, int]) -> tuple[int, int]:
        mine = sum(n for b, n in base.items() if b in in_treated)
        return mine, sum(base.values()) - mine

    tb, cb = split(before or after)
    ta, ca = split(after or before)
    return difference_in_differences(
        treated.tolist(),
        control.tolist(),
        start,
        days,
        treated_customers=(tb, ta) if tb and ta else None,
        control_customers=(cb, ca) if cb and ca else None,
    )


def satisfaction_change(
    data_dir: Path | str,
    branches: Sequence[str],
    factor: str,
    start: date,
    days: int = 28,
) -> SatisfactionChange:
    """The same windows and groups as ``complaint_effect``, on the perception scores (1–10)
    customers gave us for ``factor`` in the surveys: did satisfaction move with the measure?"""
    if not branches:
        raise ValueError("name at least one branch")
    first, last = start - timedelta(days=days), start + timedelta(days=days - 1)
    reader = _Reader(EventStore(data_dir), first, last)
    frame = reader.query(
        "surveys",
        'SELECT branch, CAST("at" AS DATE) AS day, perception FROM {source} '
        "WHERE operator = 'us' "
        'AND factor = ? AND perception IS NOT NULL AND "at" >= ? AND "at" < ?',
        [factor, first, last + timedelta(days=1)],
    )
    reader.connection.close()
    if frame.empty:
        return satisfaction_difference([], [], [], [])
    treated = frame["branch"].isin(set(branches))
    before = pd.to_datetime(frame["day"]) < pd.Timestamp(start)
    scores = frame["perception"].astype(float)
    return satisfaction_difference(
        scores[treated & before].tolist(),
        scores[treated & ~before].tolist(),
        scores[~treated & before].tolist(),
        scores[~treated & ~before].tolist(),
    )


def _branch_customers(reader: _Reader, on: date) -> dict[str, int]:
    """Customers in service per branch in the latest snapshot on or before ``on`` (or the
    first one after it, when none is older)."""
    days = reader.store.days("customers")
    if not days:
        return {}
    older = [d for d in days if d <= on]
    day = older[-1] if older else days[0]
    files = [str(f) for f in reader.store.files("customers", day)]
    frame = reader.connection.execute(
        "SELECT branch, count(*) AS n FROM read_parquet(?) WHERE status <> 'closed' GROUP BY ALL",
        [files],
    ).df()
    return {str(b): int(n) for b, n in zip(frame["branch"], frame["n"], strict=True)}
