"""`sqm ingest` and `sqm events`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from sqm.bootstrap import DataDirOption, data_dir_from, setup

ADAPTOR_DEFAULT_BRANCH = "NJ"


def ingest(
    source: Annotated[str, typer.Argument(help="Event source: calls, hall_visits, complaints, …")],
    path: Annotated[Path, typer.Argument(help="The file to ingest", show_default=False)],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv, parquet or anonymous-bank (default: from the file's suffix)",
            show_default=False,
        ),
    ] = None,
    branch: Annotated[
        str,
        typer.Option("--branch", help="Branch code for adaptors whose files name none"),
    ] = ADAPTOR_DEFAULT_BRANCH,
    encoding: Annotated[
        str, typer.Option("--encoding", help="Text encoding of a CSV file (e.g. gb18030)")
    ] = "utf-8",
    data_dir: DataDirOption = None,
) -> None:
    """Validate a file and add its good rows to the event store; bad rows are quarantined."""
    # The core is imported late so that `sqm --help` does not load pyarrow.
    from sqm.events.core.adaptors import get_adaptor
    from sqm.events.core.ingest import IngestError, ingest_file
    from sqm.events.core.store import EventStore
    from sqm.events.core.validation import SchemaError

    directory = setup(data_dir)
    from sqm.org.reference import ensure_reference_loaded, load_reference_codes

    ensure_reference_loaded()
    codes = load_reference_codes()
    adaptor = get_adaptor(fmt) if fmt else None
    options = {"branch": branch} if adaptor is not None and "branch" in adaptor.options else {}
    console = Console()
    errors = Console(stderr=True)
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            TimeElapsedColumn(),
            console=errors,
            transient=True,
            disable=not errors.is_terminal,
        ) as bar:
            task = bar.add_task(f"reading {path.name}", total=None)

            def progress(stage: str, done: int, total: int | None) -> None:
                bar.update(task, description=f"{stage} {path.name}: {done:,} rows")

            report = ingest_file(
                path,
                source,
                codes,
                EventStore(directory),
                fmt,
                encoding=encoding,
                progress=progress,
                **options,
            )
    except (IngestError, SchemaError) as error:
        _fail(str(error))
    if report.removed:
        _print_removed(console, report.source, report.removed, directory)
    for warning in report.warnings:
        console.print("[yellow]warning:[/]", escape(warning), highlight=False, soft_wrap=True)
    console.print(
        f"{report.source}: accepted [bold green]{report.accepted:,}[/], "
        f"quarantined [bold {'red' if report.quarantined else 'green'}]{report.quarantined:,}[/], "
        f"duplicates [bold]{report.duplicates:,}[/]",
        highlight=False,
        soft_wrap=True,
    )
    if report.quarantine_path is not None:
        console.print(
            f"quarantine: {report.quarantine_path}", highlight=False, markup=False, soft_wrap=True
        )


def events(data_dir: DataDirOption = None) -> None:
    """Show how many rows and days each event source holds, and remove what killed writers left."""
    from sqm.events.core.schemas import SOURCES
    from sqm.events.core.store import EventStore

    store = EventStore(data_dir_from(data_dir))
    console = Console()
    busy: list[str] = []
    for name in SOURCES:
        if not store.source_dir(name).is_dir() and not any(store.staging_root.glob(f"{name}-*")):
            continue  # never written: nothing to clean, and no folder to create for a lock
        # A source being written now keeps its temporaries: they are its writer's, not leftovers.
        with store.lock(name, wait=False) as held:
            if not held:
                busy.append(name)
                continue
            removed = store.remove_leftovers(name)
        if removed:
            _print_removed(console, name, removed, store.data_dir)
    table = Table(title=f"event store: {store.root}")
    for column in ("source", "rows", "days", "first day", "last day", "size"):
        table.add_column(column, justify="right" if column in ("rows", "days", "size") else "left")
    for name in SOURCES:
        summary = store.summary(name)
        table.add_row(
            name,
            f"{summary.rows:,}",
            str(summary.days),
            str(summary.first_day or "—"),
            str(summary.last_day or "—"),
            _size(summary.bytes),
        )
    console.print(table)
    for name in busy:
        console.print(
            f"{name}: being written now ({store.lock_holder(name) or 'another process'}); "
            "its temporary files are not counted",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


def _print_removed(
    console: Console, source: str, removed: tuple[Path, ...] | list[Path], data_dir: Path
) -> None:
    """One line per removed leftover, relative to the data dir, so the user sees what went."""
    console.print(
        f"{source}: removed {len(removed)} temporary file(s) or folder(s) left by killed writers:",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    for path in removed:
        shown = path.relative_to(data_dir) if path.is_relative_to(data_dir) else path
        console.print(f"  {shown}", highlight=False, markup=False, soft_wrap=True)


def _size(count: int) -> str:
    value = float(count)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("events")(events)
