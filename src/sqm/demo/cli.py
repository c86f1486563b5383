"""`sqm generate`: write one month of the demo province into the event store."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from sqm.bootstrap import DataDirOption, setup


def _previous_month(today: date | None = None) -> str:
    today = today or date.today()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return f"{year:04d}-{month:02d}"


def generate(
    scale: Annotated[
        str, typer.Option(help="tiny (~0.1M events), small (~2M), medium (~20M), province (≥300M)")
    ] = "small",
    month: Annotated[str | None, typer.Option(help="YYYY-MM (default: last month)")] = None,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives the same data")
    ] = 2026,
    billing_cycles: Annotated[
        int, typer.Option(help="Bill dates per month: 1 = everyone on day 1 (R6: try 4)")
    ] = 1,
    progress: Annotated[bool, typer.Option(help="Show a progress bar on a terminal")] = True,
    data_dir: DataDirOption = None,
) -> None:
    """Generate one month of events for all ten sources (re-running a month replaces it)."""
    from rich.console import Console
    from rich.table import Table

    from sqm.demo.core.generator import generate_month
    from sqm.demo.core.scales import SCALES

    if scale not in SCALES:
        raise typer.BadParameter(f"choose one of {', '.join(SCALES)}", param_hint="--scale")
    directory = setup(data_dir)
    from sqm.org.reference import ensure_reference_loaded  # needs Django set up

    ensure_reference_loaded()
    report = generate_month(
        directory,
        scale=scale,
        month=month or _previous_month(),
        seed=seed,
        progress=progress,
        billing_cycles=billing_cycles,
    )
    console = Console()
    table = Table(title=f"{report.month} · {report.scale} · seed {report.seed}")
    table.add_column("source")
    table.add_column("events", justify="right")
    for source, rows in report.rows.items():
        table.add_row(source, f"{rows:,}")
    table.add_row("[bold]total", f"[bold]{report.total_events:,}")
    console.print(table)
    console.print(
        f"{report.seconds:.1f} s · {report.events_per_s:,.0f} events/s · "
        f"peak RSS {report.peak_rss_mb:,.0f} MB"
    )
    console.print(f"planted incidents: {len(report.incidents.incidents)} → {report.manifest}")


def register(app: typer.Typer) -> None:
    app.command("generate")(generate)
