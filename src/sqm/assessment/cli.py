"""`sqm assess` and `sqm report monthly`."""

from __future__ import annotations

import typer

report = typer.Typer(help="Reports: the monthly service quality report.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    from sqm.assessment.commands import accountability, assess
    from sqm.assessment.report.cli import monthly

    report.command("monthly")(monthly)
    app.add_typer(report, name="report")
    app.command("assess")(assess)
    app.add_typer(accountability, name="accountability")
