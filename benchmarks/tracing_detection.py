"""Complaint tracing: are the demo's planted incidents found, and how many signals are not?

    .venv/bin/python benchmarks/tracing_detection.py [--scale tiny] [--seeds 5] \
        [--months 2024-02,2024-03] [--data-dir var/bench/tracing]

For each seed, the demo generates the months (the second with its planted fix), then
`sqm.tracing.core.sources.run_detection` runs every detector over each month with the months before
it as history — never reading the manifest. `sqm.tracing.core.scoring` then matches signals to
the manifest's incidents (same kind family, same place, overlapping window; its docstring has
the rules): recall, false alarms (signals matching no incident; short-boards are standing
findings and counted apart), time to detect (hours from an incident's start to the end of the
first matching signal's window) and the detection time per month.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import time
from pathlib import Path

from sqm.demo.core.generator import generate_month
from sqm.events.core.store import EventStore
from sqm.tracing.core.scoring import score
from sqm.tracing.core.sources import run_detection


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", default="tiny")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--months", default="2024-02,2024-03")
    parser.add_argument("--data-dir", type=Path, default=Path("var/bench/tracing"))
    args = parser.parse_args()
    months = args.months.split(",")
    rows = []
    kinds: dict[str, list[bool]] = {}
    for seed in range(1, args.seeds + 1):
        folder = args.data_dir / f"{args.scale}-{seed}"
        shutil.rmtree(folder, ignore_errors=True)
        manifests = {}
        for month in months:
            report = generate_month(
                folder, scale=args.scale, month=month, seed=seed, fix_month=months[-1]
            )
            manifests[month] = json.loads(report.manifest.read_text(encoding="utf-8"))
        events = sum(EventStore(folder).summary(s).rows for s in ("complaints", "calls"))
        for month in months:
            started = time.perf_counter()
            detection = run_detection(folder, month)
            seconds = time.perf_counter() - started
            incidents = manifests[month]["incidents"]
            result = score(detection.signals, incidents)
            for incident in incidents:
                if incident["kind"] != "fix_effect":
                    found = str(incident["id"]) not in result.missed
                    kinds.setdefault(str(incident["kind"]), []).append(found)
            rows.append((seed, month, result, seconds, events))
            hours = list(result.hours_to_detect.values())
            print(
                f"seed {seed} {month}: recall {result.found}/{result.incidents}, "
                f"{result.signals} signals, {result.false_alarms} false alarms "
                f"({result.false_alarm_share:.0%}), {result.standing} short-boards, median "
                f"{statistics.median(hours) if hours else float('nan'):.0f} h to detect, "
                f"{seconds:.1f} s; missed {list(result.missed)}",
                flush=True,
            )
    found = sum(r[2].found for r in rows)
    total = sum(r[2].incidents for r in rows)
    signals = sum(r[2].signals for r in rows)
    false = sum(r[2].false_alarms for r in rows)
    hours = [h for r in rows for h in r[2].hours_to_detect.values()]
    print()
    print(f"| scale {args.scale}, {args.seeds} seeds × {len(months)} months | value |")
    print("|---|---|")
    print(f"| recall of planted incidents | {found}/{total} = {found / total:.1%} |")
    print(f"| false alarms per month | {false / len(rows):.2f} |")
    print(f"| false alarms / signals | {false}/{signals} = {false / max(signals, 1):.1%} |")
    print(f"| median hours to detect | {statistics.median(hours):.0f} |")
    print(f"| detection seconds per month (median) | {statistics.median(r[3] for r in rows):.2f} |")
    for kind, hits in sorted(kinds.items()):
        print(f"| recall {kind} | {sum(hits)}/{len(hits)} |")


if __name__ == "__main__":
    main()
