"""The hotline and hall supervisor's day: today's and yesterday's service level, abandonment
and hall waits against their targets, the worst hours of the day and the worst halls.

The day figures come from the indicators app's own engine over the event store (the catalog's
one definition of each measure, with its targets); only the hour-by-hour service level — a
cut the catalog has no dimension for — is counted here, with the catalog's definition of
``hotline_service_level_15s`` (answered within 15 s of entering the queue ÷ entered the queue).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sqm.events.core.store import EventStore
from sqm.indicators import services as indicators
from sqm.indicators.core.engine import run
from sqm.indicators.core.spec import Catalog
from sqm.lib.language import localized_name
from sqm.org.models import CustomerTier, Hall
from sqm.org.scoping import scope_of
from sqm.web.homes.items import Item, Section

if TYPE_CHECKING:
    from sqm.lib.people import Requester


SERVICE_LEVEL = "hotline_service_level_15s"
ABANDON = "hotline_abandon_rate"
HALL_WAIT = "hall_mean_wait_minutes"
HALL_WITHIN_10 = "hall_served_within_10min_rate"
DAY_FIGURES = (SERVICE_LEVEL, ABANDON, HALL_WAIT, HALL_WITHIN_10)
WORST = 5
MIN_CALLS_PER_HOUR = 10  # an hour with a handful of calls says nothing about the queue


@dataclass(frozen=True, slots=True)
class Figure:
    indicator: str
    label: str
    today: float | None
    yesterday: float | None
    target: float | None
    missed: bool


def latest_day(store: EventStore, source: str, today: date) -> date | None:
    """The newest day of ``source`` up to ``today`` (the demo's days lie in the past)."""
    days = [d for d in store.days(source) if d <= today]
    return days[-1] if days else None


def _catalog(ids: Collection[str]) -> Catalog:
    return Catalog(indicators=tuple(indicators.indicator(i) for i in ids))


def day_figures(store: EventStore, day: date, branches: frozenset[str] | None) -> list[Figure]:
    """The day and the day before, per figure (the service level per VIP tier, since its
    target applies per tier), each against the catalog's target."""
    period = f"{day - timedelta(days=1):%Y-%m-%d}..{day:%Y-%m-%d}"
    plain = run(store, _catalog((ABANDON, HALL_WAIT, HALL_WITHIN_10)), period, ("day",), branches)
    tiers = run(store, _catalog((SERVICE_LEVEL,)), period, ("day", "tier"), branches)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for row in [*plain.table.to_pylist(), *tiers.table.to_pylist()]:
        key = (row["indicator"], row.get("tier") or "")
        rows.setdefault(key, {})[str(row["day"])[:10]] = row
    today, yesterday = f"{day:%Y-%m-%d}", f"{day - timedelta(days=1):%Y-%m-%d}"
    tier_names = {t.code: localized_name(t) for t in CustomerTier.objects.all()}
    found = []
    for (indicator_id, tier), by_day in sorted(rows.items(), key=lambda kv: _order(kv[0])):
        now, before = by_day.get(today, {}), by_day.get(yesterday, {})
        target = now.get("target", before.get("target"))
        if tier and target is None:
            continue  # the tiers the target does not cover (ordinary customers)
        name = localized_name(indicators.indicator(indicator_id))
        found.append(
            Figure(
                indicator=indicator_id,
                label=f"{name} · {tier_names.get(tier, tier)}" if tier else name,
                today=now.get("value"),
                yesterday=before.get("value"),
                target=target,
                missed=now.get("status") == "missed",
            )
        )
    return found


def _order(key: tuple[str, str]) -> tuple[int, str]:
    return (DAY_FIGURES.index(key[0]) if key[0] in DAY_FIGURES else 99, key[1])


def worst_hours(
    store: EventStore, day: date, branches: frozenset[str] | None
) -> list[tuple[int, float, int]]:
    """(hour, service level %, calls queued) of the day's worst hours, worst first."""
    files = [str(f) for f in store.files("calls", day)]
    if not files:
        return []
    where = "queued_at IS NOT NULL"
    params: list[Any] = [files]
    if branches is not None:
        where += " AND list_contains(?, branch)"
        params.append(sorted(branches))
    sql = f"""
        SELECT hour(arrived_at) AS h,
               100.0 * count(*) FILTER (
                   WHERE answered_at IS NOT NULL
                     AND answered_at <= queued_at + INTERVAL 15 SECOND) / count(*) AS level,
               count(*) AS queued
        FROM read_parquet(?) WHERE {where}
        GROUP BY h HAVING count(*) >= {MIN_CALLS_PER_HOUR}
        ORDER BY level, h LIMIT {WORST}
    """
    with duckdb.connect() as connection:
        rows = connection.execute(sql, params).fetchall()
    return [(int(h), float(level), int(queued)) for h, level, queued in rows]


def worst_halls(
    store: EventStore, day: date, branches: frozenset[str] | None
) -> list[dict[str, Any]]:
    """The day's longest-waiting halls: rows with branch, hall, value (mean wait in
    minutes), target and status, longest first."""
    table = run(store, _catalog((HALL_WAIT,)), f"{day:%Y-%m-%d}", ("branch", "hall"), branches)
    rows = [r for r in table.table.to_pylist() if r["value"] is not None]
    rows.sort(key=lambda r: -r["value"])
    return rows[:WORST]


def _stamp(store: EventStore, day: date) -> tuple[tuple[str, int], ...]:
    """What the day's figures are computed from: the two days' files and their times."""
    files = [
        path
        for source in ("calls", "hall_visits")
        for when in (day - timedelta(days=1), day)
        for path in store.files(source, when)
    ]
    return tuple((str(path), path.stat().st_mtime_ns) for path in files)


@lru_cache(maxsize=64)
def _computed(
    data_dir: str,
    day: date,
    branches: frozenset[str] | None,
    language: str,
    stamp: tuple[tuple[str, int], ...],
) -> tuple[list[Figure], list[tuple[int, float, int]], list[dict[str, Any]]]:
    # Every supervisor's page load would rerun the engine over the same files: the figures
    # are kept until a file of the two days changes (``stamp``), per scope and language.
    store = EventStore(data_dir)
    return (
        day_figures(store, day, branches),
        worst_hours(store, day, branches),
        worst_halls(store, day, branches),
    )


def supervisor_sections(user: Requester, data_dir: Path, today: date) -> list[Section]:
    store = EventStore(data_dir)
    branches = scope_of(user).branches
    day = latest_day(store, "calls", today)
    if day is None:
        return [
            Section(
                "day-figures",
                _("今日服务水平"),
                (),
                _("还没有热线和营业厅的数据;导入后这里会显示今天和昨天的服务水平。"),
                more=reverse("indicators:overview"),
            )
        ]
    day_rows, hour_rows, hall_rows = _computed(
        str(data_dir), day, branches, get_language() or "", _stamp(store, day)
    )
    figures = [
        Item(
            label=f.label,
            url=reverse("indicators:indicator", args=[f.indicator]),
            unit=indicators.indicator(f.indicator).unit,
            value=f.today,
            previous=f.yesterday,
            target=f.target,
            reference="target" if f.target is not None else "",
            tone="danger" if f.missed else "",
        )
        for f in day_rows
    ]
    service_level = reverse("indicators:indicator", args=[SERVICE_LEVEL])
    hours = [
        Item(
            label=_("%(from)02d:00–%(to)02d:00") % {"from": h, "to": h + 1},
            url=service_level,
            unit="percent",
            value=level,
            detail=_("%(n)d 个来电进入人工队列") % {"n": queued},
            tone="warn",
        )
        for h, level, queued in hour_rows
    ]
    names = {h.code: localized_name(h) for h in Hall.objects.all()}
    hall_wait = reverse("indicators:indicator", args=[HALL_WAIT])
    halls = [
        Item(
            label=names.get(row["hall"], row["hall"]),
            url=f"{hall_wait}?branch={row['branch']}",
            unit=indicators.indicator(HALL_WAIT).unit,
            value=row["value"],
            target=row["target"],
            reference="target" if row["target"] is not None else "",
            tone="danger" if row["status"] == "missed" else "",
        )
        for row in hall_rows
    ]
    return [
        Section(
            "day-figures",
            _("%(day)s 与前一天的服务水平") % {"day": f"{day:%Y-%m-%d}"},
            tuple(figures),
            _("这一天没有数据"),
            more=reverse("indicators:overview"),
            previous_label=_("前一天"),
        ),
        Section("worst-hours", _("服务水平最差的时段"), tuple(hours), _("这一天没有排队的来电")),
        Section("worst-halls", _("等候最久的营业厅"), tuple(halls), _("这一天没有营业厅数据")),
    ]
