"""What the monthly report reads: the month's figures from the other apps' services, within the
reader's scope. Nothing here formats; ``sections`` turns these into the report's parts.

The indicator figures are the results table's (``sqm.indicators.services.results_of``), the very
rows the indicator pages show, lit by the one colour rule (``services.light``). A branch user's
reader sees only their branch's rows and the province's; the CLI reads as the province
(:func:`province_reader`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from sqm.assessment.report.months import month_period
from sqm.indicators import services as indicators
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.competitors import US, compare_all, twin_id
from sqm.indicators.core.scorecard import Cell, cells, ranks
from sqm.indicators.core.spec import GROUP_LABELS, Indicator
from sqm.org.models import Branch

if TYPE_CHECKING:
    from sqm.lib.people import Requester


PROVINCE = ""  # the key of province figures beside branch codes


def province_reader() -> Any:
    """Who the command line reads as: the operator at the machine sees the province, as
    ``sqm compute`` writes it. An unsaved superuser has the administrator's scope."""
    return get_user_model()(username="sqm-report", is_superuser=True, is_active=True)


@dataclass(frozen=True, slots=True)
class Value:
    value: float | None
    target: float | None
    status: str | None


@dataclass(slots=True)
class Month:
    """One month's indicator figures: ``values[indicator][branch or PROVINCE]``."""

    month: str
    values: dict[str, dict[str, Value]] = field(default_factory=dict)
    competitors: dict[str, dict[str, float | None]] = field(default_factory=dict)

    def get(self, indicator: str, where: str = PROVINCE) -> Value | None:
        return self.values.get(indicator, {}).get(where)

    def value(self, indicator: str, where: str = PROVINCE) -> float | None:
        found = self.get(indicator, where)
        return found.value if found else None

    @property
    def empty(self) -> bool:
        return not self.values


def indicator_month(user: Requester, month: str) -> Month:
    found = Month(month)
    for cut in ((), ("branch",)):
        for r in indicators.results_of(user, month, cut):
            where = PROVINCE if not cut else (r.branch or "")
            if cut and not where:
                continue
            if r.operator == US:
                found.values.setdefault(r.indicator, {})[where] = Value(r.value, r.target, r.status)
            else:
                found.competitors.setdefault(where, {})[twin_id(r.indicator, r.operator)] = r.value
    return found


def light_of(entry: Indicator, month: Month, where: str) -> indicators.Light | None:
    """The figure's colour by the indicator pages' rule: a branch against its target, or
    against the province where the indicator has no target."""
    figure = month.get(entry.id, where)
    if figure is None:
        return None
    province = None if where == PROVINCE else month.value(entry.id)
    return indicators.light(entry, figure.value, figure.target, figure.status, province)


def matrix(month: Month, rows: Iterable[str]) -> dict[tuple[str, str], Cell]:
    """(row, group) → the lit cell, as the indicator matrix page counts them."""
    lights: list[tuple[str, str, str, indicators.Light | None]] = []
    for entry in indicators.catalog():
        for where in rows:
            if month.get(entry.id, where) is not None:
                lights.append((where, entry.group, entry.id, light_of(entry, month, where)))
    return cells(lights)


def branch_ranks(month: str, indicator_id: str) -> dict[str, int]:
    """Every branch's rank on one indicator (a branch version shows only its own)."""
    entry = indicators.indicator(indicator_id)
    return ranks(entry, indicators.all_branch_values(month, indicator_id))


def competitor_verdicts(month: Month, where: str = PROVINCE) -> Counter[str]:
    """Lead / par / lag over every indicator a competitor is measured on, as the benchmark
    page counts them (seed 002: "48.5 % leading, 30 % on par")."""
    pairs: list[tuple[str, float | None]] = [
        (indicator_id, by_place[where].value)
        for indicator_id, by_place in month.values.items()
        if where in by_place
    ]
    pairs += list(month.competitors.get(where, {}).items())
    comparisons = compare_all(load_catalog(), pairs)
    return Counter(c.verdict for c in comparisons)


def groups() -> list[tuple[str, str]]:
    return [(g, zh) for g, (zh, _en) in GROUP_LABELS.items()]


def branches() -> list[Branch]:
    return list(Branch.objects.order_by("rank", "code"))


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """The month as aware datetimes ``[start, end)`` in the site's time zone."""
    period = month_period(month)
    return timezone.make_aware(period.start), timezone.make_aware(period.end)
