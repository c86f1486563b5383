"""What a case needs from the event store: the complaints behind a signal's evidence ids, a
search over them, and the customer base of the affected branches (impact shares).

DuckDB over the store's Parquet files, as the other apps read it; no Django. Times in the store
are local and naive, so a day is the calendar day of ``created_at``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from sqm.events.core.store import EventStore

COMPLAINTS = "complaints"
CUSTOMERS = "customers"


@dataclass(frozen=True, slots=True)
class ComplaintRow:
    complaint_id: str
    customer_id: str
    branch: str
    category: str
    subcategory: str
    created_at: datetime | None


def _rows(store: EventStore, source: str, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    if not store.has_data(source):
        return []
    with duckdb.connect() as connection:
        relation = f"read_parquet('{store.parquet_glob(source)}', union_by_name = true)"
        return connection.execute(sql.format(source=relation), params).fetchall()


def complaints_by_id(store: EventStore, ids: Iterable[str]) -> dict[str, ComplaintRow]:
    """The complaints source's rows for ``ids`` (ids it does not hold are left out)."""
    wanted = sorted({str(i) for i in ids})
    if not wanted:
        return {}
    rows = _rows(
        store,
        COMPLAINTS,
        """SELECT complaint_id, customer_id, branch, category, subcategory, created_at
        FROM {source} WHERE list_contains(?, complaint_id)""",
        [wanted],
    )
    return {
        r[0]: ComplaintRow(r[0], r[1] or "", r[2] or "", r[3] or "", r[4] or "", r[5]) for r in rows
    }


def search_complaints(
    store: EventStore, text: str, branches: frozenset[str] | None, limit: int = 20
) -> list[ComplaintRow]:
    """Complaints of the store whose id or customer starts with ``text``, newest first, in
    ``branches`` (None: every branch)."""
    needle = text.strip()
    if not needle or branches == frozenset():
        return []
    where = "(starts_with(complaint_id, ?) OR customer_id = ?)"
    params: list[Any] = [needle, needle]
    if branches is not None:
        where += " AND list_contains(?, branch)"
        params.append(sorted(branches))
    rows = _rows(
        store,
        COMPLAINTS,
        f"""SELECT complaint_id, customer_id, branch, category, subcategory, created_at
        FROM {{source}} WHERE {where} ORDER BY created_at DESC LIMIT {int(limit)}""",
        params,
    )
    return [ComplaintRow(r[0], r[1] or "", r[2] or "", r[3] or "", r[4] or "", r[5]) for r in rows]


def customer_base(store: EventStore, branches: Iterable[str] | None, on: date) -> int | None:
    """Customers in service of ``branches`` (None: the province) in the last snapshot on or
    before ``on`` (the first one after it when none is older), counted as the effect's rates
    count them (``sources``); None when the store has none."""
    codes = None if branches is None else sorted(set(branches))
    where, params = "", []
    if codes is not None:
        where, params = "AND list_contains(?, branch)", [codes]
    moment = datetime.combine(on + timedelta(days=1), datetime.min.time())
    rows = _rows(
        store,
        CUSTOMERS,
        f"""WITH chosen AS (
            SELECT coalesce(max(snapshot_at) FILTER (WHERE snapshot_at < ?), min(snapshot_at))
                AS at FROM {{source}})
        SELECT count(DISTINCT customer_id) FROM {{source}}, chosen
        WHERE snapshot_at = chosen.at AND status <> 'closed' {where}""",
        [moment, *params],
    )
    if not rows or not rows[0][0]:
        return None
    return int(rows[0][0])


def complaint_ids(
    store: EventStore,
    branch: str,
    category: str,
    subcategory: str | None,
    first: date,
    stop: date,
    limit: int,
) -> list[str]:
    """Ids of ``branch``'s ``category`` complaints (of ``subcategory`` when given) created in
    [first, stop), oldest first, at most ``limit``."""
    where, params = "", []
    if subcategory:
        where, params = "AND subcategory = ?", [subcategory]
    rows = _rows(
        store,
        COMPLAINTS,
        f"""SELECT complaint_id FROM {{source}}
        WHERE branch = ? AND category = ? AND created_at >= ? AND created_at < ? {where}
        ORDER BY created_at, complaint_id LIMIT {int(limit)}""",
        [branch, category, datetime.combine(first, datetime.min.time()),
         datetime.combine(stop, datetime.min.time()), *params],
    )  # fmt: skip
    return [str(r[0]) for r in rows]
