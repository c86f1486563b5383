"""`sqm notify digest`."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated

import typer

from sqm.bootstrap import DataDirOption, setup

notify = typer.Typer(help="Notifications: the daily digest mail.", no_args_is_help=True)

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _day(text: str | None) -> date:
    from django.utils import timezone

    if text is None:
        return timezone.localdate()
    try:
        if not DAY.match(text):
            raise ValueError("not YYYY-MM-DD")
        return date.fromisoformat(text)
    except ValueError as error:
        typer.echo(f"error: --date must be a day YYYY-MM-DD, got {text!r} ({error})", err=True)
        raise typer.Exit(2) from None


@notify.command()
def digest(
    day: Annotated[
        str | None, typer.Option("--date", help="YYYY-MM-DD (default: today, local time)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Mail each person the day's digest of their unread notifications — once per person per
    day, so it is safe to run again (run it at the end of the working day). Exits 1 when a
    mail failed (nothing was recorded for that person: the next run retries)."""
    setup(data_dir)
    which = _day(day)
    from sqm.notifications.services import send_digests

    counts = send_digests(which)
    if as_json:
        typer.echo(json.dumps({"date": which.isoformat(), **counts}))
    else:
        typer.echo(
            f"digest {which}: sent {counts['sent']}, already sent {counts['already']}, "
            f"failed {counts['failed']}"
        )
    if counts["failed"]:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(notify, name="notify")
