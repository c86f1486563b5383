"""A week's shift roster for a hotline plan (issue 5, part 5), as a JSON-able payload.

The requirement is the plan's scheduled agents (after shrinkage) folded onto the seven
weekdays: a plan of more than a week keeps, for each weekday and interval, its largest need,
so the one weekly pattern covers every week of the period. No Django.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from sqm.planning.core import schedule
from sqm.planning.core.kinds import PlanKind

Payload = dict[str, Any]

# A 24 × 7 hotline: day shifts around the morning and evening peaks, a night shift that
# crosses midnight into the next day. Costs are relative (night and evening pay more).
DEFAULT_SHIFTS: tuple[schedule.ShiftType, ...] = (
    schedule.ShiftType("early", 7 * 60, 8 * 60, 100),
    schedule.ShiftType("day", 8 * 60 + 30, 9 * 60, 110),
    schedule.ShiftType("mid", 11 * 60, 8 * 60, 100),
    schedule.ShiftType("late", 14 * 60, 8 * 60, 110),
    schedule.ShiftType("evening", 16 * 60, 8 * 60, 120),
    schedule.ShiftType("night", 22 * 60, 9 * 60, 160),
)


def parse_shift(text: str) -> schedule.ShiftType:
    """``name=HH:MM+hours@cost``, e.g. ``night=22:00+9@160``."""
    try:
        name, rest = text.split("=", 1)
        start, rest = rest.split("+", 1)
        hours, cost = rest.split("@", 1)
        hh, mm = start.split(":", 1)
        return schedule.ShiftType(
            name.strip(), int(hh) * 60 + int(mm), round(float(hours) * 60), int(cost)
        )
    except ValueError as error:
        raise schedule.ScheduleError(
            f"shift {text!r}: write name=HH:MM+hours@cost, e.g. night=22:00+9@160"
        ) from error


def weekly_requirement(plan: Payload) -> np.ndarray:
    """(7, intervals per day) agents to schedule, Monday first, the largest over the period."""
    if plan.get("kind") != PlanKind.HOTLINE:
        raise schedule.ScheduleError("a roster is built from a hotline plan")
    step = int(plan["interval_minutes"])
    per_day = 1440 // step
    starts = pd.DatetimeIndex(plan["intervals"]["start"])
    need = np.asarray(plan["intervals"]["scheduled"], dtype=np.int64)
    week = np.zeros((7, per_day), dtype=np.int64)
    slot = (starts.hour * 60 + starts.minute) // step
    np.maximum.at(week, (np.asarray(starts.day_of_week), np.asarray(slot)), need)
    return week


def default_roster(
    requirement: np.ndarray, shifts: tuple[schedule.ShiftType, ...], step: int
) -> int:
    """Head-count to offer the solver: the agent-intervals needed over the shifts an agent
    works in a week (five), with 60% more for the shape of the curve (an unused agent costs
    nothing: cost is per shift worked); never fewer than the peak of a day."""
    mean_shift = sum(s.length_minutes for s in shifts) / len(shifts) / step
    by_volume = float(requirement.sum()) / (5 * mean_shift)
    return max(math.ceil(1.6 * by_volume), int(requirement.max(initial=0)))


def roster_week(
    plan: Payload,
    *,
    shifts: tuple[schedule.ShiftType, ...] = DEFAULT_SHIFTS,
    agents: int | None = None,
    rules: schedule.RestRules | None = None,
    time_limit_s: float = 10.0,
    under_penalty: int = 1000,
    workers: int = 2,
) -> Payload:
    """Solve the week. Two CP-SAT workers by default: on the demo's week one worker found
    only a one-shift plan in 10 s once the roster passed ~80 agents, two solved every
    roster from 71 to 100 agents to optimality in 2–6 s."""
    requirement = weekly_requirement(plan)
    step = int(plan["interval_minutes"])
    roster = agents if agents is not None else default_roster(requirement, shifts, step)
    problem = schedule.ScheduleProblem(
        requirement,
        step,
        shifts,
        roster,
        rules or schedule.RestRules(),
        under_penalty=under_penalty,
    )
    found = schedule.solve(problem, time_limit_s=time_limit_s, workers=workers)
    table: list[list[str]] = [["" for _ in range(7)] for _ in range(roster)]
    for a in found.assignments:
        table[a.agent][a.day] = a.shift
    working = [row for row in table if any(row)]
    counts = {s.name: [0] * 7 for s in shifts}
    for a in found.assignments:
        counts[a.shift][a.day] += 1
    short = int(sum(u.short for u in found.uncovered))
    return {
        "kind": PlanKind.SCHEDULE.value,
        "hotline_plan": {"first_day": plan["first_day"], "days": plan["days"]},
        "interval_minutes": step,
        "shifts": [
            {
                "name": s.name,
                "start": f"{s.start_minute // 60:02d}:{s.start_minute % 60:02d}",
                "hours": s.length_minutes / 60,
                "cost": s.cost,
            }
            for s in shifts
        ],
        "rules": {
            "min_days_off": problem.rules.min_days_off,
            "max_consecutive_days": problem.rules.max_consecutive_days,
            "min_rest_hours": problem.rules.min_rest_minutes / 60,
        },
        "roster_size": roster,
        "status": found.status,
        "gap": round(found.gap, 4),
        "shift_cost": found.shift_cost,
        "wall_time_s": round(found.wall_time_s, 2),
        "requirement": requirement.tolist(),
        "coverage": np.asarray(found.coverage).tolist(),
        "agents": working,
        "shifts_per_day": counts,
        "uncovered": [
            {
                "day": u.day,
                "start": f"{u.start_minute // 60:02d}:{u.start_minute % 60:02d}",
                "short": u.short,
            }
            for u in found.uncovered
        ],
        "summary": {
            "agents_working": len(working),
            "shifts": len(found.assignments),
            "shift_cost": found.shift_cost,
            "short_agent_intervals": short,
            "status": found.status,
            "gap": round(found.gap, 4),
        },
    }
