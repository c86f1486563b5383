"""The demo's reviewing: of twelve flagged senders the six riskiest ordinary ones are confirmed
and suspended, the three least risky rejected, the high-impact one confirmed by two people,
one appeal granted; the monthly report's spam section then counts them; run twice, nothing
more happens."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from sqm.spam.demo import seed_reviews
from sqm.spam.models import SenderCase

pytestmark = pytest.mark.django_db


@pytest.fixture
def flagged(make_case: Callable[..., Any]) -> list[Any]:
    # The evidence of March's reports: the report counts these cases in March.
    march = {
        "window_start": timezone.make_aware(datetime(2026, 3, 2)),
        "window_end": timezone.make_aware(datetime(2026, 3, 9)),
    }
    cases = [make_case(f"1390000{n:04d}", risk=0.99 - n / 100, **march) for n in range(11)]
    cases.append(make_case("10690000001", risk=0.98, high_impact=True, impact_reason="x", **march))
    return cases


def test_the_demo_reviews_confirm_reject_suspend_and_grant_one_appeal(
    people: dict[str, Any], flagged: list[Any], data_dir: Path
) -> None:
    seeded = seed_reviews(people["spam_reviewer"], people["admin"])
    assert (seeded.confirmed, seeded.rejected, seeded.suspended, seeded.appeals_granted) == (
        7,
        3,
        7,
        1,
    )
    status = dict(SenderCase.objects.values_list("sender", "status"))
    # Ordinary cases by risk: 0.99 … 0.89; the six riskiest confirmed, the sixth appealed.
    assert [status[f"1390000{n:04d}"] for n in range(11)] == [
        "suspended",
        "suspended",
        "suspended",
        "suspended",
        "suspended",
        "restored",
        "flagged",
        "flagged",
        "rejected",
        "rejected",
        "rejected",
    ]
    high = SenderCase.objects.get(sender="10690000001")
    assert high.status == "suspended" and high.reviews.count() == 2
    assert seed_reviews(people["spam_reviewer"], people["admin"]).confirmed == 0
    assert Counter(SenderCase.objects.values_list("status", flat=True))["suspended"] == 6


def test_the_monthly_report_counts_the_demo_reviews(
    people: dict[str, Any], flagged: list[Any], data_dir: Path
) -> None:
    from sqm.assessment.report import build, figures

    seed_reviews(people["spam_reviewer"], people["admin"])
    built = build.build(figures.province_reader(), "2026-03")
    section = next(s for s in built.report.sections if s.key == "垃圾短信")
    counts = dict(section.tables[0].rows)
    assert counts["已审核"] == 10 and counts["审核排除（误报）"] == 3
    assert counts["已停机"] == 7 and counts["申诉成立（错误停机）"] == 1


def test_a_case_whose_window_ends_at_the_months_first_moment_is_last_months(
    people: dict[str, Any], make_case: Callable[..., Any], data_dir: Path
) -> None:
    """The demo flags each month with an exclusive end (``--until``: the day after the last);
    February's cases must not be counted again in March."""
    from sqm.assessment.report import build, figures

    aware = timezone.make_aware
    make_case(
        "13900009999",
        window_start=aware(datetime(2026, 2, 1)),
        window_end=aware(datetime(2026, 3, 1)),
    )
    make_case(
        "13900008888",
        window_start=aware(datetime(2026, 3, 1)),
        window_end=aware(datetime(2026, 4, 1)),
    )
    for month, flagged in (("2026-02", 1), ("2026-03", 1)):
        built = build.build(figures.province_reader(), month)
        section = next(s for s in built.report.sections if s.key == "垃圾短信")
        assert dict(section.tables[0].rows)["模型标记的发送方（案例）"] == flagged, month
