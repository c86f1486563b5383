"""`sqm report monthly --month YYYY-MM --pdf FILE --xlsx FILE [--branch CODE]`."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from sqm.assessment.report.months import month_period
from sqm.bootstrap import DataDirOption, setup


def _fail(message: str) -> NoReturn:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def monthly(
    month: Annotated[str, typer.Option("--month", help="YYYY-MM")],
    pdf: Annotated[Path, typer.Option("--pdf", help="Where to write the PDF")],
    xlsx: Annotated[Path, typer.Option("--xlsx", help="Where to write the Excel workbook")],
    branch: Annotated[
        str | None, typer.Option("--branch", help="A branch code: that branch against the province")
    ] = None,
    data_dir: DataDirOption = None,
) -> None:
    """The monthly service quality report (月度服务质量分析报告) as a PDF and a workbook."""
    for path in (pdf, xlsx):
        if not path.parent.is_dir():
            _fail(f"no folder {path.parent} to write {path.name} in")
    if pdf.suffix.lower() != ".pdf" or xlsx.suffix.lower() != ".xlsx":
        _fail("--pdf names a .pdf file and --xlsx an .xlsx file")
    from sqm.lib.periods import PeriodError

    try:
        # Before setup: a mistyped month is refused at once, without touching the database.
        month_period(month)
    except PeriodError as error:
        _fail(str(error))
    setup(data_dir)
    from sqm.assessment.report import build, figures
    from sqm.lib.documents import DocumentError

    started = time.perf_counter()
    try:
        built = build.build(figures.province_reader(), month, branch)
    except (PeriodError, build.UnknownBranch, DocumentError) as error:
        _fail(str(error))
    build.write(built, pdf, xlsx)
    seconds = time.perf_counter() - started
    sections = len(built.report.sections)
    typer.echo(f"{pdf} ({len(built.pdf):,} bytes), {xlsx} ({len(built.xlsx):,} bytes)")
    typer.echo(f"{sections} sections for {built.report.scope_name} {month} in {seconds:.1f} s")
