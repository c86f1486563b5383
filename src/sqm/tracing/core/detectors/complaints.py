"""Detectors over daily complaint counts: abnormal change (异动), batch complaints (批量投诉),
hot complaints (热点投诉) and escalation spikes (升级投诉/申诉).

Input: a frame with one row per (day, branch, category, subcategory, level) and the count
``n`` — the event store's complaints grouped by day, whatever file they were ingested from.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sqm.tracing.core.detectors.common import branch_prior, day_matrix, hit_signal
from sqm.tracing.core.detectors.counting import Hit, ScanSettings, scan
from sqm.tracing.core.detectors.drift import drifts
from sqm.tracing.core.detectors.stats import Calendar, fit_daily_many
from sqm.tracing.core.signals import Place, Signal, SignalKind

COLUMNS = ("day", "branch", "category", "subcategory", "level", "n")
ESCALATED_LEVELS = ("escalated", "appeal")
DRIFT_MIN_RATIO = 1.3  # a drift window must hold this many times its expected count


def _grouped(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped: pd.DataFrame = frame.groupby(["day", *keys], dropna=False, as_index=False)[["n"]].sum()
    return grouped


def abnormal_change(
    complaints: pd.DataFrame,
    calendar: Calendar,
    customers: dict[str, int] | None = None,
    settings: ScanSettings | None = None,
) -> Iterator[Signal]:
    """Daily and weekly counts per branch × category, and per sub-category, above what the
    category's day model (weekday, bill dates, month end, customer base) and the cell's own
    share of the category expect; false discoveries held at ``settings.q`` over all cells."""
    s = settings or ScanSettings()
    labels, y = day_matrix(_grouped(complaints, ["branch", "category"]), ["branch", "category"],
                           calendar)  # fmt: skip
    if labels:
        categories = sorted({c for _, c in labels}, key=str)
        group_of = np.array([categories.index(c) for _, c in labels])
        prior = branch_prior([b for b, _ in labels], customers)
        hits = scan(y, calendar, group_of=group_of, prior=prior, settings=s)
        for hit in hits:
            branch, category = labels[hit.cell]
            yield hit_signal(
                SignalKind.ABNORMAL_CHANGE,
                Place(branch=branch, category=category),
                hit,
                calendar,
                detail={"cut": "branch_category"},
            )
        yield from _drift_signals(y, calendar, group_of, prior, labels, hits, s)
    sub_labels, sub_y = day_matrix(_grouped(complaints, ["category", "subcategory"]),
                                   ["category", "subcategory"], calendar)  # fmt: skip
    if sub_labels:
        categories = sorted({c for c, _ in sub_labels}, key=str)
        group_of = np.array([categories.index(c) for c, _ in sub_labels])
        for hit in scan(sub_y, calendar, group_of=group_of, settings=s):
            category, subcategory = sub_labels[hit.cell]
            yield hit_signal(
                SignalKind.ABNORMAL_CHANGE,
                Place(category=category, subcategory=subcategory),
                hit,
                calendar,
                detail={"cut": "subcategory"},
            )


def batch_complaints(
    complaints: pd.DataFrame,
    calendar: Calendar,
    min_branches: int = 3,
    max_branch_share: float = 0.7,
    settings: ScanSettings | None = None,
) -> Iterator[Signal]:
    """The same sub-category above its baseline over a few days, from several branches at once
    (no single branch holding most of it: that is a local problem, not a batch)."""
    s = settings or ScanSettings(widths=(1, 3))
    labels, y = day_matrix(_grouped(complaints, ["category", "subcategory"]),
                           ["category", "subcategory"], calendar)  # fmt: skip
    if not labels:
        return
    categories = sorted({c for c, _ in labels}, key=str)
    group_of = np.array([categories.index(c) for c, _ in labels])
    by_branch = _grouped(complaints, ["category", "subcategory", "branch"])
    by_branch = by_branch.assign(day=pd.to_datetime(by_branch["day"]).dt.date)
    for hit in scan(y, calendar, group_of=group_of, settings=s):
        category, subcategory = labels[hit.cell]
        first, last = calendar.days[hit.first], calendar.days[hit.stop - 1]
        inside = by_branch[
            (by_branch["category"] == category)
            & (by_branch["subcategory"] == subcategory)
            & (by_branch["day"] >= first)
            & (by_branch["day"] <= last)
        ]
        per_branch = inside.groupby("branch")["n"].sum()
        if len(per_branch) < min_branches or per_branch.max() > max_branch_share * hit.observed:
            continue
        yield hit_signal(
            SignalKind.BATCH_COMPLAINTS,
            Place(category=category, subcategory=subcategory),
            hit,
            calendar,
            detail={"branches": {str(b): int(n) for b, n in per_branch.items()}},
        )


def hot_topics(
    frame: pd.DataFrame,
    keys: list[str],
    calendar: Calendar,
    kind: SignalKind,
    source: str,
    top: int = 10,
    settings: ScanSettings | None = None,
) -> Iterator[Signal]:
    """The fastest-rising topics: weekly counts against the topic's own baseline; of the
    significant rises, the ``top`` with the largest ratio of observed to expected."""
    s = settings or ScanSettings(widths=(7,), min_ratio=1.5)
    labels, y = day_matrix(_grouped(frame, keys), keys, calendar)
    if not labels:
        return
    hits = scan(y, calendar, settings=s)
    hits.sort(key=lambda h: -(h.observed / max(h.expected, 1e-9)))
    for rank, hit in enumerate(hits[:top], start=1):
        values = dict(zip(keys, labels[hit.cell], strict=True))
        place = Place(
            category=values.get("category") or values.get("topic"),
            subcategory=values.get("subcategory"),
        )
        yield hit_signal(
            kind,
            place,
            hit,
            calendar,
            source=source,
            detail={"rank": rank, "rise": hit.observed / max(hit.expected, 1e-9)},
        )


def hot_complaints(complaints: pd.DataFrame, calendar: Calendar, top: int = 10) -> Iterator[Signal]:
    return hot_topics(
        complaints, ["category", "subcategory"], calendar, SignalKind.HOT_COMPLAINT,
        "complaints", top,
    )  # fmt: skip


def escalation_spikes(
    complaints: pd.DataFrame,
    calendar: Calendar,
    customers: dict[str, int] | None = None,
    settings: ScanSettings | None = None,
) -> Iterator[Signal]:
    """Escalated complaints and appeals per branch (and the province) above baseline."""
    s = settings or ScanSettings(min_count=3)
    escalated = complaints[complaints["level"].isin(ESCALATED_LEVELS)]
    labels, y = day_matrix(_grouped(escalated, ["branch", "level"]), ["branch", "level"],
                           calendar)  # fmt: skip
    if not labels:
        return
    levels = sorted({lv for _, lv in labels})
    group_of = np.array([levels.index(lv) for _, lv in labels])
    prior = branch_prior([b for b, _ in labels], customers)
    for hit in scan(y, calendar, group_of=group_of, prior=prior, settings=s):
        branch, level = labels[hit.cell]
        yield hit_signal(
            SignalKind.ESCALATION_SPIKE,
            Place(branch=branch),
            hit,
            calendar,
            detail={"level": level},
        )
    totals = escalated.assign(scope="province")
    p_labels, p_y = day_matrix(_grouped(totals, ["level"]), ["level"], calendar)
    for hit in scan(p_y, calendar, settings=s):
        yield hit_signal(
            SignalKind.ESCALATION_SPIKE,
            Place(),
            hit,
            calendar,
            detail={"level": p_labels[hit.cell][0]},
        )


def _drift_signals(
    y: np.ndarray,
    calendar: Calendar,
    group_of: np.ndarray,
    prior: np.ndarray,
    labels: list[tuple[Any, ...]],
    hits: list[Hit],
    s: ScanSettings,
) -> Iterator[Signal]:
    """Slow drifts of a branch × category over the month (CUSUM) that no window caught."""
    watch = calendar.watch_index
    groups = np.zeros((int(group_of.max()) + 1, y.shape[1]))
    np.add.at(groups, group_of, y)
    fitted = fit_daily_many(groups, calendar)
    # The cell's share of its category before the month (the whole span when there is little
    # history), shrunk towards its prior. A share learned from a few complaints is uncertain
    # (a quiet February would make an ordinary March look like a drift), so the CUSUM's null
    # draws the share from its Gamma posterior: pseudo-counts = the complaints it rests on.
    base = slice(0, watch) if watch >= 14 else slice(0, y.shape[1])
    cell_base = y[:, base].sum(axis=1)
    # Against the group's fitted count: another branch's incident inflates the observed
    # total, not the robust model, and must not shrink this cell's share.
    group_base = fitted[:, base].sum(axis=1)[group_of]
    share = (cell_base + s.prior_weight * prior) / (group_base + s.prior_weight)
    mu = share[:, None] * fitted[group_of][:, watch:]
    certainty = cell_base + s.prior_weight * prior
    caught = {(h.cell, d) for h in hits for d in range(h.first, h.stop)}
    signalled = np.zeros(y.shape[0], bool)
    signalled[[h.cell for h in hits]] = True
    found = drifts(
        y[:, watch:], mu, q=s.q, min_count=s.min_count, certainty=certainty, skip=signalled
    )
    for drift in found:
        first, stop = watch + drift.first, watch + drift.stop
        if any((drift.cell, d) in caught for d in range(first, stop)):
            continue
        observed = float(y[drift.cell, first:stop].sum())
        expected = float(mu[drift.cell, drift.first : drift.stop].sum())
        if observed < DRIFT_MIN_RATIO * expected:
            continue
        hit = Hit(
            drift.cell, first, stop, observed, expected, *_poisson_band(expected),
            drift.p_value,
            tuple(
                (k, float(y[drift.cell, k]), float(mu[drift.cell, k - watch]),
                 *_poisson_band(float(mu[drift.cell, k - watch])))
                for k in range(watch, y.shape[1])
            ),
        )  # fmt: skip
        branch, category = labels[drift.cell]
        yield hit_signal(
            SignalKind.ABNORMAL_CHANGE,
            Place(branch=branch, category=category),
            hit,
            calendar,
            detail={"cut": "branch_category", "method": "cusum", "cusum": drift.statistic},
        )


def _poisson_band(mean: float) -> tuple[float, float]:
    low, high = stats.poisson.interval(0.95, max(mean, 1e-9))
    return float(low), float(high)
