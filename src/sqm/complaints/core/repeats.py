"""Repeat complaints: the same customer, the same category, within 30 days.

A repeat means the first answer did not hold, so the Django layer links it to the earlier
work orders and gives it a named owner and a deadline. The window is measured in elapsed time
(30 x 24 h), not local calendar dates, so the same pair of complaints is a repeat or not
whatever zone the timestamps are written in.

Boundaries: a prior complaint created exactly 30 days before counts (inclusive); one created
30 days and a microsecond before does not. A prior complaint with the very same timestamp
counts too (bulk imports give many rows one time), but one created *after* does not: it is
the later complaint that is the repeat.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

REPEAT_WINDOW_DAYS = 30
REPEAT_WINDOW = timedelta(days=REPEAT_WINDOW_DAYS)


@dataclass(frozen=True, slots=True)
class PriorComplaint:
    id: str
    customer_id: str
    category: str
    created_at: datetime


def repeat_key_window(created_at: datetime) -> tuple[datetime, datetime]:
    """Inclusive bounds for the database query: ``created_at__gte=lo, created_at__lte=hi``."""
    return created_at - REPEAT_WINDOW, created_at


def find_repeats(
    customer_id: str,
    category: str,
    created_at: datetime,
    prior: Iterable[PriorComplaint],
) -> list[str]:
    """Ids of the earlier complaints this one repeats, newest first (ties by id, descending).

    The caller leaves the new complaint itself out of ``prior``.
    """
    lo, hi = repeat_key_window(created_at)
    hits = [
        p
        for p in prior
        if p.customer_id == customer_id and p.category == category and lo <= p.created_at <= hi
    ]
    hits.sort(key=lambda p: (p.created_at, p.id), reverse=True)
    return [p.id for p in hits]
