"""A month of indicator figures and a few work orders, for the home-page tests.

Branch A (南京, NJ) misses on coverage (the network department's), branch B (无锡, WX) on
e-channels (the internet department's): each manager must see their own red and never the
other's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from sqm.indicators.models import Result, ResultSet

MONTH, LAST_MONTH = "2026-10", "2026-09"
COVERAGE, E_CHANNELS, SERVICE_LEVEL = (
    "satisfaction_coverage",
    "satisfaction_e_channels",
    "hotline_service_level_15s",
)
# indicator -> (province, NJ, WX)
FIGURES = {
    COVERAGE: (8.0, 6.0, 8.1),
    E_CHANNELS: (8.0, 8.2, 6.0),
    SERVICE_LEVEL: (88.0, 90.0, 86.0),
}


def store_figures(period: str = MONTH, figures: dict[str, tuple[float, ...]] = FIGURES) -> None:
    for cut in ("", "branch"):
        result_set = ResultSet.objects.create(
            period=period, cut=cut, engine="duckdb", computed_at=timezone.now(), seconds=0, rows=0
        )
        for indicator, (province, nanjing, wuxi) in figures.items():
            if cut == "":
                Result.objects.create(result_set=result_set, indicator=indicator, value=province)
                continue
            for branch, value in (("NJ", nanjing), ("WX", wuxi)):
                Result.objects.create(
                    result_set=result_set, indicator=indicator, branch=branch, value=value
                )


def store_two_months() -> None:
    store_figures(LAST_MONTH, {COVERAGE: (8.0, 7.5, 8.0)})
    store_figures(MONTH)


def order(actor: Any, branch: str, *, days_ago: float, tier: str | None = None) -> Any:
    """A hotline complaint recorded ``days_ago`` days ago by ``actor`` (its owner)."""
    from sqm.complaints import services

    created = timezone.now() - timedelta(days=days_ago)
    return services.create_work_order(
        actor,
        channel="hotline",
        category="mobile_internet.slow",
        severity="medium",
        customer_id=f"C-{branch}-{days_ago}-{tier}",
        customer_phone="13912345678",
        branch=branch,
        tier=tier,
        description="手机上网网速很慢",
        created_at=created,
    )
