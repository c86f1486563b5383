"""The per-department follow-up figures the scorecards read."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sqm.improvement.core.stats import Record, department_stats

FIRST, LAST = date(2027, 1, 1), date(2027, 1, 31)
END = datetime(2027, 2, 1, tzinfo=UTC)


def rec(dept: str, deadline: int, verified: datetime | None, created_day: int = 2) -> Record:
    return Record(
        department=dept,
        created=datetime(2027, 1, created_day, tzinfo=UTC),
        due=datetime(2027, 1, deadline, 9, 30, tzinfo=UTC),
        deadline=date(2027, 1, deadline),
        verified=verified,
    )


def test_completion_rate_overdue_and_mean_days_to_close_per_department() -> None:
    stats = department_stats(
        [
            rec("network", 10, datetime(2027, 1, 8, tzinfo=UTC)),  # on time, 6 days
            rec("network", 10, datetime(2027, 1, 14, tzinfo=UTC)),  # late, 12 days
            rec("network", 20, None),  # still open, overdue
            rec("market", 25, datetime(2027, 1, 4, tzinfo=UTC)),  # on time, 2 days
        ],
        FIRST,
        LAST,
        END,
    )
    network = stats["network"]
    assert (network.due, network.completed_on_time, network.overdue) == (3, 1, 2)
    assert network.completion_rate == pytest.approx(1 / 3)
    assert network.mean_days_to_close == pytest.approx(9.0)
    assert stats["market"].completion_rate == 1.0


def test_an_item_not_yet_due_in_the_running_month_is_not_counted_overdue() -> None:
    now = datetime(2027, 1, 15, tzinfo=UTC)
    stats = department_stats([rec("csc", 20, None)], FIRST, LAST, now)
    assert stats["csc"].overdue == 0 and stats["csc"].due == 1
    assert stats["csc"].mean_days_to_close is None
