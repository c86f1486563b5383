"""The satisfaction report for a scope: what the CLI, the pages and the Excel export show.

Scope is decided by the caller (the web views pass the branches a user may see, from
sqm.org.scoping); everything here reads only those branches' answers.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute
from sqm.voc.access import can_view as can_view
from sqm.voc.core import analysis
from sqm.voc.core.gaps import TARGET_GAP_POINTS, provider_gaps
from sqm.voc.core.study import StudyFilter, months_in_store, read_study


def study(
    data_dir: Path,
    months: Iterable[str] | None = None,
    branches: Iterable[str] | None = None,
) -> Any:
    where = StudyFilter(
        months=frozenset(months) if months else None,
        branches=frozenset(branches) if branches is not None else None,
    )
    return read_study(EventStore(data_dir), where)


def provider_gap_evidence(
    data_dir: Path, period: str | None, branches: Iterable[str] | None
) -> list[dict[str, Any]]:
    """Each provider gap with the current values of the indicators that evidence it."""
    catalog = load_catalog()
    gaps = provider_gaps()
    values: dict[str, dict[str, Any]] = {}
    if period:
        wanted = {i for g in gaps for i in g.indicators}
        scope = frozenset(branches) if branches is not None else None
        table = compute(EventStore(data_dir), catalog.only(wanted), period, (), scope)
        for row in table.to_pylist():
            values[row["indicator"]] = row
    result = []
    for gap in gaps:
        evidence = []
        for indicator_id in gap.indicators:
            spec = catalog.get(indicator_id)
            row = values.get(indicator_id, {})
            evidence.append(
                {
                    "indicator": indicator_id,
                    "name_zh": spec.name_zh,
                    "name_en": spec.name_en,
                    "unit": str(getattr(spec, "unit", "")),
                    "value": row.get("value"),
                    "target": row.get("target"),
                    "status": row.get("status"),
                }
            )
        result.append({**gap.__dict__, "indicators": evidence})
    return result


def drivers_by(
    data_dir: Path,
    months: Iterable[str] | None,
    branches: Iterable[str] | None,
    by: str,
    method: analysis.Method = "relative_weights",
) -> dict[str, Any]:
    """The driver analysis of a scope's answers, one result per branch or tier (``by``)."""
    return analysis.drivers_by(study(data_dir, months, branches), by, method)


def latest_month(data_dir: Path, months: list[str] | None) -> str | None:
    known = months or months_in_store(EventStore(data_dir))
    return max(known) if known else None


# The survey reports already computed in this process, by their inputs and the survey files'
# versions: the answers change only when a month is loaded, and reading and modelling them is
# most of the VOC pages' time (benchmarks/page_speed.py). Bounded: a scope per branch and month.
_REPORTS: dict[tuple[Any, ...], dict[str, Any]] = {}
_REPORTS_KEPT = 64


def _surveys_version(data_dir: Path) -> tuple[tuple[str, int, int], ...]:
    files = EventStore(data_dir).files("surveys") if data_dir.exists() else []
    return tuple((str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in files)


def full_report(
    data_dir: Path,
    months: Iterable[str] | None = None,
    branches: Iterable[str] | None = None,
    target_gap: float = TARGET_GAP_POINTS,
    method: analysis.Method = "relative_weights",
    with_provider_gaps: bool = True,
) -> dict[str, Any]:
    """The report of a scope. Without the provider gaps (which read the other sources) it
    comes from this process's cache while the survey files are unchanged; a copy each time."""
    months = list(months) if months else None
    branches = list(branches) if branches is not None else None
    if with_provider_gaps:
        return _full_report(data_dir, months, branches, target_gap, method, True)
    key = (
        str(data_dir),
        tuple(months or ()),
        tuple(branches) if branches is not None else None,
        target_gap,
        method,
        _surveys_version(data_dir),
    )
    if key not in _REPORTS:
        if len(_REPORTS) >= _REPORTS_KEPT:
            _REPORTS.clear()
        _REPORTS[key] = _full_report(data_dir, months, branches, target_gap, method, False)
    return copy.deepcopy(_REPORTS[key])


def _full_report(
    data_dir: Path,
    months: list[str] | None,
    branches: list[str] | None,
    target_gap: float,
    method: analysis.Method,
    with_provider_gaps: bool,
) -> dict[str, Any]:
    frame = study(data_dir, months, branches)
    known = months or months_in_store(EventStore(data_dir))
    period = max(known) if known else None
    return {
        "months": known,
        "branches": branches,
        "index": analysis.satisfaction_index(frame),
        "drivers": analysis.drivers(frame, method),
        "drivers_by_branch": analysis.drivers_by(frame, "branch", method),
        "drivers_by_tier": analysis.drivers_by(frame, "tier", method),
        "gaps": analysis.gaps(frame),
        # The evidence runs the indicator engine over several sources: the dashboard fetches
        # it separately so the rest of the page does not wait for it.
        "provider_gaps": provider_gap_evidence(data_dir, period, branches)
        if with_provider_gaps
        else [],
        "competitors": analysis.competitors(frame, target_gap),
    }
