"""Impact and effect of a case, from its linked complaints and the event store; the
arithmetic is the core's (``sqm.tracing.core.effect``, ``sqm.tracing.core.sources``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from sqm.tracing.core.effect import Effect, Impact, SatisfactionChange, size_impact
from sqm.tracing.models import TracingCase
from sqm.tracing.workflow import evidence
from sqm.tracing.workflow.cases import store

DEFAULT_DAYS = 28


def impact(case: TracingCase) -> Impact:
    """Complaints linked, the distinct customers behind them, their share of the affected
    branches' customers, and the seed's estimate (each complaint stands for ~26 customers)."""
    counted = case.complaints.aggregate(
        complaints=Count("pk"),
        customers=Count("customer_id", distinct=True, filter=~Q(customer_id="")),
    )
    complaints = int(counted["complaints"])
    # A complaint with no customer id is still somebody.
    unnamed = case.complaints.filter(customer_id="").count()
    customers = min(complaints, int(counted["customers"]) + unnamed)
    codes = sorted(case.branches.values_list("code", flat=True))
    base = evidence.customer_base(store(), codes or None, timezone.localdate(case.created_at))
    return size_impact(complaints, customers, base)


def effect_for(
    branches: Iterable[str], category: str, start: date, days: int = DEFAULT_DAYS
) -> Effect:
    """Difference-in-differences of ``category`` complaints: ``branches`` against every other
    branch, the ``days`` days before ``start`` against ``start`` and the ``days − 1`` after
    (the core's ``sources.complaint_effect``)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    from sqm.tracing.core.sources import complaint_effect  # DuckDB and pandas: only when asked

    return complaint_effect(settings.DATA_DIR, sorted(set(branches)), category, start, days)


def _windows(case: TracingCase, days: int) -> tuple[list[str], date, int] | None:
    """The case's branches, intervention date and window length; None until the case names
    an intervention date, a category and a branch. The windows are shortened to the days the
    store holds complaints for: a day past the data would count as a day nobody complained."""
    codes = sorted(case.branches.values_list("code", flat=True))
    if case.intervention_date is None or not case.category or not codes:
        return None
    start = case.intervention_date
    stored = store().days(evidence.COMPLAINTS)
    if stored:
        days = max(1, min(days, (stored[-1] - start).days + 1, (start - stored[0]).days))
    return codes, start, days


def effect(case: TracingCase, days: int = DEFAULT_DAYS) -> Effect | None:
    """The case's effect on complaints since its intervention date (see ``_windows``)."""
    windows = _windows(case, days)
    if windows is None:
        return None
    codes, start, days = windows
    return effect_for(codes, case.category, start, days)


def satisfaction(case: TracingCase, days: int = DEFAULT_DAYS) -> SatisfactionChange | None:
    """Over the same windows and groups as ``effect``: the change of the surveys' perception
    score on the case's factor (its complaint category), treated against control."""
    windows = _windows(case, days)
    if windows is None:
        return None
    from sqm.tracing.core.sources import satisfaction_change  # DuckDB and pandas: only when asked

    codes, start, days = windows
    return satisfaction_change(settings.DATA_DIR, codes, case.category, start, days)
