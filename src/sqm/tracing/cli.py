"""`sqm trace detect | effect`."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Annotated, Any, NoReturn

import typer

from sqm.bootstrap import DataDirOption, setup

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# The places a signal's JSON names, in the order the issue lists them.
PLACES = ("branch", "hall", "node", "channel", "sender", "category", "subcategory")
WHERE = (*PLACES, "product", "indicator")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _print(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))


def _iso(moment: datetime) -> str:
    """Local time with its offset, as the pages show it."""
    from django.utils import timezone

    return timezone.localtime(moment).isoformat()


def signal_row(signal: Any) -> dict[str, Any]:
    """One stored signal as `sqm trace detect --json` prints it."""
    return {
        "id": signal.pk,
        "kind": signal.kind,
        **{name: getattr(signal, name) or None for name in PLACES},
        "start": _iso(signal.start),
        "end": _iso(signal.end),
        "observed": signal.observed,
        "expected": signal.expected,
        "score": signal.score,
        "evidence_count": signal.evidence_count,
    }


def detect(
    month: Annotated[str, typer.Option("--month", help="YYYY-MM")],
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Run every detector over the month and store the signals (a re-run updates them)."""
    if not MONTH.match(month):
        _fail(f"--month must look like YYYY-MM, got {month!r}")
    directory = setup(data_dir)
    from sqm.tracing.core.sources import NoEvents, detect_month
    from sqm.tracing.services import store_signals

    try:
        findings = detect_month(directory, month)
    except (NoEvents, ValueError) as error:
        _fail(str(error))
    result = store_signals(findings, month)
    if as_json:
        _print({"month": month, "signals": [signal_row(s) for s in result.signals]})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{month}: {len(result.signals)} signals")
    for column in ("id", "kind", "where", "start", "observed", "expected", "score"):
        table.add_column(column, justify="right" if column in ("observed", "score") else "left")
    for s in result.signals:
        # The table also names the product and the indicator, which the JSON's keys leave out.
        where = " ".join(str(getattr(s, p)) for p in WHERE if getattr(s, p))
        table.add_row(
            str(s.pk), s.kind, where, _iso(s.start)[:16], f"{s.observed:g}",
            f"{s.expected:.1f}", f"{s.score:.1f}",
        )  # fmt: skip
    Console().print(table)
    typer.echo(f"{result.created} new, {result.updated} updated, {result.removed} removed")


def effect(
    branch: Annotated[str, typer.Option("--branch", help="Branch code(s), comma-separated")],
    category: Annotated[str, typer.Option("--category", help="Complaint category code")],
    start: Annotated[str, typer.Option("--start", help="Intervention date YYYY-MM-DD")],
    days: Annotated[int, typer.Option("--days", help="Days before and after")] = 28,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Difference-in-differences of a category's complaints: the branches against the others,
    the days before the start date against the start date and the days after it."""
    try:
        day = date.fromisoformat(start)
    except ValueError:
        _fail(f"--start must look like YYYY-MM-DD, got {start!r}")
    if days < 1:
        _fail("--days must be at least 1")
    from sqm.org.core.factors import FACTOR_CODES

    if category not in FACTOR_CODES:
        _fail(f"unknown category {category!r}; use one of: {', '.join(sorted(FACTOR_CODES))}")
    codes = sorted({c.strip() for c in branch.split(",") if c.strip()})
    if not codes:
        _fail("--branch needs at least one branch code")
    setup(data_dir)
    from sqm.org.models import Branch
    from sqm.org.reference import ensure_reference_loaded

    ensure_reference_loaded()
    from sqm.tracing.services import effect_for

    unknown = set(codes) - set(Branch.objects.filter(code__in=codes).values_list("code", flat=True))
    if unknown:
        _fail(f"unknown branch code(s): {', '.join(sorted(unknown))}")
    result = effect_for(codes, category, day, days)
    if as_json:
        _print(result.as_dict())
        return
    typer.echo(
        f"{','.join(codes)} · {category} · {result.before[0]}–{result.before[1]} vs "
        f"{result.after[0]}–{result.after[1]}"
    )
    typer.echo(f"  treated  {result.treated_before:>8,} → {result.treated_after:>8,}")
    typer.echo(f"  control  {result.control_before:>8,} → {result.control_after:>8,}")
    if result.effect != result.effect:  # nan: a window it divides by is empty
        typer.echo("  effect   not measurable (an empty window)")
        return
    typer.echo(
        f"  effect   {result.effect:+.1%}  (95% CI {result.ci_low:+.1%} … {result.ci_high:+.1%})"
    )


def hub_sweep(data_dir: DataDirOption = None) -> None:
    """Send again the TMF events a listener did not receive (the TMF621 and TMF656 hubs'
    outbox): run it every few minutes; each event waits longer after each failure."""
    setup(data_dir)
    from sqm.tmf.hub import sweep

    done = sweep()
    typer.echo(f"sent {done.sent}, waiting {done.waiting}, given up {done.given_up}")


def register(app: typer.Typer) -> None:
    trace = typer.Typer(
        help="Complaint tracing: detect signals, measure a fix's effect.", no_args_is_help=True
    )
    trace.command("detect")(detect)
    trace.command("hub-sweep")(hub_sweep)
    trace.command("effect")(effect)
    app.add_typer(trace, name="trace")
