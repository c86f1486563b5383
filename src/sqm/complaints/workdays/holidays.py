"""The province calendar's public holidays and 调休 working weekends, from the official schedule.

The State Council publishes each year's schedule in the autumn before; the ``chinesecalendar``
package carries it (one release per year, pinned in uv.lock: ``make lock-upgrade`` brings the
next year's). ``refresh_year`` writes a year into the province-wide CalendarDay rows; each
branch's own rows are never touched and keep winning over them. Every migrate (so every `sqm`
command, ``sqm demo`` included) adds the official days still missing for last year, this year
and next, so a fresh install has its holidays without anyone typing them in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from sqm.complaints.models import CalendarDay, WorkOrder
from sqm.complaints.workdays import calendars

PACKAGE = "chinesecalendar"
# The package names its holidays in English; the calendar speaks the users' language.
NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}
WORKDAY_SUFFIX = "调休上班"


class CalendarDataMissing(LookupError):
    """The installed package has no official schedule for the year asked."""


@dataclass(frozen=True, slots=True)
class RefreshReport:
    year: int
    holidays: int  # official days off in the year
    workdays: int  # official 调休 working weekend days
    added: int
    changed: int
    recomputed: int  # open work orders whose deadlines moved


def covered_years() -> range:
    """The years the installed package has the official schedule for."""
    from chinese_calendar import constants

    years = {day.year for day in constants.holidays} | {day.year for day in constants.workdays}
    return range(min(years), max(years) + 1)


def official_days(year: int) -> dict[date, tuple[bool, str]]:
    """date → (is_workday, name) for every official day off and 调休 working day of ``year``."""
    from chinese_calendar import constants

    covered = covered_years()
    if year not in covered:
        raise CalendarDataMissing(
            f"{PACKAGE} {version(PACKAGE)} has the official holidays of "
            f"{covered.start}–{covered.stop - 1}, not of {year}; the State Council publishes a "
            f"year's schedule in the autumn before, and a {PACKAGE} release carries it soon "
            "after: run `make lock-upgrade` (or upgrade the package), then refresh again"
        )
    days: dict[date, tuple[bool, str]] = {}
    for day, name in constants.holidays.items():
        if day.year == year:
            days[day] = (False, NAMES.get(name, name))
    for day, name in constants.workdays.items():
        if day.year == year:
            days[day] = (True, f"{NAMES.get(name, name)}{WORKDAY_SUFFIX}")
    return days


def refresh_year(year: int, *, overwrite: bool = True) -> RefreshReport:
    """Make the province's rows for ``year`` say what the official schedule says.

    Adds the official days that have no province row; with ``overwrite`` also corrects rows
    that differ. Rows of days the schedule does not list (a province-wide day of its own) are
    kept, and so is every branch row. Open work orders whose clocks span a changed day get
    their deadlines recomputed.
    """
    official = official_days(year)
    with transaction.atomic():
        # Ordered by date alone: the model's order joins the branch, which FOR UPDATE refuses.
        rows = CalendarDay.objects.filter(branch__isnull=True, date__year=year).order_by("date")
        if overwrite:
            rows = rows.select_for_update()  # not for seeding: it writes nothing most times
        existing = {row.date: row for row in rows}
        new = [
            CalendarDay(date=day, is_workday=workday, name=name)
            for day, (workday, name) in sorted(official.items())
            if day not in existing
        ]
        # Two commands seeding at once: the other's rows are as good as ours.
        CalendarDay.objects.bulk_create(new, ignore_conflicts=True)
        changed = []
        if overwrite:
            for day, (workday, name) in official.items():
                row = existing.get(day)
                if row is not None and (row.is_workday, row.name) != (workday, name):
                    moved = row.is_workday != workday
                    row.is_workday, row.name = workday, name
                    changed.append((row, moved))
            CalendarDay.objects.bulk_update([row for row, _ in changed], ["is_workday", "name"])
        moved_days = [row.date for row in new] + [row.date for row, moved in changed if moved]
        recomputed = calendars.recompute_open_deadlines(moved_days) if moved_days else 0
        if new or changed:
            calendars.clear_cache()
    workdays = sum(1 for workday, _ in official.values() if workday)
    return RefreshReport(
        year, len(official) - workdays, workdays, len(new), len(changed), recomputed
    )


def seed_official_years(today: date | None = None) -> list[RefreshReport]:
    """Add the official days still missing for last year, this year and next (those the
    package has); rows already there, edited or not, are left as they are."""
    this_year = (today or timezone.localdate()).year
    covered = covered_years()
    return [
        refresh_year(year, overwrite=False)
        for year in (this_year - 1, this_year, this_year + 1)
        if year in covered
    ]


def seed_after_migrate(using: str = DEFAULT_DB_ALIAS, **_: Any) -> None:
    """post_migrate: a fresh database gets its holidays; later runs find nothing to add."""
    if using != DEFAULT_DB_ALIAS:
        return
    tables = set(connections[using].introspection.table_names())
    if {CalendarDay._meta.db_table, WorkOrder._meta.db_table} <= tables:
        seed_official_years()
