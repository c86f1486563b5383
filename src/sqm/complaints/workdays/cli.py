"""`sqm calendar refresh | show`: the working calendar behind complaint deadlines."""

from __future__ import annotations

from typing import Annotated

import typer

from sqm.bootstrap import DataDirOption, setup
from sqm.complaints.cli import _fail

YearOption = Annotated[
    int | None, typer.Option("--year", help="Calendar year (default: this year)", min=1900)
]


def refresh(year: YearOption = None, data_dir: DataDirOption = None) -> None:
    """Write a year's official holidays and 调休 working weekends into the province calendar
    (branch days are kept) and recompute the deadlines of the open work orders they move.
    Run it once the next year's schedule is published (each November, after `make
    lock-upgrade`)."""
    setup(data_dir)
    from django.utils import timezone

    from sqm.complaints.workdays.holidays import CalendarDataMissing, refresh_year

    try:
        report = refresh_year(year or timezone.localdate().year)
    except CalendarDataMissing as error:
        _fail(str(error))
    typer.echo(
        f"calendar {report.year}: {report.holidays} official days off, {report.workdays} "
        f"调休 working days; added {report.added}, changed {report.changed}; deadlines "
        f"recomputed on {report.recomputed} open work orders"
    )


def show(
    year: YearOption = None,
    branch: Annotated[
        str | None, typer.Option("--branch", help="Branch code: its own days on top")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """List a year's holidays and working weekends, province-wide and the branch's own."""
    setup(data_dir)
    from django.db.models import Q
    from django.utils import timezone

    from sqm.complaints.models import CalendarDay
    from sqm.org.models import Branch

    rows = CalendarDay.objects.filter(date__year=year or timezone.localdate().year)
    if branch is None:
        rows = rows.filter(branch__isnull=True)
    else:
        if not Branch.objects.filter(code=branch).exists():
            _fail(f"unknown branch {branch!r}")
        rows = rows.filter(Q(branch__isnull=True) | Q(branch__code=branch))
    for row in rows.select_related("branch").order_by("date", "branch__code"):
        where = row.branch.code if row.branch else "province"
        kind = "workday" if row.is_workday else "holiday"
        typer.echo(f"{row.date}  {row.date:%a}  {kind:<7}  {where:<8}  {row.name}")


def register(app: typer.Typer) -> None:
    calendar = typer.Typer(
        help="The working calendar of complaint deadlines: official holidays, 调休 days.",
        no_args_is_help=True,
    )
    calendar.command("refresh")(refresh)
    calendar.command("show")(show)
    app.add_typer(calendar, name="calendar")
