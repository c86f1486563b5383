"""`sqm assess --month YYYY-MM [--json]` and `sqm accountability export | import`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.table import Table

from sqm.bootstrap import DataDirOption, setup

MonthOption = Annotated[str, typer.Option("--month", help="YYYY-MM")]

accountability = typer.Typer(
    help="The accountability map (认责): which department answers for each indicator.",
    no_args_is_help=True,
)


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _month(text: str) -> str:
    from sqm.assessment.core.history import check_month

    try:
        return check_month(text)
    except ValueError as error:
        _fail(str(error))


def assess(
    month: MonthOption,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Score the 13 branches and the provincial departments for a month (13+N)."""
    month = _month(month)
    setup(data_dir)
    from sqm.assessment import services
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()
    try:
        assessment = services.assess(month)
    except services.NoFigures as error:
        _fail(str(error))
    if as_json:
        typer.echo(json.dumps(assessment.as_json(), ensure_ascii=False, indent=2))
        return
    console = Console()
    console.print(f"{month} · {assessment.scheme_name} ({assessment.scheme_version})")
    for kind, title in (("branch", "分公司 branches"), ("department", "省公司部门 departments")):
        table = Table(title=title)
        for column in ("rank", "unit", "score", "items", "bonus", "penalty", "veto", "change"):
            table.add_column(column, justify="right" if column != "unit" else "left")
        for u in assessment.units:
            if u.kind != kind:
                continue
            table.add_row(
                str(u.rank),
                f"{u.name_zh} ({u.unit})",
                f"{u.score:.2f}",
                f"{u.performance:.2f}",
                f"{u.bonus:.2f}",
                f"{u.penalty:.2f}",
                u.veto or "",
                "" if u.change is None else f"{u.change:+.2f}",
            )
        console.print(table)
    for missing in assessment.unassessed:
        console.print(
            f"not assessed: {missing.name_zh} ({missing.unit}) — no scored item is its own"
        )


@accountability.command("export")
def export(
    month: MonthOption,
    out: Annotated[Path | None, typer.Option("--out", help="YAML file (default: stdout)")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Write the map in force in a month as YAML."""
    month = _month(month)
    setup(data_dir)
    from sqm.assessment import services

    text = services.export_map(month)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote {out}")


@accountability.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="YAML file: accountable: {indicator: department}")],
    effective_from: Annotated[
        str, typer.Option("--effective-from", help="YYYY-MM, this month or later")
    ],
    note: Annotated[str, typer.Option("--note", help="Why the map changes")] = "",
    user: Annotated[str | None, typer.Option("--user", help="Login recorded as the author")] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Record the changes the file makes to the map, from a month on (history is kept)."""
    effective_from = _month(effective_from)
    if not path.exists():
        _fail(f"{path} does not exist")
    setup(data_dir)
    from django.contrib.auth import get_user_model

    from sqm.assessment import services
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()

    author = None
    if user is not None:
        author = get_user_model().objects.filter(username=user).first()
        if author is None:
            _fail(f"no user {user!r}")
    try:
        imported = services.import_map(
            path.read_text(encoding="utf-8"), effective_from, note, by=author
        )
    except ValueError as error:  # ClosedMonth included
        _fail(str(error))
    for change in imported.changed:
        typer.echo(f"{change.indicator} → {change.department} from {change.effective_from}")
    typer.echo(f"{len(imported.changed)} changed, {imported.unchanged} unchanged")
