"""The dashboard's weekly figures, and two reviewers deciding one case at the same moment."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from sqm.spam import quality, services
from sqm.spam.core import workflow
from sqm.spam.models import Review, SenderCase, Suspension

MakeCase = Callable[..., Any]
MONDAY = timezone.make_aware(datetime(2026, 3, 2, 10, 0))


def _decide_at(case: Any, user: Any, decision: str, at: datetime) -> None:
    services.review_case(case.pk, user, decision)
    SenderCase.objects.filter(pk=case.pk).update(decided_at=at)
    Review.objects.filter(case=case).update(at=at)
    Suspension.objects.filter(case=case).update(executed_at=at)


@pytest.mark.django_db
def test_weekly_precision_hours_and_wrongful_blocks(
    people: dict[str, Any], make_case: MakeCase, settings: Any
) -> None:
    settings.SQM_SPAM_MINUTES_PER_CASE = 30
    first = [make_case(f"1390000000{i}") for i in range(4)]
    second = [make_case(f"1380000000{i}") for i in range(2)]
    # Week 1: 1 of 4 confirmed. Week 2: 2 of 2 confirmed, one later restored on appeal.
    for i, case in enumerate(first):
        _decide_at(case, people["spam_reviewer"], "confirm" if i == 0 else "reject", MONDAY)
    for case in second:
        _decide_at(case, people["spam_reviewer"], "confirm", MONDAY + timedelta(days=8))
    appeal = services.file_appeal(second[0].pk, people["spam_reviewer_2"], "误停", "hotline")
    services.decide_appeal(appeal.pk, people["spam_reviewer_2"], grant=True)

    weeks = quality.weeks(SenderCase.objects.all())
    assert [w.start.isoformat() for w in weeks] == ["2026-03-02", "2026-03-09"]
    assert [(w.decided, w.confirmed, w.reviews) for w in weeks] == [(4, 1, 4), (2, 2, 2)]
    assert [w.precision for w in weeks] == [0.25, 1.0]
    assert [w.hours for w in weeks] == [2.0, 1.0]  # 30 minutes a review
    assert weeks[0].wrongful_rate == 0.0 and weeks[1].wrongful_rate == 0.5
    summary = quality.summary(SenderCase.objects.all())
    assert summary["precision"] == 0.5 and summary["wrongful_rate"] == pytest.approx(1 / 3)
    chart = quality.chart(
        weeks, dict.fromkeys(("precision", "wrongful", "hours", "hours_axis", "week"), "x")
    )
    assert chart["data"][1]["y"] == [25.0, 100.0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reviewers_confirming_at_once_are_served_one_after_the_other(
    people: dict[str, Any], make_case: MakeCase, monkeypatch: Any
) -> None:
    """Without the row lock both would read "no confirmation yet" and the four-eyes case would
    stay under review with two confirmations; with it, the second sees the first and suspends."""
    case = make_case("10690001111", high_impact=True)
    slow_decide = workflow.decide

    def decide(*args: Any) -> Any:
        time.sleep(0.3)  # hold the lock long enough for the other reviewer to arrive
        return slow_decide(*args)

    monkeypatch.setattr(workflow, "decide", decide)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def confirm(user: Any) -> None:
        try:
            start.wait()
            services.review_case(case.pk, user, "confirm")
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=confirm, args=(people[w],)) for w in ("spam_reviewer", "admin")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert SenderCase.objects.get(pk=case.pk).status == "suspended"
    assert Review.objects.filter(case=case).count() == 2
    assert Suspension.objects.filter(case=case).count() == 1
