"""Fixtures for the assessment tests: months of indicator results small enough to score by
hand, under a scheme of two items (``SIMPLE``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 4, 2, 2, 0, tzinfo=UTC)
BRANCHES = ("NJ", "WX", "XZ", "CZ", "SZ", "NT", "LYG", "HA", "YC", "YZ", "ZJ", "TZ", "SQ")
OTHERS = BRANCHES[2:]

# Branches: FCR linear 75 → 90 for 60 points, overall satisfaction ranked among the 13 for 40.
# Departments: the same two, each department scored on the one it is accountable for
# (FCR: csc, satisfaction: quality), scaled to 100.
SIMPLE = """
name: 测试方案
branch:
  - {indicator: hotline_first_contact_resolution_rate, weight: 60, rule: linear, floor: 75, target: 90}
  - {indicator: satisfaction_overall_score, weight: 40, rule: rank}
department:
  - {indicator: hotline_first_contact_resolution_rate, weight: 1, rule: linear, floor: 75, target: 90}
  - {indicator: satisfaction_overall_score, weight: 1, rule: linear, floor: 6, target: 8}
adjustments:
  - {id: escalated_complaints, name_zh: 升级投诉扣分, name_en: Escalated complaints, kind: penalty, measure: escalated_per_10k_customers, units: [branch], per: 2, allowance: 0.5, cap: 5}
vetoes:
  - {id: customer_data_leak, name_zh: 泄露客户信息, name_en: Customer data leaked, score: 0}
"""  # noqa: E501


def store_month(period: str, figures: dict[str, dict[str | None, float | None]]) -> None:
    """Results as the engine stores them: indicator → {branch (None: province): value}."""
    from sqm.indicators.models import Result, ResultSet

    for cut in ("", "branch"):
        result_set = ResultSet.objects.create(
            period=period, cut=cut, engine="duckdb", computed_at=NOW, seconds=1.0, rows=0
        )
        Result.objects.bulk_create(
            Result(result_set=result_set, indicator=indicator, branch=branch, value=value)
            for indicator, values in figures.items()
            for branch, value in values.items()
            if (branch is None) == (cut == "")
        )


def month_figures(nj_fcr: float) -> dict[str, dict[str | None, float | None]]:
    return {
        "hotline_first_contact_resolution_rate": {
            None: 86.0,
            "NJ": nj_fcr,
            "WX": 90.0,
            **dict.fromkeys(OTHERS, 75.0),
        },
        "satisfaction_overall_score": {
            None: 7.5,
            "NJ": 8.5,
            "WX": 8.0,
            **dict.fromkeys(OTHERS, 7.0),
        },
        # NJ: 20 complaints per 10k customers, 5 % escalated → 1.0 escalated per 10k.
        "complaints_per_10k_customers": {None: 20.0, "NJ": 20.0},
        "complaint_escalation_rate": {None: 5.0, "NJ": 5.0},
    }


@pytest.fixture
def simple_scheme(reference: None) -> None:
    from sqm.assessment import services

    services.save_scheme(SIMPLE, "2026-01", "测试", now_month="2026-01")


@pytest.fixture
def scored_months(simple_scheme: None) -> Callable[[], None]:
    """February (NJ's FCR 87) and March (NJ's FCR 90)."""
    store_month("2026-02", month_figures(87.0))
    store_month("2026-03", month_figures(90.0))
    return lambda: None
