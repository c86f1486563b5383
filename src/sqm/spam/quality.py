"""The model-quality dashboard's figures (R7.3): precision as reviewers judge it, week by week,
the reviewer hours it implies, and the wrongful-block rate."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from sqm.lib.charts import ALERT, HOUSE, LIGHT, figure_json
from sqm.spam.core import metrics
from sqm.spam.core.workflow import Status
from sqm.spam.models import Appeal, ModelVersion, Review, SenderCase, Suspension

CONFIRMED_BY_REVIEWERS = (
    Status.CONFIRMED.value,
    Status.SUSPENDED.value,
    Status.APPEALED.value,
    Status.RESTORED.value,
    Status.UPHELD.value,
)
PROJECTED_PRECISIONS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def minutes_per_case() -> float:
    return float(getattr(settings, "SQM_SPAM_MINUTES_PER_CASE", metrics.DEFAULT_MINUTES_PER_CASE))


def hours_per_reviewer() -> float:
    return float(
        getattr(
            settings, "SQM_SPAM_REVIEWER_HOURS_PER_WEEK", metrics.DEFAULT_REVIEWER_HOURS_PER_WEEK
        )
    )


@dataclass(frozen=True, slots=True)
class Week:
    start: date
    decided: int
    confirmed: int
    reviews: int
    suspensions: int
    restored: int

    @property
    def precision(self) -> float | None:
        return metrics.ratio(self.confirmed, self.decided)

    @property
    def hours(self) -> float:
        return metrics.reviewer_hours(self.reviews, minutes_per_case())

    @property
    def reviewers(self) -> int:
        return metrics.reviewers_needed(self.hours, hours_per_reviewer())

    @property
    def wrongful_rate(self) -> float | None:
        return metrics.wrongful_block_rate(self.restored, self.suspensions)


@dataclass(frozen=True, slots=True)
class VersionRow:
    version: ModelVersion
    cases: int
    decided: int
    confirmed: int

    @property
    def precision(self) -> float | None:
        return metrics.ratio(self.confirmed, self.decided)


def _monday(moment: Any) -> date:
    day: date = timezone.localtime(moment).date()
    return day - timedelta(days=day.weekday())


def weeks(cases: QuerySet[SenderCase]) -> list[Week]:
    """Per ISO week: cases decided and confirmed, reviews done, suspensions and restores."""
    decided: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for status, at in cases.filter(decided_at__isnull=False).values_list("status", "decided_at"):
        row = decided[_monday(at)]
        row[0] += 1
        row[1] += status in CONFIRMED_BY_REVIEWERS
    reviews: dict[date, int] = defaultdict(int)
    for at in Review.objects.filter(case__in=cases).values_list("at", flat=True):
        reviews[_monday(at)] += 1
    suspended: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for executed, restored in Suspension.objects.filter(case__in=cases).values_list(
        "executed_at", "restored_at"
    ):
        row = suspended[_monday(executed)]
        row[0] += 1
        row[1] += restored is not None
    starts = sorted(set(decided) | set(reviews) | set(suspended))
    return [
        Week(
            start=s,
            decided=decided[s][0],
            confirmed=decided[s][1],
            reviews=reviews[s],
            suspensions=suspended[s][0],
            restored=suspended[s][1],
        )
        for s in starts
    ]


def versions(cases: QuerySet[SenderCase]) -> list[VersionRow]:
    rows = []
    for version in ModelVersion.objects.all():
        own = cases.filter(model_version=version)
        decided = own.filter(decided_at__isnull=False)
        rows.append(
            VersionRow(
                version=version,
                cases=own.count(),
                decided=decided.count(),
                confirmed=decided.filter(status__in=CONFIRMED_BY_REVIEWERS).count(),
            )
        )
    return rows


def projection(spam_senders_per_week: float) -> list[dict[str, float | int | None]]:
    """Reviewer load to confirm the same number of spam senders at other precisions."""
    rows: list[dict[str, float | int | None]] = []
    for precision in PROJECTED_PRECISIONS:
        cases = metrics.cases_to_review(spam_senders_per_week, precision) or 0.0
        hours = metrics.reviewer_hours(cases, minutes_per_case())
        rows.append(
            {
                "precision": precision,
                "cases": cases,
                "hours": hours,
                "reviewers": metrics.reviewers_needed(hours, hours_per_reviewer()),
            }
        )
    return rows


def summary(cases: QuerySet[SenderCase]) -> dict[str, Any]:
    suspensions = Suspension.objects.filter(case__in=cases)
    granted = Appeal.objects.filter(case__in=cases, outcome="granted").count()
    decided = cases.filter(decided_at__isnull=False)
    confirmed = decided.filter(status__in=CONFIRMED_BY_REVIEWERS).count()
    awaiting = cases.filter(status__in=(Status.FLAGGED.value, Status.UNDER_REVIEW.value)).count()
    return {
        "decided": decided.count(),
        "confirmed": confirmed,
        "precision": metrics.ratio(confirmed, decided.count()),
        "suspensions": suspensions.count(),
        "restored": granted,
        "wrongful_rate": metrics.wrongful_block_rate(granted, suspensions.count()),
        "awaiting": awaiting,
        "awaiting_hours": metrics.reviewer_hours(awaiting, minutes_per_case()),
        "minutes_per_case": minutes_per_case(),
        "hours_per_reviewer": hours_per_reviewer(),
    }


def chart(rows: list[Week], labels: dict[str, str]) -> dict[str, Any]:
    """Plotly figure JSON: precision and wrongful-block rate (lines, left axis, %), reviewer
    hours (bars, right axis)."""
    import plotly.graph_objects as go

    x = [w.start.isoformat() for w in rows]

    def percent(values: list[float | None]) -> list[float | None]:
        return [None if v is None else round(100 * v, 1) for v in values]

    figure = go.Figure()
    figure.add_bar(
        x=x,
        y=[round(w.hours, 1) for w in rows],
        name=labels["hours"],
        yaxis="y2",
        marker_color=LIGHT,
    )
    figure.add_scatter(
        x=x,
        y=percent([w.precision for w in rows]),
        name=labels["precision"],
        mode="lines+markers",
        line={"color": HOUSE, "width": 3},
    )
    figure.add_scatter(
        x=x,
        y=percent([w.wrongful_rate for w in rows]),
        name=labels["wrongful"],
        mode="lines+markers",
        line={"color": ALERT, "dash": "dot"},
    )
    return figure_json(
        figure,
        360,
        yaxis={"title": "%", "range": [0, 105]},
        yaxis2={
            "title": labels["hours_axis"],
            "overlaying": "y",
            "side": "right",
            "rangemode": "tozero",
            "showgrid": False,
        },
        xaxis={"type": "category", "title": labels["week"]},
    )
