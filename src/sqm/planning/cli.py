"""`sqm plan erlang`: agents for one interval with Erlang B, C or A, or the measures of a
given head-count. The plans built from the event store are in :mod:`sqm.planning.cli_plans`."""

from __future__ import annotations

import json
import math
from typing import Annotated, Any, NoReturn

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _print(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def _rounded(value: float | None, digits: int = 6) -> float | None:
    """Rounded for display; ∞ (an unstable Erlang C queue) becomes null, valid JSON."""
    if value is None or not math.isfinite(value):
        return None
    return round(value, digits)


def erlang(
    model: Annotated[str, typer.Option("--model", help="b (loss), c (queue) or a (abandonment)")],
    calls: Annotated[float, typer.Option("--calls", help="Calls offered in the interval")],
    interval_minutes: Annotated[
        float, typer.Option("--interval-minutes", help="Length of the interval")
    ],
    aht_seconds: Annotated[float, typer.Option("--aht-seconds", help="Average handling time")],
    service_level: Annotated[
        float,
        typer.Option("--service-level", help="Target share answered in time: 0.8 (or 80)"),
    ],
    target_seconds: Annotated[
        float | None,
        typer.Option("--target-seconds", help="Answer-time target (models c and a)"),
    ] = None,
    patience_seconds: Annotated[
        float | None, typer.Option("--patience-seconds", help="Mean patience (model a)")
    ] = None,
    shrinkage: Annotated[
        float, typer.Option("--shrinkage", help="Share of paid time off the phones")
    ] = 0.0,
    max_occupancy: Annotated[
        float, typer.Option("--max-occupancy", help="Cap on agent occupancy, e.g. 0.85")
    ] = 1.0,
    agents: Annotated[
        int | None, typer.Option("--agents", help="Measures for this many agents on the phones")
    ] = None,
    as_json: JsonOption = False,
) -> None:
    """Agents needed for one interval (raw and after shrinkage), or the measures of --agents."""
    from sqm.planning.core import staffing

    if model not in staffing.MODELS:
        _fail("--model must be b, c or a")
    if model in ("c", "a") and target_seconds is None:
        _fail(f"--target-seconds is required for model {model}")
    if model == "a" and patience_seconds is None:
        _fail("--patience-seconds is required for model a")
    if model != "a" and patience_seconds is not None:
        _fail("--patience-seconds applies to model a only")
    if 1 < service_level < 100:
        service_level /= 100
    if not 0 <= shrinkage < 1:
        _fail("--shrinkage must be in [0, 1)")
    if not 0 < max_occupancy <= 1:
        _fail("--max-occupancy must be in (0, 1]")
    if agents is not None and agents < 0:
        _fail("--agents must be non-negative")
    kind: staffing.Model = model
    try:
        demand = staffing.Demand(
            calls=calls,
            interval_s=interval_minutes * 60,
            aht_s=aht_seconds,
            target=service_level,
            threshold_s=target_seconds if target_seconds is not None else 0.0,
            patience_s=patience_seconds if patience_seconds is not None else math.inf,
        )
        if agents is None:
            found = staffing.staff(kind, demand, shrinkage=shrinkage, max_occupancy=max_occupancy)
            raw, scheduled, measured = found.raw_agents, found.agents, found.metrics
        else:
            raw, measured = agents, staffing.metrics(kind, agents, demand)
            scheduled = staffing.with_shrinkage(agents, shrinkage)
    except ValueError as error:
        _fail(str(error))
    meets = measured.service_level >= demand.target and measured.occupancy <= max_occupancy
    if kind == "c":
        meets = meets and raw > demand.traffic
    payload: dict[str, Any] = {
        "model": kind,
        "traffic_erlangs": _rounded(demand.traffic),
        "raw_agents": raw,
        "agents": scheduled,
        "service_level": _rounded(measured.service_level),
        "occupancy": _rounded(measured.occupancy),
        "wait_probability": _rounded(measured.wait_probability),
        "asa_seconds": _rounded(measured.asa_s, 3),
        "meets_target": meets,
    }
    if kind == "a":
        payload["abandon_rate"] = _rounded(measured.abandon_rate)
    if kind == "b":
        payload["blocking"] = _rounded(measured.blocking)
    if as_json:
        _print(payload)
        return
    typer.echo(
        f"Erlang {kind.upper()}: {payload['traffic_erlangs']:.3f} Erlangs → "
        f"{raw} agents on the phones, {scheduled} to schedule"
    )
    for key in ("service_level", "occupancy", "wait_probability", "abandon_rate", "blocking"):
        if key in payload:
            typer.echo(f"  {key.replace('_', ' '):<17} {payload[key]:.2%}")
    asa = payload["asa_seconds"]
    typer.echo(
        f"  {'ASA':<17} " + ("∞ (the queue grows without end)" if asa is None else f"{asa:.1f} s")
    )
    if not meets:
        typer.echo("  target NOT met")


def register(app: typer.Typer) -> None:
    from sqm.planning import cli_plans

    plan = typer.Typer(
        help="Capacity planning: Erlang staffing, hotline, roster, halls, billing cycles.",
        no_args_is_help=True,
    )
    plan.command("erlang")(erlang)
    cli_plans.register(plan, app)
    app.add_typer(plan, name="plan")
