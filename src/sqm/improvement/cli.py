"""`sqm improvement sweep | agenda`."""

from __future__ import annotations

import typer

improvement = typer.Typer(
    help="Improvement management: meetings, action items, projects, launches.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(improvement, name="improvement")
