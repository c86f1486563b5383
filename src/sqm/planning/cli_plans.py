"""`sqm plan hotline | schedule | halls | billing-cycles` and `sqm simulate hotline`: plans
from the event store, printed, written as JSON, or saved for the web to show and compare."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from sqm.bootstrap import DataDirOption, setup

JsonOption = Annotated[bool, typer.Option("--json", help="Print the plan as JSON")]
SaveOption = Annotated[
    str | None, typer.Option("--save", help="Save the plan under this name (shown on the web)")
]
OutputOption = Annotated[
    Path | None, typer.Option("--output", help="Also write the plan's JSON to this file")
]
PeriodOption = Annotated[
    str | None,
    typer.Option(
        "--period",
        help="YYYY-MM-DD..YYYY-MM-DD, YYYY-MM, YYYY-MM-DD (a day), YYYY-MM-DD/P7D (a week from "
        "that day) or YYYY-Www; default: the week after the last day stored",
    ),
]
PlanOption = Annotated[
    str, typer.Option("--plan", help="A saved plan's id, or a plan JSON file (from --output)")
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _share(value: float, option: str) -> float:
    share = value / 100 if 1 < value <= 100 else value
    if not 0 < share <= 1:
        _fail(f"{option} is a share: 0.85 or 85")
    return share


def _finish(
    payload: dict[str, Any],
    *,
    save: str | None,
    output: Path | None,
    as_json: bool,
    parameters: dict[str, Any],
    based_on: Any = None,
) -> None:
    if save:
        from sqm.planning.services import save_plan

        plan = save_plan(payload, name=save, parameters=parameters, based_on=based_on)
        payload = {**payload, "plan_id": plan.pk}
    if output:
        output.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    if as_json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    summary = payload.get("summary", {})
    typer.echo(f"{payload['kind']} plan" + (f" #{payload['plan_id']}" if save else ""))
    for key, value in summary.items():
        typer.echo(f"  {key.replace('_', ' '):<22} {value}")


def _guarded(run: Any) -> Any:
    from sqm.planning.core.schedule import ScheduleError
    from sqm.planning.core.sources import NoHistory

    try:
        return run()
    except (NoHistory, ScheduleError, ValueError) as error:
        _fail(str(error))


def hotline(
    period: PeriodOption = None,
    interval_minutes: Annotated[int, typer.Option(help="15 or 30")] = 30,
    weeks: Annotated[int, typer.Option(help="Weeks of history to learn from")] = 8,
    branch: Annotated[str | None, typer.Option(help="Only this branch's calls")] = None,
    vip_target: Annotated[float, typer.Option(help="VIP share answered in time")] = 0.85,
    vip_seconds: Annotated[float, typer.Option(help="VIP answer-time target")] = 15.0,
    ordinary_target: Annotated[float, typer.Option(help="Ordinary share in time")] = 0.80,
    ordinary_seconds: Annotated[float, typer.Option(help="Ordinary answer-time target")] = 20.0,
    max_abandon: Annotated[float, typer.Option(help="Cap on ordinary hang-ups")] = 0.05,
    shrinkage: Annotated[float, typer.Option(help="Paid time off the phones")] = 0.30,
    max_occupancy: Annotated[float, typer.Option(help="Cap on agent occupancy")] = 0.90,
    patience_seconds: Annotated[
        float | None, typer.Option(help="Mean patience (default: estimated from history)")
    ] = None,
    save: SaveOption = None,
    output: OutputOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Agents per interval for VIP and ordinary callers: forecast from the calls in the store,
    each interval staffed so both tiers' promises hold."""
    setup(data_dir)
    from sqm.planning import services
    from sqm.planning.core.hotline import HotlineTargets

    store = services.event_store()
    chosen = _guarded(lambda: services.planned_period(period, store))
    targets = _guarded(
        lambda: HotlineTargets(
            _share(vip_target, "--vip-target"),
            vip_seconds,
            _share(ordinary_target, "--ordinary-target"),
            ordinary_seconds,
            max_abandon,
            shrinkage,
            max_occupancy,
            patience_seconds,
        )
    )
    payload = _guarded(
        lambda: services.hotline_plan(
            chosen, targets, interval_minutes=interval_minutes, weeks=weeks, branch=branch
        )
    )
    parameters = {"period": chosen.span, "interval_minutes": interval_minutes, "weeks": weeks}
    _finish(payload, save=save, output=output, as_json=as_json, parameters=parameters)
    if not as_json and payload.get("forecast_error"):
        error = payload["forecast_error"]
        typer.echo(
            f"  forecast WAPE on {error['holdout_first']}..{error['holdout_last']}: "
            f"{error['wape']:.1%} (seasonal naive {error['naive_wape']:.1%})"
        )


def _load_plan(reference: str) -> tuple[dict[str, Any], Any]:
    """(payload, saved Plan or None) from an id or a JSON file."""
    if reference.isdigit():
        from sqm.planning.models import Plan

        plan = Plan.objects.filter(pk=int(reference)).first()
        if plan is None:
            _fail(f"no saved plan #{reference}")
        return plan.payload, plan
    path = Path(reference)
    if not path.is_file():
        _fail(f"--plan {reference!r} is neither a saved plan's id nor a file")
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        _fail(f"cannot read {path}: {error}")
    if not isinstance(payload, dict) or "kind" not in payload:
        _fail(f"{path} is not a plan (no 'kind')")
    return payload, None


