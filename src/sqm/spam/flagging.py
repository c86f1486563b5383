"""Score the ``sms_reports`` events by sender and open a case for every flagged sender.

Event-store timestamps are naive wall-clock times of the province; they become aware datetimes
(settings.TIME_ZONE) when they reach the database. The window is read in one scan with a
filter on ``at``; a province-month of reports and gateway samples is a few hundred thousand
rows, which this holds in memory comfortably.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
from django.utils import timezone

from sqm.events.core.store import EventStore
from sqm.org.core.masking import mask_phone
from sqm.spam.core.model import SpamModel
from sqm.spam.core.sender import SenderMessage, SenderRisk, group_by_sender, score_groups
from sqm.spam.models import ModelVersion
from sqm.spam.services import FlagResult, open_cases

EVIDENCE_TOP = 5  # the sender's most spam-like messages …
EVIDENCE_LATEST = 5  # … and its latest ones
EVIDENCE_TEXT_CHARS = 500


@dataclass(frozen=True, slots=True)
class FlagRun:
    rows: int
    senders: int
    result: FlagResult


def _naive(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_naive(value):
        return value
    return timezone.make_naive(value)


def read_reports(store: EventStore, since: datetime | None, until: datetime | None) -> pa.Table:
    columns = ["sender", "reporter", "at", "branch", "origin", "text"]
    if not store.has_data("sms_reports"):
        return store.read("sms_reports", columns)
    condition = pc.is_valid(ds.field("sender"))
    start, end = _naive(since), _naive(until)
    if start is not None:
        condition = condition & (ds.field("at") >= pa.scalar(start, pa.timestamp("ms")))
    if end is not None:
        condition = condition & (ds.field("at") < pa.scalar(end, pa.timestamp("ms")))
    return store.dataset("sms_reports").to_table(columns=columns, filter=condition)


def messages_of(table: pa.Table, probabilities: Sequence[float]) -> list[SenderMessage]:
    column = {name: table[name].to_pylist() for name in table.column_names}
    return [
        SenderMessage(
            sender=column["sender"][i],
            at=column["at"][i],
            text=column["text"][i] or "",
            probability=float(probabilities[i]),
            origin=column["origin"][i] or "gateway_sample",
            reporter=column["reporter"][i],
            branch=column["branch"][i],
        )
        for i in range(table.num_rows)
    ]


def evidence_of(risk: SenderRisk, own: list[SenderMessage], model: SpamModel) -> dict[str, Any]:
    """What a reviewer needs to decide: sample messages, reports, behaviour and the risk terms.
    Reporters' numbers are stored masked (R12.2): the reviewer judges the sender, not them."""
    top = sorted(own, key=lambda m: (-m.probability, m.at))[:EVIDENCE_TOP]
    latest = sorted(own, key=lambda m: m.at, reverse=True)[:EVIDENCE_LATEST]
    sample = list(dict.fromkeys([*top, *latest]))
    sample.sort(key=lambda m: m.at, reverse=True)
    return {
        "messages": [
            {
                "at": m.at.isoformat(sep=" ", timespec="seconds"),
                "text": m.text[:EVIDENCE_TEXT_CHARS],
                "probability": round(m.probability, 4),
                "origin": m.origin,
                "reporter": mask_phone(m.reporter),
            }
            for m in sample
        ],
        "behaviour": risk.behaviour.as_dict(),
        "terms": {k: round(v, 4) for k, v in risk.terms.items()},
        "model_threshold": round(model.threshold, 4),
        "first_at": min(m.at for m in own).isoformat(sep=" ", timespec="seconds"),
        "last_at": max(m.at for m in own).isoformat(sep=" ", timespec="seconds"),
    }


def customer_tiers(store: EventStore, numbers: Sequence[str]) -> dict[str, str]:
    """The tier of each number that belongs to a customer (latest snapshot wins)."""
    if not numbers or not store.has_data("customers"):
        return {}
    table = store.dataset("customers").to_table(
        columns=["phone", "tier", "snapshot_at"],
        filter=ds.field("phone").isin(list(numbers)),
    )
    tiers: dict[str, tuple[datetime, str]] = {}
    for phone, tier, at in zip(
        table["phone"].to_pylist(),
        table["tier"].to_pylist(),
        table["snapshot_at"].to_pylist(),
        strict=True,
    ):
        if phone and tier and (phone not in tiers or at > tiers[phone][0]):
            tiers[phone] = (at, tier)
    return {phone: tier for phone, (_, tier) in tiers.items()}


def flag(
    store: EventStore,
    version: ModelVersion,
    model: SpamModel,
    since: datetime | None = None,
    until: datetime | None = None,
) -> FlagRun:
    table = read_reports(store, since, until)
    probabilities = model.probabilities([t or "" for t in table["text"].to_pylist()])
    by_sender = group_by_sender(messages_of(table, probabilities.tolist()))
    risks = score_groups(by_sender)
    flagged = [r for r in risks if r.flagged]
    evidence = {r.sender: evidence_of(r, by_sender[r.sender], model) for r in flagged}
    last_seen = {
        r.sender: timezone.make_aware(max(m.at for m in by_sender[r.sender])) for r in flagged
    }
    result = open_cases(
        risks,
        version,
        evidence,
        tiers=customer_tiers(store, [r.sender for r in flagged]),
        last_seen=last_seen,
        window=(since, until),
    )
    return FlagRun(rows=table.num_rows, senders=len(risks), result=result)
