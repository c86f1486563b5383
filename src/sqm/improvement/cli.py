"""`sqm improvement sweep | agenda`."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated, NoReturn

import typer

from sqm.bootstrap import DataDirOption, setup

improvement = typer.Typer(
    help="Improvement management: meetings, action items, projects, launches.",
    no_args_is_help=True,
)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@improvement.command()
def sweep(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Remind items falling due, notify overdue ones and escalate them one level.

    Idempotent: each reminder, overdue notice and escalation is made once, so this is safe to
    run every minute (and by two schedulers at once)."""
    setup(data_dir)
    from sqm.improvement import services

    report = services.sweep()
    counts = {
        "reminded": report.reminded,
        "overdue": report.overdue,
        "escalated": report.escalated,
        "notified": report.told,
    }
    if as_json:
        typer.echo(json.dumps(counts, ensure_ascii=False))
        return
    typer.echo(
        f"提醒 {report.reminded} 项 · 超期通知 {report.overdue} 项 · 升级 {report.escalated} 项 · "
        f"通知 {report.told} 人次"
    )


@improvement.command()
def agenda(
    day: Annotated[str, typer.Option("--date", help="YYYY-MM-DD: the meeting's day")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """The agenda of a service meeting on that day: red indicators, new signals, open cases,
    overdue and due actions, items carried over (the meeting's own order when one is held)."""
    try:
        meeting_day = date.fromisoformat(day)
    except ValueError:
        _fail(f"--date must look like YYYY-MM-DD, got {day!r}")
    setup(data_dir)
    from sqm.improvement import services

    payload = services.agenda_json(meeting_day)
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    typer.echo(f"{payload['date']} 例会议程（{len(payload['items'])} 项）")
    for n, item in enumerate(payload["items"], start=1):
        where = " · ".join(str(v) for v in (item["branch"], item["department"], item["due"]) if v)
        typer.echo(f"{n:>3}. [{item['kind']}] {item['title']}" + (f"  ({where})" if where else ""))


def register(app: typer.Typer) -> None:
    app.add_typer(improvement, name="improvement")
