"""The `sqm` command. Each domain adds its commands from its own ``cli`` module."""

from __future__ import annotations

import typer

from sqm.bootstrap import DataDirOption

app = typer.Typer(
    name="sqm",
    help="SQM — service quality management for telecom customer service.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register_domains() -> None:
    # Imported here so that `sqm --help` stays fast and each domain owns its commands.
    from sqm.assessment import cli as assessment_cli
    from sqm.complaints import cli as complaints_cli
    from sqm.complaints.workdays import cli as calendar_cli
    from sqm.demo import cli as demo_cli
    from sqm.demo import showcase
    from sqm.events import cli as events_cli
    from sqm.improvement import cli as improvement_cli
    from sqm.indicators import cli as indicators_cli
    from sqm.notifications import cli as notifications_cli
    from sqm.org import cli as org_cli
    from sqm.planning import cli as planning_cli
    from sqm.spam import cli as spam_cli
    from sqm.tracing import cli as tracing_cli
    from sqm.voc import cli as voc_cli
    from sqm.web import cli as web_cli

    for module in (
        org_cli,
        events_cli,
        demo_cli,
        showcase,
        indicators_cli,
        complaints_cli,
        calendar_cli,
        planning_cli,
        spam_cli,
        voc_cli,
        tracing_cli,
        notifications_cli,
        improvement_cli,
        assessment_cli,
        web_cli,
    ):
        module.register(app)


_register_domains()


@app.command()
def version() -> None:
    """Print SQM's version."""
    from sqm import __version__

    typer.echo(__version__)


def main() -> None:
    app()


__all__ = ["DataDirOption", "app", "main"]
