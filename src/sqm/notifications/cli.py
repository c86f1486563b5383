"""`sqm notify digest`."""

from __future__ import annotations

import typer

notify = typer.Typer(help="Notifications: the daily digest mail.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(notify, name="notify")
