"""`sqm complaints sweep | export | import | callbacks`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sqm.bootstrap import DataDirOption, setup


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _day(value: str, option: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} takes a date YYYY-MM-DD, got {value!r}")


def sweep(
    at: Annotated[
        str | None, typer.Option("--at", help="Sweep as of this ISO time (default: now)")
    ] = None,
    lock_wait: Annotated[
        float | None,
        typer.Option(
            "--lock-wait",
            min=0,
            help="Seconds to wait for due work orders other sessions hold (PostgreSQL; 90)",
        ),
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Mark SLA warnings and breaches of open work orders; escalate breached ones. Safe to run
    from a scheduler every few minutes, twice at once, or again. Exits 1 when due work orders
    stayed locked by other sessions past --lock-wait: they are not marked yet."""
    setup(data_dir)
    from django.utils import timezone

    from sqm.complaints.workflow.sweeper import sweep as run_sweep

    moment = None
    if at:
        try:
            moment = datetime.fromisoformat(at)
        except ValueError:
            _fail(f"--at takes an ISO time, got {at!r}")
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
    result = run_sweep(moment, lock_wait=lock_wait)
    counts = ", ".join(f"{k} {v}" for k, v in result.counts().items())
    typer.echo(f"sweep: {counts} ({result.seconds:.2f} s)")
    if result.skipped:
        typer.echo(
            f"error: {result.skipped} due work orders were locked by other sessions for more "
            f"than {result.lock_wait:g} s and are not marked; run the sweep again",
            err=True,
        )
        raise typer.Exit(1)


def export(
    day: Annotated[
        list[str] | None, typer.Option("--day", help="Export this day (repeatable)")
    ] = None,
    all_days: Annotated[bool, typer.Option("--all", help="Export every day")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Snapshot work orders into the `complaints` event source. Without options: the nightly
    run, every day with a work order changed in the last two days."""
    directory = setup(data_dir)
    from sqm.complaints.exchange import export as exporting
    from sqm.events.core.store import EventStore
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()
    store = EventStore(directory)
    if day:
        run = exporting.export_days(store, [_day(d, "--day") for d in day])
    elif all_days:
        run = exporting.export_days(store, exporting.all_days())
    else:
        run = exporting.export_nightly(store)
    days = ", ".join(d.isoformat() for d in run.days) or "none"
    typer.echo(
        f"exported {run.rows} work orders over {len(run.days)} days ({days}); "
        f"kept {run.kept} rows of other producers; refused {run.rejected}"
    )


def import_(
    path: Annotated[Path, typer.Argument(help="A .csv or .xlsx file", show_default=False)],
    user: Annotated[
        str, typer.Option("--user", help="Login of the recording employee (first-ask owner)")
    ],
    rejected: Annotated[
        Path | None, typer.Option("--rejected", help="Where bad rows go (default: beside it)")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """Create a work order per good row; bad rows go to a rejected file with their reason."""
    setup(data_dir)
    from django.contrib.auth import get_user_model
    from django.core.exceptions import PermissionDenied

    from sqm.complaints.exchange.importing import ImportFileError, import_file
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()
    try:
        actor = get_user_model().objects.get(username=user)
    except get_user_model().DoesNotExist:
        _fail(f"no user {user!r} (create one with `sqm createuser`)")
    try:
        report = import_file(actor, path, rejected)
    except (ImportFileError, OSError) as error:
        _fail(str(error))
    except PermissionDenied as error:
        _fail(f"{user}: {error}")
    typer.echo(
        f"{report.rows} rows: created {len(report.created)}, already imported "
        f"{report.duplicates}, rejected {report.rejected}"
        + (f" → {report.rejected_path}" if report.rejected_path else "")
    )
    if report.rejected:
        raise typer.Exit(1)


def callbacks(
    day: Annotated[
        str | None, typer.Option("--day", help="Day of the calls (default: yesterday)")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """来电必复: a callback task for every abandoned call of an identified customer."""
    directory = setup(data_dir)
    from django.utils import timezone

    from sqm.complaints.workflow.callbacks import create_callbacks
    from sqm.events.core.store import EventStore
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()
    chosen = _day(day, "--day") if day else timezone.localdate() - timedelta(days=1)
    run = create_callbacks(EventStore(directory), chosen)
    typer.echo(
        f"{chosen}: {run.abandoned} abandoned calls, {run.unidentified} without a customer; "
        f"created {run.created} callbacks, {run.existing} already there"
        + (f", {run.unknown_branch} with an unknown branch" if run.unknown_branch else "")
    )


def register(app: typer.Typer) -> None:
    complaints = typer.Typer(
        help="Complaint work orders: SLA sweep, export, bulk import, callbacks.",
        no_args_is_help=True,
    )
    complaints.command("sweep")(sweep)
    complaints.command("export")(export)
    complaints.command("import")(import_)
    complaints.command("callbacks")(callbacks)
    app.add_typer(complaints, name="complaints")
