"""Calls on two days and spam cases, for the supervisor's and the reviewer's home tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.utils import timezone

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore


def _call(n: int, branch: str, arrived: datetime, answered_after: float | None) -> dict[str, Any]:
    queued = arrived + timedelta(seconds=30)
    answered = queued + timedelta(seconds=answered_after) if answered_after is not None else None
    return {
        "call_id": f"{branch}-{arrived:%m%d}-{n}",
        "customer_id": f"C{n}",
        "tier": "diamond",
        "branch": branch,
        "arrived_at": arrived,
        "wanted_agent": True,
        "queued_at": queued,
        "answered_at": answered,
        "abandoned_at": None if answered else queued + timedelta(seconds=40),
        "ended_at": (answered or queued) + timedelta(minutes=3),
        "excluded": False,
    }


def write_calls(data_dir: Path) -> None:
    """Twenty diamond calls a day from 9:00 in NJ and WX. On 1 Oct every NJ call is answered
    within 5 s; on 2 Oct half of NJ's are abandoned (service level and abandonment 50 %). WX
    answers everything on both days: a leak of WX into NJ's figures would change them."""
    rows = []
    for day, nanjing_abandons in (("2026-10-01", False), ("2026-10-02", True)):
        start = datetime.fromisoformat(day) + timedelta(hours=9)
        for n in range(20):
            at = start + timedelta(minutes=n)
            lost = nanjing_abandons and n % 2 == 1
            rows.append(_call(n, "NJ", at, None if lost else 5.0))
            rows.append(_call(n, "WX", at, 5.0))
    spec = SOURCES["calls"]
    columns = {f.name: [r.get(f.name) for r in rows] for f in spec.schema}
    EventStore(data_dir).append(spec, pa.table(columns, schema=spec.schema))


def spam_case(sender: str, *, days_ago: float, high_impact: bool = False) -> Any:
    from sqm.org.models import Branch
    from sqm.spam.models import ModelVersion, SenderCase

    version, _ = ModelVersion.objects.get_or_create(
        version="home-test",
        defaults={"path": "-", "trained_at": timezone.now(), "threshold": 0.5},
    )
    return SenderCase.objects.create(
        sender=sender,
        branch=Branch.objects.get(code="NJ"),
        risk=0.9,
        text_probability=0.9,
        high_impact=high_impact,
        impact_reason="group" if high_impact else "",
        four_eyes=True,
        model_version=version,
        created_at=timezone.now() - timedelta(days=days_ago),
    )
