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


def test_events_removes_and_names_what_killed_writers_left_and_spares_a_live_writer(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    csv_path = write_csv(calls_table(10), tmp_path / "c.csv")
    assert sqm(data_dir, "ingest", "calls", str(csv_path)).returncode == 0
    store = EventStore(data_dir)
    temporary = store.files("calls")[0].parent / ".part-0123.parquet.tmp"
    temporary.write_bytes(b"PAR1")
    run = store.staging_root / f"calls-{'a' * 32}"
    (run / "2026-03-01").mkdir(parents=True)

    with store.lock("calls"):  # an ingest writing now: its temporaries are not leftovers
        busy = sqm(data_dir, "events")
    assert busy.returncode == 0, busy.stderr
    assert "calls: being written now (pid " in busy.stdout
    assert temporary.exists() and run.exists()

    listed = sqm(data_dir, "events")
    assert listed.returncode == 0, listed.stderr
    assert (
        "calls: removed 2 temporary file(s) or folder(s) left by killed writers:" in listed.stdout
    )
    assert str(temporary.relative_to(data_dir)) in listed.stdout
    assert str(run.relative_to(data_dir)) in listed.stdout
    assert not temporary.exists() and not run.exists()
    assert "removed" not in sqm(data_dir, "events").stdout


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


def temporaries(data_dir: Path) -> list[Path]:
    """Hidden files and folders a writer makes (and a killed one leaves) in the store."""
    events = data_dir / "events" / "calls"
    inside = [*events.glob(".*"), *events.glob("day=*/.*")] if events.exists() else []
    runs = [*(data_dir / ".staging").glob("*")] if (data_dir / ".staging").exists() else []
    return sorted({p for p in inside if p.name != ".lock"} | set(runs))


def while_writing(scan: Callable[[Path], list[Path]], data_dir: Path) -> list[Path]:
    """``scan(data_dir)`` while a writer is at work: a folder it renames or removes in the
    middle of the scan is not an error of the store, so the scan is taken again."""
    for _ in range(1_000):
        try:
            return scan(data_dir)
        except FileNotFoundError:
            continue
    return scan(data_dir)


@pytest.mark.slow
def test_an_ingest_killed_at_any_moment_leaves_whole_files_and_a_rerun_completes_it(
    tmp_path: Path,
) -> None:
    duckdb = pytest.importorskip("duckdb")
    table = calls_table(ROWS, days=DAYS, seed=7)
    bad_rows = pa.array([i % (ROWS // BAD) == 3 for i in range(ROWS)])
    table = table.set_column(3, "branch", pc.if_else(bad_rows, "XX", table["branch"]))
    path = write_csv(table, tmp_path / "calls.csv")
    good = ROWS - BAD
    data_dir = tmp_path / "data"
    stored_after: list[int] = []
    left_after: list[list[Path]] = []

    def kill_when(ready: Callable[[float, int, bool], bool]) -> None:
        files_before = len(visible_parquet(data_dir)) if data_dir.exists() else 0
        process = subprocess.Popen(
            [*SQM_COMMAND, "ingest", "calls", str(path)],
            env=sqm_environment(data_dir),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started = time.monotonic()
        while process.poll() is None:
            new_files = (
                len(while_writing(visible_parquet, data_dir)) - files_before
                if data_dir.exists()
                else 0
            )
            writing = any(p.suffix == ".tmp" for p in while_writing(temporaries, data_dir))
            if ready(time.monotonic() - started, new_files, writing):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.002)
        process.wait(timeout=300)
        stored_after.append(assert_store_is_whole(data_dir, good))
        left_after.append(temporaries(data_dir))

    # Eight moments: starting up, reading the file, and in the middle of writing a day's file
    # or right after one, early and late in the run.
    kill_when(lambda seconds, new, writing: seconds > 1.0)
    kill_when(lambda seconds, new, writing: (data_dir / ".staging").exists() and seconds > 2.5)
    kill_when(lambda seconds, new, writing: writing)
    kill_when(lambda seconds, new, writing: new >= 1)
    kill_when(lambda seconds, new, writing: writing and new >= 3)
    kill_when(lambda seconds, new, writing: new >= 15)
    kill_when(lambda seconds, new, writing: writing and new >= 5)
    kill_when(lambda seconds, new, writing: new >= 2)

    print("stored after each kill:", stored_after)
    print("temporaries after each kill:", [len(x) for x in left_after])
    assert any(0 < n < good for n in stored_after), stored_after  # a kill did land mid-way
    # A kill did land while a day's file was being written: the case the re-run must clean.
    assert any(p.name.startswith(".part-") for left in left_after for p in left), left_after
    done = sqm(data_dir, "ingest", "calls", str(path))
    assert done.returncode == 0, done.stderr
    assert f"accepted {good - stored_after[-1]:,}" in done.stdout
    assert "calls: removed " in done.stdout
    assert assert_store_is_whole(data_dir, good) == good
    assert len({f.parent for f in visible_parquet(data_dir)}) == DAYS
    assert temporaries(data_dir) == []
    assert sorted(p.name for p in (data_dir / "quarantine" / "calls").iterdir()) == sorted(
        p.name for p in (data_dir / "quarantine" / "calls").glob("[!.]*.csv")
    )
    glob = str(data_dir / "events" / "calls" / "*" / "*")
    ((count,),) = duckdb.sql(f"select count(*) from read_parquet('{glob}')").fetchall()
    assert count == good
