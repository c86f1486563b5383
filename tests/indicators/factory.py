"""Small hand-built event tables for every source, seeded, with the edge cases on purpose.

Rows spill over the period (late December, early February) so that window indicators
(repeats, first-contact resolution, callbacks, hall queues) must look across its edges, and
values sit exactly on the thresholds (15 s, 20 s, 10 min, 48 h, 30 days, 30 min).
Branch SQ has calls but none that queued: every queue ratio there has a zero denominator.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.org.core.factors import FACTOR_CODES

Row = dict[str, Any]
START = datetime(2023, 12, 28)
SPAN_DAYS = 38  # to 2024-02-04
BRANCHES = ("NJ", "WX", "SZ")
TIERS = ("diamond", "gold", "ordinary")
TOPICS = ("hotline", "bills", "mobile_internet", None)
HALLS = {"NJ-H001": "NJ", "NJ-H002": "NJ", "WX-H001": "WX", "SZ-H001": "SZ"}
AGENTS = ("A1", "A2", "A3", "A4", "A5", None)


def _ms(value: datetime) -> datetime:
    """Millisecond precision, like the store."""
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def _moment(rng: random.Random) -> datetime:
    return _ms(START + timedelta(seconds=rng.uniform(0, SPAN_DAYS * 86_400)))


def _pick(rng: random.Random, *choices: Any) -> Any:
    return rng.choice(choices)


def _after(start: datetime | None, seconds: float | None) -> datetime | None:
    if start is None or seconds is None:
        return None
    return _ms(start + timedelta(seconds=seconds))


WAITS = (0.0, 3.5, 14.999, 15.0, 15.001, 19.999, 20.0, 20.001, 45.0, 130.0)


def calls(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    customers = [f"U{i:03d}" for i in range(50)]

    def add(arrived: datetime, customer: str | None, branch: str, **overrides: Any) -> None:
        queued_call = rng.random() < 0.85 and branch != "SQ"
        ivr = _pick(rng, 5.0, 12.5, 40.0, None)
        queued = _after(arrived, ivr or 0.0) if queued_call else None
        outcome = rng.choices(("answered", "abandoned", "neither"), (75, 20, 5))[0]
        wait = rng.choice(WAITS)
        answered = _after(queued, wait) if outcome == "answered" else None
        abandoned = _after(queued, wait) if outcome == "abandoned" else None
        ended = _after(answered, rng.uniform(20, 600)) or abandoned or _after(arrived, 60)
        score = _pick(rng, None, 1, 3, 4, 5)
        row: Row = {
            "call_id": f"C{len(rows):05d}",
            "customer_id": customer,
            "tier": rng.choice(TIERS),
            "branch": branch,
            "arrived_at": arrived,
            "ivr_path": "1-2",
            "ivr_s": ivr,
            "ivr_self_served": _pick(rng, True, False, None) if not queued_call else False,
            "wanted_agent": True if queued_call else _pick(rng, True, False, None),
            "queued_at": queued,
            "answered_at": answered,
            "abandoned_at": abandoned,
            "ended_at": ended,
            "agent_id": rng.choice(AGENTS) if answered else None,
            "topic": rng.choice(TOPICS),
            "sms_answer": _pick(rng, True, False, False, None),
            "survey_offered": score is not None or rng.random() < 0.3,
            "survey_score": score,
            "excluded": rng.random() < 0.04,
        }
        row.update(overrides)
        rows.append(row)

    for _ in range(700):
        customer = rng.choice(customers) if rng.random() < 0.85 else None
        add(_moment(rng), customer, rng.choice(BRANCHES))
    for _ in range(12):
        add(_moment(rng), rng.choice(customers), "SQ")
    # Repeat calls exactly on the 48 h boundary, one millisecond past it, and across the
    # period's end (the next call is in February).
    base = datetime(2024, 1, 10, 9)
    add(base, "U900", "NJ", tier="gold")
    add(base + timedelta(hours=48), "U900", "NJ", tier="gold")
    add(base, "U901", "NJ", tier="gold")
    add(base + timedelta(hours=48, milliseconds=1), "U901", "NJ", tier="gold")
    add(datetime(2024, 1, 31, 22), "U902", "WX")
    add(datetime(2024, 2, 1, 8), "U902", "WX")
    # On the period's edges: the first instant is in January, the last one is not.
    add(datetime(2024, 1, 1), "U903", "SZ")
    add(datetime(2024, 2, 1), "U903", "SZ")
    return rows


def hall_visits(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for hall, branch in HALLS.items():
        for day in range(SPAN_DAYS):
            opening = START + timedelta(days=day, hours=9)
            for _ in range(rng.randint(0, 9)):
                # Arrivals on a 5-minute grid: simultaneous arrivals happen on purpose.
                arrived = opening + timedelta(minutes=5 * rng.randint(0, 24))
                wait = rng.choice((0.0, 240.0, 599.999, 600.0, 600.001, 900.0, 1800.0))
                walked = rng.random() < 0.12
                called = None if walked else _after(arrived, wait)
                served = _after(called, 20.0)
                finished = _after(served, rng.uniform(60, 1200))
                if walked:
                    finished = _after(arrived, wait) if rng.random() < 0.5 else None
                rows.append(
                    {
                        "visit_id": f"V{len(rows):05d}",
                        "hall_id": hall,
                        "branch": branch,
                        "tier": rng.choice(TIERS),
                        "customer_id": f"U{rng.randint(0, 60):03d}",
                        "service_type": _pick(rng, "payment", "business", "inquiry"),
                        "arrived_at": arrived,
                        "called_at": called,
                        "served_at": served,
                        "finished_at": finished,
                        "left_unserved": walked,
                        "counter": rng.randint(1, 4) if served else None,
                        "staff_id": _pick(rng, "S1", "S2", "S3") if served else None,
                        "survey_score": _pick(rng, None, 2, 4, 5),
                    }
                )
    return rows


def complaints(rng: random.Random) -> list[Row]:
    rows: list[Row] = []

    def add(created: datetime, customer: str | None, category: str, **overrides: Any) -> None:
        reply_h = _pick(rng, 2.0, 47.999, 48.0, 48.001, 72.0, None)
        deadline = _after(created, 5 * 86_400) if rng.random() < 0.85 else None
        resolved_at = _after(created, rng.choice((86_400.0, 5 * 86_400.0, 6 * 86_400.0, None)))
        overcharge = _pick(rng, None, 0.0, 10.0, 25.5)
        refund = None if overcharge is None else _pick(rng, 0.0, overcharge, 2 * (overcharge or 0))
        row: Row = {
            "complaint_id": f"K{len(rows):05d}",
            "customer_id": customer,
            "branch": rng.choice(BRANCHES),
            "tier": rng.choice(TIERS),
            "channel": _pick(rng, "hotline", "hall", "web"),
            "category": category,
            "subcategory": None,
            "level": rng.choices(("ordinary", "escalated", "appeal"), (85, 10, 5))[0],
            "severity": "low",
            "department": "quality",
            "created_at": created,
            "first_reply_at": _after(created, None if reply_h is None else reply_h * 3600),
            "deadline_at": deadline,
            "resolved_at": resolved_at,
            "closed_at": _after(resolved_at, 3600) if rng.random() < 0.8 else None,
            "repeat_of": None,
            "resolved": _pick(rng, True, False, None),
            "confirmed": _pick(rng, True, False, None),
            "satisfaction": _pick(rng, None, 2, 4, 5),
            "overcharge": overcharge,
            "refund": refund,
            "description": "",
        }
        row.update(overrides)
        rows.append(row)

    for _ in range(320):
        created = _ms(datetime(2023, 12, 1) + timedelta(seconds=rng.uniform(0, 65 * 86_400)))
        customer = f"U{rng.randint(0, 40):03d}" if rng.random() < 0.9 else None
        add(created, customer, _pick(rng, "bills", "mobile_internet", "hotline"))
    # Exactly 30 days apart is a repeat; 30 days and a millisecond is not.
    add(datetime(2023, 12, 20, 10), "U950", "bills", branch="NJ")
    add(datetime(2024, 1, 19, 10), "U950", "bills", branch="NJ")
    add(datetime(2023, 12, 20, 10), "U951", "bills", branch="NJ")
    add(datetime(2024, 1, 19, 10, 0, 0, 1000), "U951", "bills", branch="NJ")
    return rows


def customers(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    snapshots = (datetime(2023, 12, 31, 23), datetime(2024, 1, 31, 23), datetime(2024, 2, 29, 23))
    people = [(f"U{i:03d}", rng.choice(BRANCHES), rng.choice(TIERS)) for i in range(220)]
    for snapshot in snapshots:
        for customer, branch, tier in people:
            if rng.random() < 0.1:
                continue  # not in every snapshot
            rows.append(
                {
                    "customer_id": customer,
                    "snapshot_at": snapshot,
                    "branch": branch,
                    "tier": tier,
                    "segment": "individual",
                    "billing_cycle": 1,
                    "status": rng.choices(("active", "suspended", "closed"), (85, 10, 5))[0],
                    "joined_at": datetime(2020, 1, 1),
                    "phone": None,
                    "has_manager": tier != "ordinary",
                    "manager_contacted": _pick(rng, True, False, None),
                    "churned_in_quarter": _pick(rng, True, False, False, False, None),
                }
            )
    return rows


def surveys(rng: random.Random) -> list[Row]:
    factors = (*sorted(FACTOR_CODES), None)
    return [
        {
            "response_id": f"R{i:05d}",
            "kind": _pick(rng, "hangup", "hall", "study"),
            "at": _moment(rng),
            "customer_id": None,
            "branch": _pick(rng, *BRANCHES, None),
            "tier": rng.choice(TIERS),
            "channel": _pick(rng, "hotline", "hall", "web"),
            "contact_id": None,
            "operator": rng.choices(("us", "competitor_a", "competitor_b"), (70, 15, 15))[0],
            "factor": rng.choice(factors),
            "expectation": rng.uniform(1, 10),
            "perception": _pick(rng, None, 3.0, 6.5, 8.0, 9.5),
            "overall": _pick(rng, None, 4.0, 7.0, 8.5, 10.0),
        }
        for i in range(600)
    ]


def reminders(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for i in range(300):
        due = _moment(rng)
        sent = _after(due, _pick(rng, 0.0, 600.0, 3600.0, 3600.001, 7200.0, None))
        delivered = _after(sent, _pick(rng, 1.0, 30.0, None))
        kind = _pick(rng, "bill", "pre_suspension", "data_usage", "balance")
        suspended = (
            _after(due, _pick(rng, 0.0, 20.0, 86_400.0, None)) if kind == "pre_suspension" else None
        )
        rows.append(
            {
                "reminder_id": f"M{i:05d}",
                "customer_id": f"U{rng.randint(0, 60):03d}",
                "branch": rng.choice(BRANCHES),
                "kind": kind,
                "due_at": due,
                "sent_at": sent,
                "delivered_at": delivered,
                "accurate": _pick(rng, True, True, False, None),
                "suspended_at": suspended,
            }
        )
    return rows


def recharges(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for i in range(300):
        at = _moment(rng)
        suspended = rng.random() < 0.4
        rows.append(
            {
                "txn_id": f"T{i:05d}",
                "customer_id": f"U{rng.randint(0, 60):03d}",
                "branch": rng.choice(BRANCHES),
                "channel": _pick(rng, "hall", "web", "app", "sms", "manager"),
                "at": at,
                "amount": 50.0,
                "success": _pick(rng, True, True, True, False),
                "was_suspended": suspended,
                "reconnected_at": _after(at, _pick(rng, 60.0, 1800.0, 1800.001, 7200.0, None))
                if suspended
                else None,
            }
        )
    return rows


def echannel(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for i in range(300):
        probe = rng.random() < 0.3
        rows.append(
            {
                "request_id": f"E{i:05d}",
                "channel": _pick(rng, "web", "app", "sms"),
                "operation": "probe" if probe else _pick(rng, "query", "pay", "order"),
                "at": _moment(rng),
                "branch": None if probe else rng.choice(BRANCHES),
                "customer_id": None,
                "success": _pick(rng, True, True, True, False),
                "latency_ms": rng.randint(20, 5000),
            }
        )
    return rows


def inspections(rng: random.Random) -> list[Row]:
    rows: list[Row] = []
    for i in range(120):
        mystery = rng.random() < 0.5
        hall = rng.choice(list(HALLS))
        rows.append(
            {
                "inspection_id": f"I{i:05d}",
                "kind": "mystery_shopper" if mystery else "qa_monitoring",
                "unit": hall if mystery else rng.choice(AGENTS[:-1]),
                "branch": HALLS[hall] if mystery else rng.choice(BRANCHES),
                "at": _moment(rng),
                "items": rng.randint(0, 40),
                "errors": rng.randint(0, 2),
                "score": rng.uniform(60, 100),
                "inspector": "Q1",
            }
        )
    return rows


def sms_reports(rng: random.Random) -> list[Row]:
    return [
        {
            "report_id": f"S{i:05d}",
            "reporter": None,
            "sender": "10690000",
            "at": _moment(rng),
            "branch": _pick(rng, *BRANCHES, None),
            "origin": _pick(rng, "customer_report", "gateway_sample"),
            "text": "spam",
        }
        for i in range(60)
    ]


GENERATORS: dict[str, Callable[[random.Random], list[Row]]] = {
    "calls": calls,
    "hall_visits": hall_visits,
    "complaints": complaints,
    "customers": customers,
    "surveys": surveys,
    "reminders": reminders,
    "recharges": recharges,
    "echannel": echannel,
    "inspections": inspections,
    "sms_reports": sms_reports,
}


def build_events(seed: int = 7) -> dict[str, list[Row]]:
    rng = random.Random(seed)
    return {source: generate(rng) for source, generate in GENERATORS.items()}


def write_store(data_dir: Path, events: dict[str, list[Row]]) -> EventStore:
    store = EventStore(data_dir)
    for source, rows in events.items():
        spec = SOURCES[source]
        store.append(spec, pa.Table.from_pylist(rows, schema=spec.schema))
    return store
