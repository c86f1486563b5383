"""What a saved hotline or halls plan planned for the days it shares with a month: its staff
per day and the service it promised, read from the plan's payload (the form ``plan_hotline``
and ``plan_halls`` return). The monthly report sets these beside the month's actual figures.

A plan that covers a week across two months is cut to the days inside the month; a halls plan
may be narrowed to one branch's halls. No Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqm.planning.core.kinds import PlanKind

Payload = dict[str, Any]


@dataclass(frozen=True, slots=True)
class PlannedDay:
    day: date
    demand: float  # forecast calls (hotline) or visits (halls)
    staff_hours: float  # agent-hours (hotline) or counter-hours (halls), before shrinkage
    peak_staff: int  # most agents (counters) in one interval of the day


@dataclass(frozen=True, slots=True)
class PlannedPart:
    """One plan's days inside a month, its targets and what it expected to deliver."""

    kind: str
    days: tuple[PlannedDay, ...]
    target: float  # share (0–1) served within ``threshold_s`` (hotline: the VIP promise)
    threshold_s: float
    ordinary_target: float | None  # hotline only: the ordinary tier's promise
    ordinary_threshold_s: float | None
    occupancy: float | None  # hotline: planned occupancy, busy time over staffed time
    planned_level: float | None  # the share within the threshold the plan expected

    @property
    def demand(self) -> float:
        return sum(d.demand for d in self.days)

    @property
    def staff_hours(self) -> float:
        return sum(d.staff_hours for d in self.days)

    @property
    def peak_staff(self) -> int:
        return max((d.peak_staff for d in self.days), default=0)

    def per_day(self, value: float) -> float | None:
        return value / len(self.days) if self.days else None


def month_part(
    payload: Payload, first: date, last: date, *, branch: str | None = None
) -> PlannedPart | None:
    """The part of ``payload`` in ``[first, last]`` (None: the plan has no day there). For a
    halls plan, ``branch`` keeps only that branch's halls (None if it has none)."""
    kind = payload.get("kind")
    if kind == PlanKind.HOTLINE:
        return _hotline(payload, first, last)
    if kind == PlanKind.HALLS:
        return _halls(payload, first, last, branch)
    raise ValueError(f"only hotline and halls plans staff days, not {kind!r}")


def _days(payload: Payload) -> list[date]:
    start = date.fromisoformat(payload["first_day"])
    return [start + timedelta(days=n) for n in range(int(payload["days"]))]


def _hotline(payload: Payload, first: date, last: date) -> PlannedPart | None:
    cols = payload["intervals"]
    per_day = len(cols["start"]) // int(payload["days"])
    interval_h = payload["interval_minutes"] / 60
    days: list[PlannedDay] = []
    busy = staffed = within = calls_in = 0.0
    for d, day in enumerate(_days(payload)):
        if not first <= day <= last:
            continue
        span = range(d * per_day, (d + 1) * per_day)
        calls = [cols["vip_calls"][i] + cols["ordinary_calls"][i] for i in span]
        agents = [cols["agents"][i] for i in span]
        days.append(PlannedDay(day, sum(calls), sum(agents) * interval_h, max(agents, default=0)))
        for i, c in zip(span, calls, strict=True):
            busy += c * cols["aht_s"][i]
            staffed += cols["agents"][i] * interval_h * 3600
            level = cols["vip_service_level"][i]
            if level is not None and cols["vip_calls"][i] > 0:
                within += level * cols["vip_calls"][i]
                calls_in += cols["vip_calls"][i]
    if not days:
        return None
    targets = payload["targets"]
    return PlannedPart(
        kind=PlanKind.HOTLINE.value,
        days=tuple(days),
        target=float(targets["vip_target"]),
        threshold_s=float(targets["vip_threshold_s"]),
        ordinary_target=float(targets["ordinary_target"]),
        ordinary_threshold_s=float(targets["ordinary_threshold_s"]),
        occupancy=min(busy / staffed, 1.0) if staffed else None,
        planned_level=within / calls_in if calls_in else None,
    )


def _halls(payload: Payload, first: date, last: date, branch: str | None) -> PlannedPart | None:
    halls = [h for h in payload["halls"] if branch is None or h.get("branch") == branch]
    if not halls:
        return None
    days: list[PlannedDay] = []
    within = visits_in = 0.0
    for d, day in enumerate(_days(payload)):
        if not first <= day <= last:
            continue
        demand = 0.0
        open_counters: list[int] = []  # per hour, every hall of the plan together
        for hall in halls:
            grid = hall["grid"]
            visits, counters = grid["visits"][d], grid["counters"][d]
            demand += sum(visits)
            open_counters = [
                a + b for a, b in zip(open_counters or [0] * len(counters), counters, strict=True)
            ]
            for v, w in zip(visits, grid["within"][d], strict=True):
                if w is not None and v > 0:
                    within += w * v
                    visits_in += v
        days.append(PlannedDay(day, demand, sum(open_counters), max(open_counters, default=0)))
    if not days:
        return None
    targets = payload["targets"]
    return PlannedPart(
        kind=PlanKind.HALLS.value,
        days=tuple(days),
        target=float(targets["target"]),
        threshold_s=float(targets["threshold_s"]),
        ordinary_target=None,
        ordinary_threshold_s=None,
        occupancy=None,
        planned_level=within / visits_in if visits_in else None,
    )
