"""Computing indicator figures into the results table, and reading them back within scope.

Everything that reads figures for a person goes through ``visible_results``: the one place
where indicator data is scoped (the engine's ``scope_branches`` does the same for ad-hoc
computations from the event store).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.competitors import competitor_twins, split_twin_id
from sqm.indicators.core.engine import Computation, run
from sqm.indicators.core.spec import DIMENSIONS, Catalog
from sqm.indicators.models import Result, ResultSet
from sqm.lib.periods import Period, as_period
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


# What the dashboards read: the province, each branch, tiers, channels, VIP per branch, and the
# day-by-day trends of the province and of each branch.
DASHBOARD_CUTS: tuple[tuple[str, ...], ...] = (
    (),
    ("branch",),
    ("tier",),
    ("channel",),
    ("branch", "tier"),
    ("day",),
    ("branch", "day"),
)
# Dimensions whose values belong to one branch: without the branch beside them, a row would
# show another branch's halls or agents to a branch manager.
BRANCH_BOUND = ("hall", "agent")
BATCH = 5_000


def cut_label(by: Sequence[str]) -> str:
    return ",".join(by)


def parse_cut(text: str) -> tuple[str, ...]:
    """``'branch,tier'`` → ('branch', 'tier'); ``''`` → () (the province)."""
    by = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [d for d in by if d not in DIMENSIONS]
    if unknown:
        raise ValueError(f"unknown dimensions {unknown}; choose from {', '.join(DIMENSIONS)}")
    if len(set(by)) != len(by):
        raise ValueError(f"a dimension is repeated in {text!r}")
    if any(d in BRANCH_BOUND for d in by) and "branch" not in by:
        # Every hall or agent figure carries its branch, so scoping never has to guess it.
        by = ("branch", *by)
    return by


def measured_catalog() -> Catalog:
    """The packaged catalog plus the competitor twins of its survey indicators."""
    return competitor_twins(load_catalog())


@dataclass(frozen=True, slots=True)
class Computed:
    result_set: ResultSet
    computation: Computation


def compute_cut(
    data_dir: Path, period: Period | str, by: Sequence[str], engine: str = "duckdb"
) -> tuple[Computation, float]:
    started = time.perf_counter()
    computation = run(EventStore(data_dir), measured_catalog(), period, by, backend=engine)
    return computation, time.perf_counter() - started


def compute_and_store(
    data_dir: Path,
    period: Period | str,
    cuts: Iterable[Sequence[str]] = DASHBOARD_CUTS,
    engine: str = "duckdb",
) -> list[Computed]:
    period = as_period(period)
    computed = []
    for by in cuts:
        computation, seconds = compute_cut(data_dir, period, by, engine)
        result_set = store(period, by, engine, computation, seconds)
        computed.append(Computed(result_set, computation))
    return computed


@transaction.atomic
def store(
    period: Period | str,
    by: Sequence[str],
    engine: str,
    computation: Computation,
    seconds: float,
) -> ResultSet:
    """Replace the figures of (period, cut) with these, atomically; the same figures twice
    leave the table as once."""
    result_set, _ = ResultSet.objects.select_for_update().get_or_create(
        period=as_period(period).label,
        cut=cut_label(by),
        defaults={"engine": engine, "computed_at": timezone.now(), "seconds": 0, "rows": 0},
    )
    result_set.results.all().delete()
    rows = list(_result_rows(result_set, by, computation.table))
    for start in range(0, len(rows), BATCH):
        Result.objects.bulk_create(rows[start : start + BATCH])
    result_set.engine = engine
    result_set.computed_at = timezone.now()
    result_set.seconds = round(seconds, 3)
    result_set.rows = len(rows)
    result_set.skipped = [
        {"indicator": s.indicator, "reason": s.reason}
        for s in computation.skipped
        if split_twin_id(s.indicator)[1] == "us"
    ]
    result_set.save()
    return result_set


def _result_rows(result_set: ResultSet, by: Sequence[str], table: pa.Table) -> Iterable[Result]:
    for row in table.to_pylist():
        indicator, operator = split_twin_id(row["indicator"])
        yield Result(
            result_set=result_set,
            indicator=indicator,
            operator=operator,
            value=row["value"],
            numerator=row["numerator"],
            denominator=row["denominator"],
            target=row["target"],
            status=row["status"],
            **{d: row[d] for d in by},
        )


def visible_results(user: Requester) -> QuerySet[Result]:
    """Figures the user may see: everything province-wide; for a branch-scoped role, its own
    branches' rows and the province-level rows of cuts that name no branch, hall or agent."""
    results = Result.objects.select_related("result_set")
    scope = scope_of(user)
    if scope.branches is None:
        return results
    own = Q(branch__in=sorted(scope.branches)) if scope.branches else Q(pk__in=[])
    unbranched = Q(branch__isnull=True, hall__isnull=True, agent__isnull=True) & ~Q(
        result_set__cut__contains="branch"
    )
    return results.filter(own | unbranched)


def may_view_indicators(user: Requester) -> bool:
    return scope_of(user).role is not None


def periods() -> list[str]:
    """Periods with figures, newest first."""
    return sorted(set(ResultSet.objects.values_list("period", flat=True)), reverse=True)


def results_of(
    user: Requester, period: str, cut: Sequence[str], **filters: Any
) -> QuerySet[Result]:
    return visible_results(user).filter(
        result_set__period=period, result_set__cut=cut_label(cut), **filters
    )


def all_branch_values(period: str, indicator: str) -> dict[str, float | None]:
    """Every branch's figure of one indicator, for ranking only: the caller shows a branch
    manager their own rank, never the other branches' values."""
    rows = Result.objects.filter(
        result_set__period=period, result_set__cut="branch", indicator=indicator, operator="us"
    ).values_list("branch", "value")
    return {branch: value for branch, value in rows if branch}
