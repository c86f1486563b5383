"""What a saved plan planned for a month (``plans_for_month``), against small plans computed by
hand: the days inside the month, staff per day, planned occupancy and service, and scoping."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sqm.planning import services
from sqm.planning.core.month_part import month_part

NOV_30, DEC_1 = date(2026, 11, 30), date(2026, 12, 1)


def hotline_payload(first_day: str = "2026-11-30") -> dict[str, Any]:
    """Two days (30 Nov, 1 Dec), two half-hours a day."""
    return {
        "kind": "hotline",
        "first_day": first_day,
        "days": 2,
        "interval_minutes": 30,
        "targets": {
            "vip_target": 0.85,
            "vip_threshold_s": 15.0,
            "ordinary_target": 0.8,
            "ordinary_threshold_s": 20.0,
        },
        "intervals": {
            "start": [
                "2026-11-30T09:00",
                "2026-11-30T09:30",
                "2026-12-01T09:00",
                "2026-12-01T09:30",
            ],
            "vip_calls": [10.0, 0.0, 4.0, 4.0],
            "ordinary_calls": [20.0, 30.0, 6.0, 6.0],
            "aht_s": [180.0, 180.0, 300.0, 300.0],
            "agents": [4, 5, 2, 2],
            "vip_service_level": [0.9, None, 0.8, 0.6],
        },
        "summary": {},
    }


def halls_payload(branch: str | None = None, first_day: str = "2026-11-30") -> dict[str, Any]:
    """Two days, three opening hours; a NJ hall and a WX hall."""
    halls = [
        {
            "code": "NJ-1",
            "branch": "NJ",
            "grid": {
                "visits": [[10.0, 20.0, 0.0], [5.0, 5.0, 5.0]],
                "counters": [[1, 2, 0], [1, 1, 1]],
                "within": [[0.9, 0.8, None], [1.0, 1.0, 1.0]],
            },
        },
        {
            "code": "WX-1",
            "branch": "WX",
            "grid": {
                "visits": [[4.0, 0.0, 0.0], [0.0, 0.0, 0.0]],
                "counters": [[1, 0, 0], [0, 0, 0]],
                "within": [[0.5, None, None], [None, None, None]],
            },
        },
    ]
    return {
        "kind": "halls",
        "first_day": first_day,
        "days": 2,
        "targets": {"target": 0.9, "threshold_s": 600.0},
        "halls": [h for h in halls if branch is None or h["branch"] == branch],
        "branch": branch,
        "summary": {},
    }


def test_a_hotline_plan_is_cut_to_the_days_inside_the_month() -> None:
    november = month_part(hotline_payload(), date(2026, 11, 1), NOV_30)
    assert november is not None
    assert [d.day for d in november.days] == [NOV_30]
    assert november.demand == 60.0  # 10 + 20 + 0 + 30 calls
    assert november.staff_hours == 4.5  # (4 + 5) agents × ½ h
    assert november.peak_staff == 5
    # busy 60 calls × 180 s = 10 800 s over 9 agent half-hours = 16 200 s
    assert november.occupancy == pytest.approx(2 / 3)
    assert november.planned_level == pytest.approx(0.9)  # only the 10 VIP calls of 9:00
    assert (november.target, november.threshold_s) == (0.85, 15.0)
    assert (november.ordinary_target, november.ordinary_threshold_s) == (0.8, 20.0)

    december = month_part(hotline_payload(), DEC_1, date(2026, 12, 31))
    assert december is not None
    assert (december.demand, december.staff_hours, december.peak_staff) == (20.0, 2.0, 2)
    assert december.occupancy == pytest.approx(6000 / 7200)  # 20 × 300 s over 4 × 1 800 s
    assert december.planned_level == pytest.approx((4 * 0.8 + 4 * 0.6) / 8)
    assert month_part(hotline_payload(), date(2026, 10, 1), date(2026, 10, 31)) is None


def test_a_halls_plan_adds_its_halls_per_hour_and_narrows_to_a_branch() -> None:
    province = month_part(halls_payload(), date(2026, 11, 1), NOV_30)
    assert province is not None
    assert (province.demand, province.staff_hours) == (34.0, 4.0)
    assert province.peak_staff == 2  # 9:00 has a counter in each hall, 10:00 two in NJ
    assert province.planned_level == pytest.approx((9 + 16 + 2) / 34)
    assert (province.target, province.threshold_s, province.occupancy) == (0.9, 600.0, None)
    nanjing = month_part(halls_payload(), date(2026, 11, 1), NOV_30, branch="NJ")
    assert nanjing is not None
    assert (nanjing.demand, nanjing.staff_hours, nanjing.peak_staff) == (30.0, 3.0, 2)
    assert nanjing.planned_level == pytest.approx(25 / 30)
    assert month_part(halls_payload(), date(2026, 11, 1), NOV_30, branch="SZ") is None


def test_only_hotline_and_halls_plans_have_staff_per_day() -> None:
    with pytest.raises(ValueError, match="'billing'"):
        month_part({"kind": "billing"}, NOV_30, DEC_1)


@pytest.mark.django_db
def test_plans_for_a_month_are_the_readers_own_newest_first(people: dict[str, Any]) -> None:
    province = services.save_plan(halls_payload(), name="全省营业厅")
    nanjing = services.save_plan(halls_payload("NJ"), name="南京营业厅")
    services.save_plan(halls_payload("WX"), name="无锡营业厅")
    services.save_plan(hotline_payload(), name="热线")

    analyst = people["analyst"]
    every = services.plans_for_month(analyst, "2026-11", "halls")
    assert [p.name for p in every] == ["无锡营业厅", "南京营业厅", "全省营业厅"]
    assert [p.branch for p in every] == ["WX", "NJ", None]
    [hotline] = services.plans_for_month(analyst, "2026-12", "hotline")
    assert (hotline.name, hotline.part.demand) == ("热线", 20.0)
    assert services.plans_for_month(analyst, "2026-10", "hotline") == []

    # The branch version: NJ's own plan and the province plan's NJ hall, no WX figure.
    for_nj = services.plans_for_month(analyst, "2026-11", "halls", branch="NJ")
    assert [(p.plan_id, p.branch, p.part.demand) for p in for_nj] == [
        (nanjing.pk, "NJ", 30.0),
        (province.pk, "NJ", 30.0),
    ]
    # A branch manager reads their branch's plans only, never the province's or WX's.
    mine = services.plans_for_month(people["manager_a"], "2026-11", "halls")
    assert [p.plan_id for p in mine] == [nanjing.pk]
    assert services.plans_for_month(people["manager_a"], "2026-12", "hotline") == []
    with pytest.raises(ValueError, match="'billing'"):
        services.plans_for_month(analyst, "2026-11", "billing")
