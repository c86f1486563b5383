"""`sqm ingest` and `sqm events` run as a user runs them: a separate process on a fresh data dir."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from sqm.events.core.schemas import CALLS
from sqm.events.core.store import EventStore
from tests.conftest import SQM_COMMAND, sqm, sqm_environment
from tests.events.factories import calls_table, csv_lines, write_csv


def test_ingest_prints_the_counts_and_the_quarantine_file_and_events_lists_them(
    tmp_path: Path,
) -> None:
    lines = csv_lines(calls_table(10, days=2))
    lines[3] = lines[3].replace(lines[3].split(",")[3], '"XX"')
    path = tmp_path / "calls.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = sqm(tmp_path / "data", "ingest", "calls", str(path))
    assert done.returncode == 0, done.stderr
    assert "calls: accepted 9, quarantined 1, duplicates 0" in done.stdout
    (quarantine_line,) = [x for x in done.stdout.splitlines() if x.startswith("quarantine: ")]
    assert Path(quarantine_line.removeprefix("quarantine: ")).is_file()

    listed = sqm(tmp_path / "data", "events")
    assert listed.returncode == 0, listed.stderr
    (calls_line,) = [x for x in listed.stdout.splitlines() if " calls " in x]
    assert " 9 " in calls_line and " 2 " in calls_line  # 9 rows over 2 days


def _gbk_file(path: Path) -> Path:
    lines = csv_lines(calls_table(5))
    lines[2] = lines[2].replace("A0042", "张三")
    path.write_bytes(("\n".join(lines) + "\n").encode("gbk"))
    return path


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (lambda d: ["ingest", "call", str(write_csv(calls_table(2), d / "c.csv"))],
         "error: unknown source 'call'"),
        (lambda d: ["ingest", "calls", str(write_csv(calls_table(2).drop_columns(["tier"]),
                                                     d / "c.csv"))],
         "error: calls: missing required column tier"),
        (lambda d: ["ingest", "calls", str(_gbk_file(d / "c.csv"))],
         "error: c.csv is not valid utf-8 at line 3"),
    ],
)  # fmt: skip
def test_errors_exit_with_code_2_and_one_line_without_a_traceback(
    tmp_path: Path, arguments: Callable[[Path], list[str]], message: str
) -> None:
    done = sqm(tmp_path / "data", *arguments(tmp_path))
    assert done.returncode == 2
    assert done.stderr.startswith(message)
    assert len(done.stderr.strip().splitlines()) == 1
    assert "Traceback" not in done.stderr + done.stdout


# -- killed mid-ingest ------------------------------------------------------------------------
ROWS, DAYS, BAD = 150_000, 90, 50


def visible_parquet(data_dir: Path) -> list[Path]:
    return sorted((data_dir / "events" / "calls").glob("day=*/[!.]*.parquet"))


def assert_store_is_whole(data_dir: Path, good: int) -> int:
    """Every visible file complete, no temporary file in sight, no key stored twice."""
    for file in visible_parquet(data_dir):
        table = pq.read_table(file)
        assert table.num_rows == pq.ParquetFile(file).metadata.num_rows > 0
        assert table.schema.remove_metadata() == CALLS.schema
    for path in data_dir.rglob("*"):
        relative = path.relative_to(data_dir).parts
        if path.is_file() and not any(part.startswith(".") for part in relative):
            assert not path.name.endswith(".tmp") and "staging" not in str(path), path
            assert path.suffix in (".parquet", ".csv", ".sqlite3", ".jsonl", ".lock", "") or (
                "sqlite3" in path.name
            ), path
    ids = EventStore(data_dir).read("calls", columns=["call_id"])["call_id"]
    assert len(ids) <= good
    assert pc.count_distinct(ids).as_py() == len(ids)
    return len(ids)


@pytest.mark.slow
def test_an_ingest_killed_at_any_moment_leaves_whole_files_and_a_rerun_completes_it(
    tmp_path: Path,
) -> None:
    table = calls_table(ROWS, days=DAYS, seed=7)
    bad_rows = pa.array([i % (ROWS // BAD) == 3 for i in range(ROWS)])
    table = table.set_column(3, "branch", pc.if_else(bad_rows, "XX", table["branch"]))
    path = write_csv(table, tmp_path / "calls.csv")
    good = ROWS - BAD
    data_dir = tmp_path / "data"
    stored_after: list[int] = []

    def kill_when(ready: Callable[[float, int], bool]) -> None:
        files_before = len(visible_parquet(data_dir)) if data_dir.exists() else 0
        process = subprocess.Popen(
            [*SQM_COMMAND, "ingest", "calls", str(path)],
            env=sqm_environment(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        while process.poll() is None:
            new_files = len(visible_parquet(data_dir)) - files_before if data_dir.exists() else 0
            if ready(time.monotonic() - started, new_files):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.005)
        process.wait(timeout=300)
        stored_after.append(assert_store_is_whole(data_dir, good))

    kill_when(lambda seconds, new: seconds > 1.5)  # starting up or reading the file
    kill_when(lambda seconds, new: new >= 1)  # the first day stored
    kill_when(lambda seconds, new: new >= 20)  # twenty more days stored
    kill_when(lambda seconds, new: new >= 1)

    print("stored after each kill:", stored_after)
    assert any(0 < n < good for n in stored_after), stored_after  # a kill did land mid-way
    done = sqm(data_dir, "ingest", "calls", str(path))
    assert done.returncode == 0, done.stderr
    assert f"accepted {good - stored_after[-1]:,}" in done.stdout
    assert assert_store_is_whole(data_dir, good) == good
    assert len({f.parent for f in visible_parquet(data_dir)}) == DAYS
