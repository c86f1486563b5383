"""`sqm compute` and `sqm indicators`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, NoReturn

import pyarrow as pa
import typer

from sqm.bootstrap import DataDirOption, setup

OUTPUT_FORMATS = (".csv", ".parquet", ".xlsx")


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def compute(
    period: Annotated[
        str,
        typer.Option(
            "--period",
            help="YYYY-MM-DD (a day), YYYY-MM-DD..YYYY-MM-DD, YYYY-MM-DD/P7D, YYYY-Www, YYYY-MM, "
            "YYYY-Qn or YYYY",
        ),
    ],
    by: Annotated[
        str | None,
        typer.Option(
            "--by",
            help="Dimensions, comma-separated (branch,hall,channel,tier,agent,factor,day,week,"
            "month); default: every cut the dashboards read",
        ),
    ] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb or spark")] = "duckdb",
    out: Annotated[
        Path | None, typer.Option("--out", help="Also write the rows to .csv, .parquet or .xlsx")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON summary")] = False,
    data_dir: DataDirOption = None,
) -> None:
    """Compute every indicator for a period into the results table (and optionally a file)."""
    from sqm.lib.periods import PeriodError, parse_period

    try:  # parsed once, here; the object goes down to the engine
        chosen = parse_period(period)
    except PeriodError as error:
        _fail(str(error))
    if engine not in ("duckdb", "spark"):
        _fail(f"unknown engine {engine!r}: use duckdb or spark")
    if out is not None and out.suffix.lower() not in OUTPUT_FORMATS:
        _fail(f"cannot write {out.name}: use one of {', '.join(OUTPUT_FORMATS)}")
    root = setup(data_dir)
    from sqm.indicators.export import write_table
    from sqm.indicators.results import DASHBOARD_CUTS, compute_and_store, parse_cut

    try:
        cuts = [parse_cut(by)] if by is not None else list(DASHBOARD_CUTS)
        computed = compute_and_store(root, chosen, cuts, engine)
    except (ValueError, ImportError) as error:
        _fail(str(error))
    if not any(c.result_set.rows for c in computed):
        _fail(f"no events for {chosen.label} in {root}: run `sqm generate` or `sqm ingest` first")
    summary = [
        {
            "cut": c.result_set.cut or "province",
            "rows": c.result_set.rows,
            "seconds": c.result_set.seconds,
            "skipped": len(c.result_set.skipped),
        }
        for c in computed
    ]
    if out is not None:
        table = _combined(
            [c.computation.table for c in computed], [c.result_set.cut for c in computed]
        )
        write_table(table, out)
    if as_json:
        typer.echo(
            json.dumps({"period": chosen.label, "engine": engine, "cuts": summary}, indent=2)
        )
        return
    for line in summary:
        typer.echo(
            f"{chosen.label} {line['cut']:<14} {line['rows']:>7} rows  {line['seconds']:>6.2f} s"
            f"  {line['skipped']} indicators not computable for this cut"
        )
    if out is not None:
        typer.echo(f"wrote {out}")


def _combined(tables: list[pa.Table], cuts: list[str]) -> pa.Table:
    """One table: the columns of a single cut as they are; several cuts side by side under
    every dimension they use, with a ``cut`` column saying which dimensions split each row."""
    if len(tables) == 1:
        return tables[0]
    from sqm.indicators.core.spec import DIMENSIONS

    used = [d for d in DIMENSIONS if any(d in t.column_names for t in tables)]
    aligned = []
    for table, cut in zip(tables, cuts, strict=True):
        columns = {"cut": pa.array([cut or "province"] * table.num_rows, pa.string())}
        columns["indicator"] = table["indicator"]
        for d in used:
            columns[d] = (
                table[d] if d in table.column_names else pa.nulls(table.num_rows, pa.string())
            )
        for name in ("period", "value", "numerator", "denominator", "target", "status"):
            columns[name] = table[name]
        aligned.append(pa.table(columns))
    return pa.concat_tables(aligned)


def indicators(
    docs: Annotated[
        bool, typer.Option("--docs", help="Regenerate docs/indicators.md from the catalog")
    ] = False,
    docs_path: Annotated[
        Path | None, typer.Option("--docs-path", help="Where to write the reference")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="The catalog as JSON")] = False,
) -> None:
    """List the indicator catalog (id, group, unit, target)."""
    from sqm.indicators.core import docs as reference
    from sqm.indicators.core.catalog import load_catalog

    if docs:
        typer.echo(f"wrote {reference.write(docs_path or reference.DOCS_PATH)}")
        return
    catalog = load_catalog()
    if as_json:
        typer.echo(json.dumps([i.model_dump(mode="json") for i in catalog.indicators], indent=1))
        return
    for indicator in catalog.indicators:
        targets = "; ".join(
            f"{'≥' if t.bound == 'at_least' else '≤'}{t.value:g}"
            + (f" ({','.join(t.tiers)})" if t.tiers else "")
            for t in indicator.targets
        )
        typer.echo(
            f"{indicator.id:<44} {indicator.group:<11} {indicator.unit:<22} "
            f"{indicator.name_zh}  {targets}"
        )
    typer.echo(f"{len(catalog.indicators)} indicators")


def register(app: typer.Typer) -> None:
    app.command("compute")(compute)
    app.command("indicators")(indicators)
