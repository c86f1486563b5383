"""An independent computation of the catalog's definitions in plain Python: loops over rows.

No Ibis, no SQL, no pandas. Window columns are computed from their written definitions over
*all* rows (the engine reads a widened time range instead; the two must agree), filters are
re-implemented from their descriptions, and aggregates are plain loops. The catalog only
tells which filters and columns an indicator combines.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import Any

from sqm.indicators.core.spec import (
    Catalog,
    CountIndicator,
    DifferenceIndicator,
    Indicator,
    MaxIndicator,
    MeanIndicator,
    Measure,
    PercentileIndicator,
    PerCustomersIndicator,
    RatioIndicator,
    Values,
)
from sqm.lib.periods import Period
from sqm.org.core.factors import FACTOR_CODES

Row = dict[str, Any]
Figures = tuple[float | None, float | None, float | None]  # value, numerator, denominator
Predicate = Callable[[Row], bool]

TIME_COLUMN = {
    "calls": "arrived_at",
    "hall_visits": "arrived_at",
    "complaints": "created_at",
    "customers": "snapshot_at",
    "surveys": "at",
    "reminders": "due_at",
    "recharges": "at",
    "echannel": "at",
    "inspections": "at",
    "sms_reports": "at",
}
DIMENSION_COLUMN = {
    "calls": {"branch": "branch", "tier": "tier", "agent": "agent_id", "factor": "topic"},
    "hall_visits": {"branch": "branch", "hall": "hall_id", "tier": "tier", "agent": "staff_id"},
    "complaints": {"branch": "branch", "tier": "tier", "channel": "channel", "factor": "category"},
    "customers": {"branch": "branch", "tier": "tier"},
    "surveys": {"branch": "branch", "tier": "tier", "channel": "channel", "factor": "factor"},
    "reminders": {"branch": "branch"},
    "recharges": {"branch": "branch", "channel": "channel"},
    "echannel": {"branch": "branch", "channel": "channel"},
    "inspections": {"branch": "branch", "hall": "unit", "agent": "unit"},
    "sms_reports": {"branch": "branch"},
}
VIP = {"diamond", "gold", "silver"}


def seconds(later: datetime | None, earlier: datetime | None) -> float | None:
    if later is None or earlier is None:
        return None
    return (later - earlier) / timedelta(seconds=1)


def by_deadline(later: datetime | None, earlier: datetime | None, span: timedelta) -> bool:
    return later is not None and earlier is not None and later <= earlier + span


def hour_of(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


# -- derived and window columns -------------------------------------------------------------
def prepare_calls(rows: list[Row]) -> list[Row]:
    rows = [dict(r) for r in rows if r["excluded"] is not True]
    by_customer: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        r["next_arrival_at"] = r["next_answered_at"] = None
        if r["customer_id"] is not None:
            by_customer[r["customer_id"]].append(r)
    for history in by_customer.values():
        history.sort(key=lambda r: (r["arrived_at"], r["call_id"]))
        for i, r in enumerate(history):
            later = history[i + 1 :]
            r["next_arrival_at"] = later[0]["arrived_at"] if later else None
            answers = [c["answered_at"] for c in later if c["answered_at"] is not None]
            r["next_answered_at"] = min(answers) if answers else None
    for r in rows:
        r["wait_s"] = seconds(r["answered_at"], r["queued_at"])
        r["handle_s"] = seconds(r["ended_at"], r["answered_at"])
        r["handle_h"] = None if r["handle_s"] is None else r["handle_s"] / 3600
        r["queue_s"] = seconds(r["answered_at"] or r["abandoned_at"], r["queued_at"])
        both = r["agent_id"] is not None and r["answered_at"] is not None
        r["agent_hour"] = (r["agent_id"], hour_of(r["answered_at"])) if both else None
        r["repeat_within_48h"] = r["customer_id"] is not None and by_deadline(
            r["next_arrival_at"], r["arrived_at"], timedelta(hours=48)
        )
    return rows


def prepare_hall_visits(rows: list[Row]) -> list[Row]:
    rows = [dict(r) for r in rows]
    for r in rows:
        r["left_queue_at"] = r["called_at"] or r["finished_at"] or r["arrived_at"]
    by_hall: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_hall[r["hall_id"]].append(r)
    for r in rows:
        t = r["arrived_at"]
        r["queue_len_after_arrival"] = sum(
            1 for w in by_hall[r["hall_id"]] if w["arrived_at"] <= t < w["left_queue_at"]
        )
        r["wait_min"] = None if r["called_at"] is None else seconds(r["called_at"], t) / 60  # type: ignore[operator]
        service = seconds(r["finished_at"], r["served_at"])
        r["service_min"] = None if service is None else service / 60
        r["service_h"] = None if service is None else service / 3600
        has_counter = r["counter"] is not None and r["served_at"] is not None
        r["counter_hour"] = (
            (r["hall_id"], r["counter"], hour_of(r["served_at"])) if has_counter else None
        )
    return rows


def prepare_complaints(rows: list[Row]) -> list[Row]:
    rows = [dict(r) for r in rows]
    by_problem: dict[tuple[str, str], list[Row]] = defaultdict(list)
    for r in rows:
        r["previous_same_category_at"] = None
        if r["customer_id"] is not None:
            by_problem[(r["customer_id"], r["category"])].append(r)
    for history in by_problem.values():
        history.sort(key=lambda r: (r["created_at"], r["complaint_id"]))
        for earlier, later in pairwise(history):
            later["previous_same_category_at"] = earlier["created_at"]
    for r in rows:
        hours = seconds(r["first_reply_at"], r["created_at"])
        r["first_reply_h"] = None if hours is None else hours / 3600
        r["is_repeat_30d"] = r["customer_id"] is not None and by_deadline(
            r["created_at"], r["previous_same_category_at"], timedelta(days=30)
        )
    return rows


PREPARE: dict[str, Callable[[list[Row]], list[Row]]] = {
    "calls": prepare_calls,
    "hall_visits": prepare_hall_visits,
    "complaints": prepare_complaints,
}


# -- filters ----------------------------------------------------------------------------------
def _missed(r: Row) -> bool:
    return (
        r["queued_at"] is not None
        and r["answered_at"] is None
        and r["abandoned_at"] is not None
        and r["customer_id"] is not None
    )


def _satisfied(column: str) -> Predicate:
    return lambda r: r[column] is not None and r[column] >= 4


FILTERS: dict[str, dict[str, Predicate]] = {
    "calls": {
        "queued": lambda r: r["queued_at"] is not None,
        "answered": lambda r: r["answered_at"] is not None,
        "abandoned": lambda r: (
            r["queued_at"] is not None
            and r["answered_at"] is None
            and r["abandoned_at"] is not None
        ),
        "answered_within_15s": lambda r: by_deadline(
            r["answered_at"], r["queued_at"], timedelta(seconds=15)
        ),
        "answered_within_20s": lambda r: by_deadline(
            r["answered_at"], r["queued_at"], timedelta(seconds=20)
        ),
        "wanted_agent": lambda r: r["wanted_agent"] is True,
        "ivr_self_served": lambda r: r["ivr_self_served"] is True,
        "sms_answer": lambda r: r["sms_answer"] is True,
        "survey_offered": lambda r: r["survey_offered"] is True,
        "surveyed": lambda r: r["survey_score"] is not None,
        "satisfied": _satisfied("survey_score"),
        "known_customer": lambda r: r["customer_id"] is not None,
        "no_repeat_within_48h": lambda r: not r["repeat_within_48h"],
        "missed": _missed,
        "missed_returned": lambda r: (
            _missed(r)
            and by_deadline(r["next_answered_at"], r["abandoned_at"], timedelta(hours=24))
        ),
    },
    "hall_visits": {
        "called": lambda r: r["called_at"] is not None,
        "called_within_10min": lambda r: by_deadline(
            r["called_at"], r["arrived_at"], timedelta(minutes=10)
        ),
        "walked_away": lambda r: r["left_unserved"] is True,
        "surveyed": lambda r: r["survey_score"] is not None,
        "satisfied": _satisfied("survey_score"),
    },
    "complaints": {
        "known_customer": lambda r: r["customer_id"] is not None,
        "escalated": lambda r: r["level"] == "escalated",
        "appeal": lambda r: r["level"] == "appeal",
        "replied_within_48h": lambda r: by_deadline(
            r["first_reply_at"], r["created_at"], timedelta(hours=48)
        ),
        "has_deadline": lambda r: r["deadline_at"] is not None,
        "resolved_by_deadline": lambda r: (
            r["deadline_at"] is not None
            and r["resolved_at"] is not None
            and r["resolved_at"] <= r["deadline_at"]
        ),
        "resolved": lambda r: r["resolved"] is True,
        "rated": lambda r: r["satisfaction"] is not None,
        "satisfied": _satisfied("satisfaction"),
        "overcharged": lambda r: (
            r["category"] == "bills" and r["overcharge"] is not None and r["overcharge"] > 0
        ),
        "double_refunded": lambda r: (
            r["overcharge"] is not None
            and r["refund"] is not None
            and r["refund"] >= 2 * r["overcharge"]
        ),
        "repeat_30d": lambda r: r["is_repeat_30d"],
        "closed": lambda r: r["closed_at"] is not None,
        "confirmed": lambda r: r["confirmed"] is True,
    },
    "customers": {
        "active": lambda r: r["status"] == "active",
        "vip": lambda r: r["tier"] in VIP,
        "manager_contacted": lambda r: r["manager_contacted"] is True,
        "retained": lambda r: r["churned_in_quarter"] is not True,
    },
    "surveys": {
        "ours": lambda r: r["operator"] == "us",
        "competitors": lambda r: r["operator"] != "us",
        **{f"factor_{code}": (lambda r, code=code: r["factor"] == code) for code in FACTOR_CODES},
    },
    "reminders": {
        "sent": lambda r: r["sent_at"] is not None,
        "sent_within_1h": lambda r: by_deadline(r["sent_at"], r["due_at"], timedelta(hours=1)),
        "accuracy_known": lambda r: r["sent_at"] is not None and r["accurate"] is not None,
        "accurate": lambda r: r["accurate"] is True,
        "delivered": lambda r: r["delivered_at"] is not None,
        "pre_suspension": lambda r: r["kind"] == "pre_suspension",
        "data_usage": lambda r: r["kind"] == "data_usage",
        "delivered_before_suspension": lambda r: (
            r["delivered_at"] is not None
            and (r["suspended_at"] is None or r["delivered_at"] <= r["suspended_at"])
        ),
    },
    "recharges": {
        "succeeded": lambda r: r["success"] is True,
        "was_suspended": lambda r: r["was_suspended"] is True,
        "reconnected_within_30min": lambda r: by_deadline(
            r["reconnected_at"], r["at"], timedelta(minutes=30)
        ),
        "via_echannel": lambda r: r["channel"] in ("web", "app", "sms"),
    },
    "echannel": {
        "probe": lambda r: r["operation"] == "probe",
        "transaction": lambda r: r["operation"] != "probe",
        "succeeded": lambda r: r["success"] is True,
    },
    "inspections": {
        "mystery_shopper": lambda r: r["kind"] == "mystery_shopper",
        "qa_monitoring": lambda r: r["kind"] == "qa_monitoring",
    },
    "sms_reports": {"customer_report": lambda r: r["origin"] == "customer_report"},
}


# -- aggregates --------------------------------------------------------------------------------
def percentile_cont(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = q * (len(ordered) - 1)
    low = math.floor(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def selected(rows: Iterable[Row], source: str, filters: Iterable[str]) -> list[Row]:
    tests = [FILTERS[source][name] for name in filters]
    return [r for r in rows if all(test(r) for test in tests)]


def column_values(rows: list[Row], column: str) -> list[Any]:
    return [r[column] for r in rows if r[column] is not None]


def measure(rows: list[Row], source: str, m: Measure) -> float | None:
    chosen = selected(rows, source, m.filters)
    if m.agg == "count":
        return float(len(chosen) if m.column is None else len(column_values(chosen, m.column)))
    assert m.column is not None
    values = column_values(chosen, m.column)
    if m.agg == "sum":
        return float(sum(values))
    if m.agg == "count_distinct":
        return float(len(set(values)))
    return sum(values) / len(values) if values else None  # mean


def mean_of(rows: list[Row], source: str, v: Values) -> tuple[float, float]:
    values = column_values(selected(rows, source, v.filters), v.column)
    return float(sum(values)), float(len(values))


def divide(numerator: float | None, denominator: float | None, scale: float = 1.0) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator * scale / denominator


# -- indicators -------------------------------------------------------------------------------
def dimension_value(source: str, row: Row, dimension: str) -> str | None:
    moment: datetime = row[TIME_COLUMN[source]]
    day: date = moment.date()
    if dimension == "day":
        return day.isoformat()
    if dimension == "week":
        return (day - timedelta(days=day.weekday())).isoformat()
    if dimension == "month":
        return moment.strftime("%Y-%m")
    value = row[DIMENSION_COLUMN[source][dimension]]
    return None if value is None else str(value)


def visible(rows: list[Row], scope: frozenset[str] | None) -> list[Row]:
    return rows if scope is None else [r for r in rows if r.get("branch") in scope]


def snapshot(rows: list[Row], period: Period) -> list[Row]:
    earlier = [r for r in rows if r["snapshot_at"] < period.end]
    if not earlier:
        return []
    latest = max(r["snapshot_at"] for r in earlier)
    return [r for r in earlier if r["snapshot_at"] == latest]


def figures(
    indicator: Indicator,
    rows: list[Row],
    customers: dict[tuple[Any, ...], float],
    key: tuple[Any, ...],
) -> Figures:
    source = indicator.source
    match indicator:
        case RatioIndicator():
            num = measure(rows, source, indicator.numerator)
            den = measure(rows, source, indicator.denominator)
            return divide(num, den, indicator.scale), num, den
        case MeanIndicator():
            total, count = mean_of(rows, source, indicator.values)
            return divide(total, count), total, count
        case PercentileIndicator():
            values = column_values(
                selected(rows, source, indicator.values.filters), indicator.values.column
            )
            return (
                percentile_cont([float(v) for v in values], indicator.q),
                None,
                float(len(values)),
            )
        case MaxIndicator():
            values = column_values(
                selected(rows, source, indicator.values.filters), indicator.values.column
            )
            return (float(max(values)) if values else None), None, float(len(values))
        case CountIndicator():
            num = measure(rows, source, indicator.measure)
            return num, num, None
        case PerCustomersIndicator():
            num = measure(rows, source, indicator.numerator)
            den = customers.get(key)
            return divide(num, den, indicator.per), num, den
        case DifferenceIndicator():
            a = divide(*mean_of(rows, source, indicator.minuend))
            b = divide(*mean_of(rows, source, indicator.subtrahend))
            return (None if a is None or b is None else a - b), None, None


def expected(
    catalog: Catalog,
    events: dict[str, list[Row]],
    period: Period,
    by: list[str],
    scope: frozenset[str] | None = None,
) -> dict[tuple[Any, ...], Figures]:
    """(indicator, *dimension values) -> (value, numerator, denominator)."""
    prepared = {
        source: PREPARE.get(source, lambda rows: [dict(r) for r in rows])(visible(rows, scope))
        for source, rows in events.items()
    }
    in_period = {
        source: snapshot(rows, period)
        if source == "customers"
        else [r for r in rows if period.start <= r[TIME_COLUMN[source]] < period.end]
        for source, rows in prepared.items()
    }
    shared = [d for d in by if d not in ("day", "week", "month")]
    active: dict[tuple[Any, ...], float] = defaultdict(float)
    customer_rows = in_period["customers"] if set(shared) <= {"branch", "tier"} else []
    for r in customer_rows:
        key = tuple(dimension_value("customers", r, d) for d in shared)
        active[key] += 1 if r["status"] == "active" else 0
    result: dict[tuple[Any, ...], Figures] = {}
    for indicator in catalog.indicators:
        if any(d not in indicator.dimensions for d in by):
            continue
        groups: dict[tuple[Any, ...], list[Row]] = defaultdict(list)
        for r in in_period[indicator.source]:
            groups[tuple(dimension_value(indicator.source, r, d) for d in by)].append(r)
        for key, rows in groups.items():
            customer_key = tuple(v for d, v in zip(by, key, strict=True) if d in shared)
            result[(indicator.id, *key)] = figures(indicator, rows, active, customer_key)
    return result
