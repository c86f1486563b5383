"""The province view of follow-up per department, read from the action items."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from sqm.complaints.services import working_calendar
from sqm.improvement.core.deadlines import due_at
from sqm.improvement.core.stats import DepartmentStats, Record
from sqm.improvement.core.stats import department_stats as compute
from sqm.improvement.models import ActionItem
from sqm.lib.periods import Period, as_period


def department_stats(
    month: Period | str, *, now: datetime | None = None
) -> dict[str, DepartmentStats]:
    """Per department code: items due in ``month``, completion rate (verified by the due
    moment), overdue count, mean days to close — unscoped: the scorecards' input (callers show
    each person what their role allows). Counted at the month's end, or now for the running
    month."""
    period = as_period(month)
    now = now or timezone.now()
    tz = working_calendar(None).tz
    end = period.end.replace(tzinfo=tz)
    as_of = min(now, end)
    rows = ActionItem.objects.filter(deadline__lte=period.last_day).select_related(
        "owner_department"
    )
    records = [
        Record(
            department=item.owner_department.code,
            created=item.created_at,
            due=due_at(working_calendar(item.branch_id), item.deadline),
            deadline=item.deadline,
            verified=item.verified_at.astimezone(tz) if item.verified_at else None,
        )
        for item in rows
    ]
    return compute(records, period.first_day, period.last_day, as_of)
