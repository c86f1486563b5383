"""Hall plans (issue 5, part 6): counters and mobile fee collectors per hall and hour from the
forecast of visits, and opening hours per district type from the observed demand. No Django.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from sqm.planning.core import forecast, halls
from sqm.planning.core.kinds import PlanKind
from sqm.planning.core.sources import HallHistory

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class HallInfo:
    code: str
    name: str
    branch: str
    district: str
    counters: int


@dataclass(frozen=True, slots=True)
class HallTargets:
    target: float = 0.90  # share of visitors served within the threshold
    threshold_s: float = halls.TEN_MINUTES_S
    collectors: int = 2  # mobile fee collectors a hall can send into the queue
    payment_share: float = 0.40

    def __post_init__(self) -> None:
        if not 0 < self.target < 1:
            raise ValueError("target must be in (0, 1)")
        if self.threshold_s <= 0 or self.collectors < 0 or not 0 <= self.payment_share < 1:
            raise ValueError("threshold must be positive, collectors ≥ 0, payment share in [0, 1)")


def plan_halls(
    visits: HallHistory,
    info: dict[str, HallInfo],
    first_day: date,
    days: int,
    targets: HallTargets | None = None,
) -> Payload:
    rules = targets or HallTargets()
    if days < 1:
        raise ValueError("plan at least one day")
    model = forecast.fit(visits.history)
    day_index = pd.date_range(pd.Timestamp(first_day), periods=days, freq="D")
    counts, _aht = model.predict_arrays(day_index)  # halls × days × 24
    plans: list[Payload] = []
    for g, (code, _queue) in enumerate(model.groups):
        hall = info.get(code)
        if hall is None:  # a hall no longer in the reference data: nothing to staff
            continue
        limits = halls.HallLimits(
            counters=hall.counters,
            collectors=rules.collectors,
            payment_share=rules.payment_share,
        )
        grid: dict[str, list[list[Any]]] = {"visits": [], "counters": [], "collectors": []}
        grid["within"] = []
        failing = 0
        for d in range(days):
            hours = halls.staff_hall(
                counts[g, d],
                visits.service_s[code],
                limits,
                target=rules.target,
                threshold_s=rules.threshold_s,
            )
            grid["visits"].append([round(h.visits, 2) for h in hours])
            grid["counters"].append([h.counters if h.visits > 0.05 else 0 for h in hours])
            grid["collectors"].append([h.collectors for h in hours])
            grid["within"].append([_round(h.within_threshold) for h in hours])
            failing += sum(1 for h in hours if not h.meets_target and h.visits > 0.05)
        counter_hours = int(np.sum(grid["counters"]))
        collector_hours = int(np.sum(grid["collectors"]))
        plans.append(
            {
                **asdict(hall),
                "service_s": round(visits.service_s[code], 1),
                "visits": round(float(counts[g].sum()), 1),
                "counter_hours": counter_hours,
                "collector_hours": collector_hours,
                "peak_servers": int(
                    np.max(np.add(grid["counters"], grid["collectors"]), initial=0)
                ),
                "hours_short": failing,
                "grid": grid,
            }
        )
    return {
        "kind": PlanKind.HALLS.value,
        "first_day": first_day.isoformat(),
        "days": days,
        "days_list": [d.date().isoformat() for d in day_index],
        "targets": asdict(rules),
        "history": {
            "first": visits.window.first.isoformat(),
            "last": visits.window.last.isoformat(),
            "visits": visits.visits,
        },
        "halls": plans,
        "opening_hours": opening_hours(visits, info),
        "summary": {
            "halls": len(plans),
            "visits": round(sum(p["visits"] for p in plans)),
            "counter_hours": sum(p["counter_hours"] for p in plans),
            "collector_hours": sum(p["collector_hours"] for p in plans),
            "hours_short": sum(p["hours_short"] for p in plans),
        },
    }


def opening_hours(visits: HallHistory, info: dict[str, HallInfo]) -> list[Payload]:
    """Per district type and day type (working day, weekend): the recommended window from
    the mean hourly demand of that type's halls. Demand is observed only while halls are
    open, so a window can shrink or shift inside today's hours, not reach beyond them."""
    weekend = np.asarray(visits.history.days.day_of_week >= 5)
    found = []
    for district in halls.District:
        rows = [
            g
            for g, (code, _q) in enumerate(visits.history.groups)
            if code in info and info[code].district == district.value
        ]
        if not rows:
            continue
        for day_type, mask in (("workday", ~weekend), ("weekend", weekend)):
            if not mask.any():
                continue
            hourly = visits.history.counts[rows][:, mask].sum(axis=0)  # days × 24
            hours = halls.recommend_hours(hourly, district)
            mean_day = float(hourly.sum(axis=1).mean()) / len(rows)
            found.append(
                {
                    "district": district.value,
                    "day_type": day_type,
                    "halls": len(rows),
                    "open": f"{hours.open_hour:02d}:00",
                    "close": f"{hours.close_hour:02d}:00",
                    "hours": hours.hours,
                    "covered_share": _round(hours.covered_share),
                    "meets_policy": hours.meets_policy,
                    "visits_per_hall_day": round(mean_day, 1),
                    "profile": [round(float(x), 2) for x in hourly.mean(axis=0) / len(rows)],
                }
            )
    return found


def _round(value: float, digits: int = 4) -> float | None:
    return round(float(value), digits) if math.isfinite(value) else None
