"""The demo's improvement work: two held meetings with decisions, ~30 items in every state,
some overdue and escalated, and a re-run that changes nothing."""

from __future__ import annotations

from datetime import date

import pytest

from sqm.demo.showcase import create_demo_users
from sqm.improvement.demo import seed_improvement
from sqm.improvement.models import Decision, Meeting
from tests.improvement.conftest import store_results

pytestmark = pytest.mark.django_db


def test_the_demo_holds_two_meetings_thirty_items_in_every_state_and_overdue_escalations(
    reference: None,
) -> None:
    create_demo_users()
    store_results(
        "2026-11",
        [("hall_mean_wait_minutes", None, 8.0, None), ("hall_mean_wait_minutes", "NJ", 16.0, None)],
    )
    seeded = seed_improvement("2026-11", today=date(2026, 12, 6))
    assert Meeting.objects.filter(held=True).count() == 2
    assert (
        Decision.objects.count() == 30 and seeded.actions == 30 + 4
    )  # 3 project tasks, 1 rectification
    assert (seeded.projects, seeded.launches) == (2, 1)
    assert set(seeded.by_status) == {"open", "in_progress", "done", "verified", "reopened"}
    assert seeded.overdue >= 5 and seeded.escalated >= 3
    again = seed_improvement("2026-11", today=date(2026, 12, 6))
    assert again == seeded
