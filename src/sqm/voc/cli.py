"""`sqm voc pls | drivers | report | import`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from sqm.bootstrap import DataDirOption, data_dir_from

SCHEMES = ("centroid", "factorial", "path")
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON")]
MonthOption = Annotated[
    list[str] | None, typer.Option("--month", help="YYYY-MM; repeatable (default: all)")
]
BranchOption = Annotated[
    list[str] | None, typer.Option("--branch", help="Branch code; repeatable (default: all)")
]


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _print(payload: Any) -> None:
    typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))


def pls(
    data: Annotated[Path, typer.Option("--data", help="CSV or Excel file, one row a respondent")],
    model: Annotated[
        str,
        typer.Option("--model", help="Model YAML file, or a shipped one: ecsi_mobi, sqm_factors"),
    ],
    scheme: Annotated[
        str, typer.Option("--scheme", help="Inner weighting: centroid, factorial or path")
    ] = "path",
    resamples: Annotated[
        int, typer.Option("--bootstrap", min=0, help="Bootstrap resamples for intervals")
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap random seed")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Estimate a PLS path model: paths, R², weights, loadings, quality and 0–100 indices."""
    from sqm.voc.core.analysis import pls_summary
    from sqm.voc.core.model import MODELS_DIR, ModelError, load_model
    from sqm.voc.core.pls import EstimationError
    from sqm.voc.core.quality import NegativeWeightError
    from sqm.voc.intake import read_table

    if scheme not in SCHEMES:
        _fail(f"--scheme must be one of {', '.join(SCHEMES)}")
    path = Path(model)
    if not path.exists() and (MODELS_DIR / f"{model}.yaml").exists():
        path = MODELS_DIR / f"{model}.yaml"
    try:
        frame = read_table(data)
        summary = pls_summary(load_model(path), frame, scheme, resamples, seed)  # type: ignore[arg-type]
    except (ModelError, EstimationError, NegativeWeightError, OSError, ValueError) as error:
        _fail(str(error))
    if as_json:
        _print(summary)
        return
    typer.echo(f"{summary['respondents']} respondents, scheme {scheme}, GoF {summary['gof']:.3f}")
    for path_row in summary["paths"]:
        typer.echo(f"  {path_row['from']:>14} → {path_row['to']:<14} {path_row['value']:.4f}")
    for construct, value in summary["r_squared"].items():
        typer.echo(f"  R² {construct:<14} {value:.4f}")
    for construct, value in summary.get("indices", {}).items():
        typer.echo(f"  index {construct:<14} {value:.1f}")


def drivers(
    by: Annotated[
        str | None, typer.Option("--by", help="branch or tier: one list per group")
    ] = None,
    method: Annotated[
        str, typer.Option("--method", help="relative_weights (Johnson) or shapley (LMG)")
    ] = "relative_weights",
    month: MonthOption = None,
    branch: BranchOption = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Which factors to fix first: largest effect on satisfaction and lowest score."""
    from sqm.voc.core import analysis

    if method not in ("relative_weights", "shapley"):
        _fail("--method must be relative_weights or shapley")
    if by not in (None, "branch", "tier"):
        _fail("--by must be branch or tier")
    frame = _study(data_dir, month, branch)
    if by:
        result: Any = analysis.drivers_by(frame, by, method)  # type: ignore[arg-type]
    else:
        result = analysis.drivers(frame, method)  # type: ignore[arg-type]
    if as_json:
        _print(result)
        return
    groups = result if by else {"": result}
    for group, found in groups.items():
        if group:
            typer.echo(f"[{group}]")
        if found.get("error"):
            typer.echo(f"  {found['error']} ({found['respondents']} respondents)")
            continue
        for row in found["factors"][:10]:
            typer.echo(
                f"  {row['rank']:>2}. {row['factor']:<18} importance {row['importance']:.3f}  "
                f"score {row['performance']:.1f}  {row['quadrant']}"
            )


def report(
    month: MonthOption = None,
    branch: BranchOption = None,
    target_gap: Annotated[
        float, typer.Option("--target-gap", help="Allowed gap to the leader, index points")
    ] = 1.8,
    excel: Annotated[Path | None, typer.Option("--excel", help="Also write an Excel file")] = None,
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Satisfaction index, factor gaps (SERVQUAL), provider gaps and the competitor view."""
    from sqm.voc import services

    directory = data_dir_from(data_dir)
    result = services.full_report(directory, months=month, branches=branch, target_gap=target_gap)
    if excel:
        from sqm.lib.excel import write_workbook
        from sqm.voc.export import sheets

        write_workbook(excel, sheets(result))
    if as_json:
        _print(result)
        return
    index = result["index"]
    value = index.get("index", float("nan"))
    typer.echo(f"satisfaction index: {value:.1f} ({index['respondents']} respondents)")
    for gap in result["gaps"][:5]:
        typer.echo(f"  gap {gap['factor']:<18} {gap['gap']:+.2f}")
    for point in result["competitors"]["trend"]:
        verdict = "met" if point["met"] else "missed"
        typer.echo(
            f"  {point['period']}: us {point['ours']:.1f} vs {point['leader']} "
            f"{point['leader_score']:.1f} ({verdict})"
        )


def import_surveys(
    files: Annotated[list[Path], typer.Argument(help="CSV or Excel survey files")],
    as_json: JsonOption = False,
    data_dir: DataDirOption = None,
) -> None:
    """Validate survey answers, store the good rows, quarantine the bad ones with reasons."""
    from sqm.voc.intake import IntakeError, import_file

    directory = data_dir_from(data_dir)
    reports = []
    for path in files:
        try:
            reports.append(import_file(directory, path))
        except (IntakeError, OSError) as error:
            _fail(f"{path}: {error}")
    if as_json:
        _print(reports)
        return
    for entry in reports:
        typer.echo(
            f"{entry['file']}: {entry['rows']} rows, {entry['stored']} stored, "
            f"{entry['duplicates']} already there, {entry['quarantined']} quarantined"
        )


def _study(data_dir: Path | None, months: list[str] | None, branches: list[str] | None) -> Any:
    from sqm.events.core.store import EventStore
    from sqm.voc.core.study import StudyFilter, read_study

    where = StudyFilter(
        months=frozenset(months) if months else None,
        branches=frozenset(branches) if branches else None,
    )
    return read_study(EventStore(data_dir_from(data_dir)), where)


def register(app: typer.Typer) -> None:
    voc = typer.Typer(help="Customer satisfaction: PLS index, drivers, gaps.", no_args_is_help=True)
    voc.command("pls")(pls)
    voc.command("drivers")(drivers)
    voc.command("report")(report)
    voc.command("import")(import_surveys)
    app.add_typer(voc, name="voc")