def schedule(
    plan: PlanOption,
    agents: Annotated[int | None, typer.Option(help="Roster size (default: from need)")] = None,
    shift: Annotated[
        list[str] | None,
        typer.Option("--shift", help="name=HH:MM+hours@cost, repeatable (default: six shifts)"),
    ] = None,
    min_days_off: Annotated[int, typer.Option(help="Days off per week")] = 2,
    max_consecutive: Annotated[int, typer.Option(help="Longest run of working days")] = 6,
    min_rest_hours: Annotated[float, typer.Option(help="Rest between two shifts")] = 11.0,
    time_limit: Annotated[float, typer.Option(help="Seconds CP-SAT may search")] = 10.0,
    save: SaveOption = None,
    output: OutputOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """A week's roster covering a hotline plan's agents with CP-SAT: the best plan found,
    its gap to optimal, and the intervals it cannot cover."""
    setup(data_dir)
    from sqm.planning import services
    from sqm.planning.core import roster
    from sqm.planning.core.schedule import RestRules

    payload, saved = _load_plan(plan)
    shifts = tuple(_guarded(lambda: [roster.parse_shift(s) for s in shift])) if shift else None
    rules = RestRules(min_days_off, max_consecutive, round(min_rest_hours * 60))
    options: dict[str, Any] = {"agents": agents, "rules": rules, "time_limit_s": time_limit}
    if shifts:
        options["shifts"] = shifts
    result = _guarded(lambda: services.roster_plan(payload, **options))
    parameters = {"agents": agents, "shifts": shift or [], "time_limit_s": time_limit}
    _finish(
        result, save=save, output=output, as_json=as_json, parameters=parameters, based_on=saved
    )


def halls(
    period: PeriodOption = None,
    branch: Annotated[str | None, typer.Option(help="Only this branch's halls")] = None,
    target: Annotated[float, typer.Option(help="Share served within 10 minutes")] = 0.90,
    collectors: Annotated[int, typer.Option(help="Mobile fee collectors per hall")] = 2,
    weeks: Annotated[int, typer.Option(help="Weeks of history to learn from")] = 8,
    save: SaveOption = None,
    output: OutputOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Counters and mobile fee collectors per hall and hour, and opening hours per district
    type, from the hall visits in the store."""
    setup(data_dir)
    from sqm.org.reference import ensure_reference_loaded
    from sqm.planning import services
    from sqm.planning.core.hall_plan import HallTargets

    ensure_reference_loaded()
    store = services.event_store()
    chosen = _guarded(lambda: services.planned_period(period, store, "hall_visits"))
    rules = _guarded(lambda: HallTargets(_share(target, "--target"), collectors=collectors))
    payload = _guarded(
        lambda: services.halls_plan(chosen, rules, branch=branch, weeks=weeks, store=store)
    )
    parameters = {"period": chosen.span, "target": rules.target, "collectors": collectors}
    _finish(payload, save=save, output=output, as_json=as_json, parameters=parameters)
    if not as_json:
        for row in payload["opening_hours"]:
            flag = "" if row["meets_policy"] else "  (policy not met)"
            typer.echo(
                f"  {row['district']:<12} {row['day_type']:<8} {row['open']}–{row['close']} "
                f"covers {row['covered_share']:.1%}{flag}"
            )


def billing_cycles(
    cycles: Annotated[int, typer.Option(help="Number of bill cycles")] = 4,
    bill_days: Annotated[
        str | None, typer.Option(help="Bill days, comma-separated (default: spread evenly)")
    ] = None,
    weeks: Annotated[int, typer.Option(help="Weeks of history to learn from")] = 8,
    save: SaveOption = None,
    output: OutputOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Spread customers over bill cycles to flatten the peak day at halls and the hotline;
    the peak before and after, and the counters and agents it saves."""
    setup(data_dir)
    from sqm.org.reference import ensure_reference_loaded
    from sqm.planning import services

    ensure_reference_loaded()
    days = None
    if bill_days:
        try:
            days = tuple(int(d) for d in bill_days.split(","))
        except ValueError:
            _fail("--bill-days takes day numbers, e.g. 1,8,16,23")
    payload = _guarded(
        lambda: services.billing_cycles_plan(cycles=cycles, bill_days=days, weeks=weeks)
    )
    parameters = {"cycles": cycles, "bill_days": list(days or ()), "weeks": weeks}
    _finish(payload, save=save, output=output, as_json=as_json, parameters=parameters)


def simulate_hotline(
    plan: PlanOption,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    runs: Annotated[int, typer.Option(help="Independent replications")] = 1,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Play a hotline plan's days in the simulator (VIP priority, abandonment): what callers
    would live through, beside what the staffing promised. A saved plan keeps the result."""
    setup(data_dir)
    from sqm.planning import services
    from sqm.planning.core.hotline import simulate_hotline as simulate

    payload, saved = _load_plan(plan)
    result = _guarded(lambda: simulate(payload, seed=seed, runs=runs))
    if saved is not None:
        services.record_simulation(saved, result)
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=2))
        return
    typer.echo(f"simulated {result['calls']:,} calls ({runs} run(s), seed {seed})")
    for key, value in result["simulated"].items():
        promised = result["promised"].get(key)
        beside = f"   promised {promised:.2%}" if isinstance(promised, float) else ""
        shown = f"{value:.2%}" if key.endswith(("level", "abandon", "share")) else f"{value}"
        typer.echo(f"  {key.replace('_', ' '):<24} {shown}{beside}")


def register(plan: typer.Typer, app: typer.Typer) -> None:
    plan.command("hotline")(hotline)
    plan.command("schedule")(schedule)
    plan.command("halls")(halls)
    plan.command("billing-cycles")(billing_cycles)
    simulate_group = typer.Typer(help="What-if simulation of plans.", no_args_is_help=True)
    simulate_group.command("hotline")(simulate_hotline)
    app.add_typer(simulate_group, name="simulate")
