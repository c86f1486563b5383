"""How long the monthly report takes for a small-scale month (issue 17: "takes seconds").

    .venv/bin/python benchmarks/monthly_report.py [--data-dir var/bench/report] \
        [--scale small] [--month YYYY-MM] [--repeat 3]

Without a demo in the data dir, it first runs `sqm demo --no-serve --scale SCALE` there (two
months generated and computed; not timed). Then, for the province and for one branch, it builds
the report REPEAT times and prints each stage's median: reading the month's figures, building
the sections (which runs the satisfaction analysis and the tracing effects), laying out the
PDF with Typst, and writing the workbook — and the file sizes and page count.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from io import BytesIO
from pathlib import Path

from sqm.bootstrap import setup


def _demo(data_dir: Path, scale: str) -> None:
    if (data_dir / "sqm.sqlite3").exists():
        return
    print(f"generating a {scale} demo in {data_dir} (not timed) …", flush=True)
    sqm = Path(sys.executable).with_name("sqm")
    subprocess.run(
        [str(sqm), "demo", "--no-serve", "--scale", scale, "--data-dir", str(data_dir)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench/report"))
    parser.add_argument("--scale", default="small")
    parser.add_argument("--month", default=None, help="default: the newest computed month")
    parser.add_argument("--branch", default="NJ")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    _demo(args.data_dir, args.scale)
    setup(args.data_dir)
    from pypdf import PdfReader

    from sqm.assessment.report import build, figures, render, sections
    from sqm.indicators import services as indicators
    from sqm.lib import documents, excel

    month = args.month or indicators.periods()[0]
    reader = figures.province_reader()
    print(f"month {month}, scale {args.scale}, {args.repeat} runs each (median seconds)")
    for branch in (None, args.branch):
        stages: dict[str, list[float]] = {"figures": [], "sections": [], "pdf": [], "xlsx": []}
        for _run in range(args.repeat):
            t0 = time.perf_counter()
            ctx = build.context(reader, month, branch)
            t1 = time.perf_counter()
            report = sections.report(ctx)
            t2 = time.perf_counter()
            pdf = documents.render_pdf(render.document(report, "benchmark"))
            t3 = time.perf_counter()
            xlsx = excel.workbook_bytes(render.sheets(report))
            t4 = time.perf_counter()
            for stage, seconds in zip(stages, (t1 - t0, t2 - t1, t3 - t2, t4 - t3), strict=True):
                stages[stage].append(seconds)
        medians = {stage: statistics.median(values) for stage, values in stages.items()}
        pages = len(PdfReader(BytesIO(pdf)).pages)
        shown = "  ".join(f"{stage} {seconds:.2f}" for stage, seconds in medians.items())
        print(
            f"{branch or 'province':>8}: total {sum(medians.values()):.2f} s  ({shown});"
            f" PDF {len(pdf) / 1024:.0f} KiB, {pages} pages; workbook {len(xlsx) / 1024:.0f} KiB"
        )


if __name__ == "__main__":
    main()
