"""Fixtures for the improvement tests: the standing cast, a month of indicator results with a
red figure, and a way to make action items in any state."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from sqm.improvement import services

TODAY = date(2027, 1, 12)
NOW = datetime(2027, 1, 12, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
MONTH = "2026-12"
MakeAction = Callable[..., Any]


def store_results(period: str, rows: list[tuple[str, str | None, float, float | None]]) -> None:
    """Results as the engine stores them: (indicator, branch or None for the province, value,
    target)."""
    from sqm.indicators.models import Result, ResultSet

    for cut in ("", "branch"):
        chosen = [r for r in rows if (r[1] is None) == (cut == "")]
        if not chosen:
            continue
        result_set = ResultSet.objects.create(
            period=period, cut=cut, engine="duckdb", computed_at=NOW, seconds=1.0, rows=len(chosen)
        )
        for indicator, branch, value, target in chosen:
            status = None if target is None else ("met" if value <= target else "missed")
            Result.objects.create(
                result_set=result_set,
                indicator=indicator,
                branch=branch,
                value=value,
                target=target,
                status=status,
            )


@pytest.fixture
def red_month(db: None) -> None:
    """December: the hall wait in NJ is red (16 min against a province of 8)."""
    store_results(
        MONTH,
        [
            ("hall_mean_wait_minutes", None, 8.0, None),
            ("hall_mean_wait_minutes", "NJ", 16.0, None),
            ("hall_mean_wait_minutes", "WX", 8.0, None),
        ],
    )


@pytest.fixture
def make_action(people: dict[str, Any]) -> MakeAction:
    def make(
        title: str = "缩短南京营业厅排队时长",
        *,
        department: str = "market",
        branch: str | None = "NJ",
        deadline: date = date(2027, 1, 29),
        owner: Any = None,
        by: str = "analyst",
        **more: Any,
    ) -> Any:
        return services.create_action(
            people[by],
            title=title,
            owner_department=department,
            branch=branch,
            deadline=deadline,
            owner=owner,
            today=more.pop("today", date(2027, 1, 1)),
            **more,
        )

    return make
