"""The province view of follow-up, per department: completion rate, overdue count, mean days to
close — the figures the 13+N scorecards take for the departments.

For a month:
- *completion rate*: of the items due in the month, the share verified by their due moment;
- *overdue*: items due in the month that were not verified by their due moment (still open
  or closed late), counted at ``as_of`` (the month's end, or now for the running month);
- *mean days to close*: calendar days from creation to verification, over the items verified
  in the month (None when none were).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class Record:
    department: str
    created: datetime
    due: datetime  # the moment the item falls due (``deadlines.due_at``)
    deadline: date
    verified: datetime | None


@dataclass(frozen=True, slots=True)
class DepartmentStats:
    department: str
    due: int
    completed_on_time: int
    overdue: int
    closed: int  # verified within the month
    mean_days_to_close: float | None

    @property
    def completion_rate(self) -> float | None:
        return self.completed_on_time / self.due if self.due else None


def department_stats(
    records: Iterable[Record], first: date, last: date, as_of: datetime
) -> dict[str, DepartmentStats]:
    """Per department, for the month ``first``..``last`` (inclusive), counted at ``as_of``."""
    due: dict[str, int] = {}
    on_time: dict[str, int] = {}
    overdue: dict[str, int] = {}
    closing_days: dict[str, list[float]] = {}
    for r in records:
        d = r.department
        if first <= r.deadline <= last:
            due[d] = due.get(d, 0) + 1
            verified = r.verified if r.verified is not None and r.verified <= as_of else None
            if verified is not None and verified <= r.due:
                on_time[d] = on_time.get(d, 0) + 1
            elif r.due <= as_of:
                overdue[d] = overdue.get(d, 0) + 1
        if r.verified is not None and r.verified <= as_of and first <= r.verified.date() <= last:
            days = (r.verified - r.created).total_seconds() / 86400
            closing_days.setdefault(d, []).append(days)
    departments = sorted(set(due) | set(closing_days))
    return {
        d: DepartmentStats(
            department=d,
            due=due.get(d, 0),
            completed_on_time=on_time.get(d, 0),
            overdue=overdue.get(d, 0),
            closed=len(closing_days.get(d, [])),
            mean_days_to_close=(
                sum(closing_days[d]) / len(closing_days[d]) if closing_days.get(d) else None
            ),
        )
        for d in departments
    }
