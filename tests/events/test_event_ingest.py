"""Ingest of whole files, clean and corrupted: nothing good is lost, every bad row is explained."""

from __future__ import annotations

import csv
import gzip
import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from sqm.events.core import ingest as ingest_module
from sqm.events.core.ingest import IngestError, ingest_file
from sqm.events.core.schemas import CALLS
from sqm.events.core.store import EventStore, claim
from sqm.events.core.validation import SchemaError
from tests.events.factories import CODES, calls_table, csv_lines, write_csv


@pytest.fixture
def store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "data")


def write_lines(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def quarantined(path: Path | None) -> list[dict[str, str]]:
    assert path is not None
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def stored_ids(store: EventStore) -> list[str]:
    return sorted(store.read("calls", columns=["call_id"])["call_id"].to_pylist())


def edit(lines: list[str], row: int, column: str, value: str) -> None:
    """Set one field of data row ``row`` (1-based) in CSV lines without quoted commas."""
    header = [name.strip('"') for name in lines[0].split(",")]
    fields = lines[row].split(",")
    fields[header.index(column)] = value
    lines[row] = ",".join(fields)


# -- clean files ------------------------------------------------------------------------------
def test_a_clean_csv_is_stored_whole_and_the_run_is_logged(
    tmp_path: Path, store: EventStore
) -> None:
    table = calls_table(1000, days=4)
    path = write_csv(table, tmp_path / "calls.csv")
    report = ingest_file(path, "calls", CODES, store)
    assert (report.accepted, report.quarantined, report.duplicates) == (1000, 0, 0)
    assert report.quarantine_path is None and report.warnings == []
    assert store.read("calls").sort_by("call_id").equals(table.sort_by("call_id"))
    assert len(store.files("calls")) == 4  # one file per day, not one per block
    (entry,) = [
        json.loads(x) for x in (store.data_dir / "ingest_log.jsonl").read_text().splitlines()
    ]
    assert entry["accepted"] == 1000 and entry["source"] == "calls" and len(entry["sha256"]) == 64


def test_reingesting_a_file_stores_nothing_new_and_quarantines_its_bad_rows_again(
    tmp_path: Path, store: EventStore
) -> None:
    lines = csv_lines(calls_table(50))
    edit(lines, 7, "branch", "XX")
    path = write_lines(tmp_path / "calls.csv", lines)
    first = ingest_file(path, "calls", CODES, store)
    again = ingest_file(path, "calls", CODES, store)
    assert (first.accepted, first.quarantined, first.duplicates) == (49, 1, 0)
    assert (again.accepted, again.quarantined, again.duplicates) == (0, 1, 49)
    assert len(stored_ids(store)) == 49
    assert again.quarantine_path != first.quarantine_path
    assert quarantined(again.quarantine_path) == quarantined(first.quarantine_path)


def test_a_key_repeated_within_a_file_is_stored_once(tmp_path: Path, store: EventStore) -> None:
    lines = csv_lines(calls_table(20))
    lines.append(lines[5])
    lines.append(lines[9])
    report = ingest_file(write_lines(tmp_path / "calls.csv", lines), "calls", CODES, store)
    assert (report.accepted, report.duplicates, report.quarantined) == (20, 2, 0)
    assert len(stored_ids(store)) == 20


def test_a_parquet_file_is_validated_like_a_csv(tmp_path: Path, store: EventStore) -> None:
    table = calls_table(30)
    table = table.set_column(3, "branch", pc.if_else(pc.equal(table["call_id"], "C000000004"),
                                                     "XX", table["branch"]))  # fmt: skip
    pq.write_table(table, tmp_path / "calls.parquet")
    report = ingest_file(tmp_path / "calls.parquet", "calls", CODES, store)
    assert (report.accepted, report.quarantined) == (29, 1)
    assert quarantined(report.quarantine_path)[0]["_row"] == "5"


def test_a_gzipped_csv_and_one_with_a_byte_order_mark_are_read(
    tmp_path: Path, store: EventStore
) -> None:
    lines = csv_lines(calls_table(10, prefix="G"))
    with gzip.open(tmp_path / "calls.csv.gz", "wt", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    assert ingest_file(tmp_path / "calls.csv.gz", "calls", CODES, store).accepted == 10
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + "\n".join(csv_lines(calls_table(10, prefix="B"))).encode())
    assert ingest_file(bom, "calls", CODES, store).accepted == 10


# -- corrupted files --------------------------------------------------------------------------
def test_bad_values_are_quarantined_with_reasons_and_row_numbers_and_good_rows_stored(
    tmp_path: Path, store: EventStore
) -> None:
    lines = csv_lines(calls_table(100))
    edit(lines, 3, "arrived_at", "2026-13-01 25:00")
    edit(lines, 40, "survey_score", "9")
    edit(lines, 40, "survey_offered", "true")
    edit(lines, 77, "tier", "")
    report = ingest_file(write_lines(tmp_path / "calls.csv", lines), "calls", CODES, store)
    assert (report.accepted, report.quarantined) == (97, 3)
    rows = quarantined(report.quarantine_path)
    assert [(r["_row"], r["_reason"]) for r in rows] == [
        ("3", "arrived_at: not a timestamp: '2026-13-01 25:00'"),
        ("40", "survey_score: 9 outside 1..5"),
        ("77", "tier: required value missing"),
    ]
    assert rows[0]["call_id"] == "C000000002"  # the whole original row is kept
    assert report.quarantine_path is not None
    assert report.quarantine_path.parent == store.data_dir / "quarantine" / "calls"
    assert report.quarantine_path.name.endswith("Z-calls.csv")
    assert len(stored_ids(store)) == 97


def test_rows_answered_before_they_were_queued_are_quarantined_and_the_rest_kept(
    tmp_path: Path, store: EventStore
) -> None:
    table = calls_table(40)
    answered = [i for i, v in enumerate(table["answered_at"].to_pylist()) if v is not None][:3]
    lines = csv_lines(table)
    for index in answered:
        edit(lines, index + 1, "answered_at", "2026-02-01 00:00:00")
    report = ingest_file(write_lines(tmp_path / "calls.csv", lines), "calls", CODES, store)
    assert (report.accepted, report.quarantined) == (37, 3)
    assert {r["_reason"] for r in quarantined(report.quarantine_path)} == {
        "answered_at earlier than queued_at"
    }


def test_a_file_cut_mid_row_keeps_every_complete_row_and_quarantines_the_cut_one(
    tmp_path: Path, store: EventStore
) -> None:
    text = "\n".join(csv_lines(calls_table(300))) + "\n"
    cut = text[: text.index("\n", len(text) // 2) + 40]  # 40 characters into a row
    path = tmp_path / "calls.csv"
    path.write_text(cut, encoding="utf-8")
    complete = cut.count("\n") - 1
    report = ingest_file(path, "calls", CODES, store)
    assert (report.accepted, report.quarantined) == (complete, 1)
    (row,) = quarantined(report.quarantine_path)
    assert row["_row"] == str(complete + 1)
    assert row["_reason"].startswith("expected 19 fields, found ")
    assert "it may be cut short" in " ".join(report.warnings)
    assert len(stored_ids(store)) == complete


def test_rows_with_extra_fields_are_quarantined_and_later_rows_keep_their_numbers(
    tmp_path: Path, store: EventStore
) -> None:
    lines = csv_lines(calls_table(30))
    lines[4] += ",surplus"
    edit(lines, 20, "branch", "XX")
    report = ingest_file(write_lines(tmp_path / "calls.csv", lines), "calls", CODES, store)
    assert (report.accepted, report.quarantined) == (28, 2)
    rows = quarantined(report.quarantine_path)
    assert [(r["_row"], r["_reason"]) for r in rows] == [
        # Surplus fields stay in the last column so the quarantine keeps the whole row.
        ("4", "expected 19 fields, found 20; excluded: not a boolean: 'false,surplus'"),
        ("20", "branch: unknown code 'XX'"),
    ]


def test_a_gbk_file_read_as_utf8_fails_naming_the_line_and_stores_nothing(
    tmp_path: Path, store: EventStore
) -> None:
    lines = csv_lines(calls_table(20))
    edit(lines, 12, "agent_id", "张三")
    path = write_lines(tmp_path / "calls.csv", lines, encoding="gbk")
    with pytest.raises(IngestError, match=r"calls.csv is not valid utf-8 at line 13") as caught:
        ingest_file(path, "calls", CODES, store)
    assert "gb18030" in str(caught.value)
    assert not store.has_data("calls")
    report = ingest_file(path, "calls", CODES, store, encoding="gbk")
    assert report.accepted == 20
    assert "张三" in store.read("calls")["agent_id"].to_pylist()


def test_an_encoding_error_late_in_a_large_file_stores_nothing_from_earlier_blocks(
    tmp_path: Path, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "CSV_BLOCK_BYTES", 4096)  # many blocks
    lines = csv_lines(calls_table(2000, days=10))
    path = write_lines(tmp_path / "calls.csv", lines)
    with open(path, "ab") as handle:
        handle.write(lines[1].replace("A0042", "\xd5\xc5").encode("latin-1") + b"\n")
    with pytest.raises(IngestError, match="at line 2002"):
        ingest_file(path, "calls", CODES, store)
    assert not store.has_data("calls")
    assert not list((store.data_dir / "quarantine").glob("**/*.csv"))


def test_small_blocks_number_rows_across_blocks(
    tmp_path: Path, store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "CSV_BLOCK_BYTES", 4096)
    monkeypatch.setattr(ingest_module, "EXACT_BLOCK_ROWS", 7)
    lines = csv_lines(calls_table(500))
    edit(lines, 333, "branch", "XX")
    report = ingest_file(write_lines(tmp_path / "a.csv", lines), "calls", CODES, store)
    assert [r["_row"] for r in quarantined(report.quarantine_path)] == ["333"]
    lines[10] += ",surplus"  # forces the exact reader, in blocks of 7 rows
    report = ingest_file(write_lines(tmp_path / "b.csv", lines), "calls", CODES, store)
    assert [r["_row"] for r in quarantined(report.quarantine_path)] == ["10", "333"]


def test_missing_required_columns_raise_a_schema_error_and_store_nothing(
    tmp_path: Path, store: EventStore
) -> None:
    path = write_csv(calls_table(5).drop_columns(["tier"]), tmp_path / "calls.csv")
    with pytest.raises(SchemaError, match="missing required column tier"):
        ingest_file(path, "calls", CODES, store)
    assert not store.has_data("calls")


def test_a_header_without_rows_stores_nothing_and_says_so(
    tmp_path: Path, store: EventStore
) -> None:
    path = write_lines(tmp_path / "calls.csv", csv_lines(calls_table(0)))
    report = ingest_file(path, "calls", CODES, store)
    assert (report.accepted, report.quarantined, report.warnings) == (0, 0, ["no data rows"])


@pytest.mark.parametrize(
    ("name", "content", "source", "fmt", "message"),
    [
        ("calls.csv", b"a\n1\n", "call", None, "unknown source 'call'"),
        ("calls.xml", b"a\n1\n", "calls", None, "cannot tell the format of calls.xml"),
        ("calls.csv", b"a\n1\n", "calls", "xlsx", "unknown format 'xlsx'"),
        ("calls.csv", b"", "calls", None, "calls.csv is empty"),
        ("calls.csv", b"a,a\n1,2\n", "calls", None, "repeats columns a"),
        ("calls.parquet", b"PAR1 cut short", "calls", None, "not a readable Parquet file"),
    ],
)
def test_files_that_cannot_be_ingested_raise_a_one_line_error(
    tmp_path: Path, store: EventStore, name: str, content: bytes, source: str,
    fmt: str | None, message: str,
) -> None:  # fmt: skip
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(IngestError, match=message) as caught:
        ingest_file(path, source, CODES, store, fmt)
    assert "\n" not in str(caught.value)


def test_a_missing_file_raises_an_ingest_error(tmp_path: Path, store: EventStore) -> None:
    with pytest.raises(IngestError, match="No such file"):
        ingest_file(tmp_path / "nowhere.csv", "calls", CODES, store)


def test_a_parquet_file_cut_short_stores_nothing(tmp_path: Path, store: EventStore) -> None:
    pq.write_table(calls_table(5000), tmp_path / "whole.parquet", row_group_size=500)
    data = (tmp_path / "whole.parquet").read_bytes()
    (tmp_path / "cut.parquet").write_bytes(data[: len(data) // 2])
    with pytest.raises(IngestError, match=r"cut\.parquet is not a readable Parquet file"):
        ingest_file(tmp_path / "cut.parquet", "calls", CODES, store)
    assert not store.has_data("calls")


def test_a_corrected_quarantine_file_can_be_ingested_again(
    tmp_path: Path, store: EventStore
) -> None:
    lines = csv_lines(calls_table(10))
    edit(lines, 2, "branch", "XX")
    first = ingest_file(write_lines(tmp_path / "calls.csv", lines), "calls", CODES, store)
    assert first.quarantine_path is not None
    fixed = first.quarantine_path.read_text(encoding="utf-8-sig").replace('"XX"', '"NJ"')
    (tmp_path / "fixed.csv").write_text(fixed, encoding="utf-8")
    second = ingest_file(tmp_path / "fixed.csv", "calls", CODES, store)
    assert (second.accepted, second.quarantined) == (1, 0)
    assert second.warnings == ["ignored unknown columns: _row, _reason"]
    assert len(stored_ids(store)) == 10


# -- what killed writers leave -----------------------------------------------------------------
RUN = "calls-" + "0" * 32


def test_staging_left_by_a_killed_run_is_removed_by_the_next_run_however_young(
    tmp_path: Path, store: EventStore
) -> None:
    leftover = store.staging_root / RUN
    (leftover / "2026-03-01").mkdir(parents=True)
    (leftover / "2026-03-01" / "0.parquet").write_bytes(b"partial")
    (leftover / "quarantine.csv").write_bytes(b"\xef\xbb\xbf_row,_reason\n")
    report = ingest_file(write_csv(calls_table(3), tmp_path / "calls.csv"), "calls", CODES, store)
    assert list(store.staging_root.iterdir()) == []
    assert report.removed == (leftover,)


def test_staging_of_a_run_still_alive_is_kept(tmp_path: Path, store: EventStore) -> None:
    live = store.staging_root / ("calls-" + "1" * 32)
    other_source = store.staging_root / ("surveys-" + "2" * 32)
    with store.lock("calls"):
        handle = claim(live)
    other_source.mkdir()  # a dead run of another source: its own ingest removes it
    try:
        report = ingest_file(
            write_csv(calls_table(3), tmp_path / "calls.csv"), "calls", CODES, store
        )
        assert report.removed == ()
        assert live.is_dir() and other_source.is_dir()
    finally:
        handle.close()
    assert store.leftovers("calls") == [live]  # its writer is gone now


def test_what_a_killed_append_left_in_the_store_is_removed_and_duckdb_reads_it_again(
    tmp_path: Path, store: EventStore
) -> None:
    duckdb = pytest.importorskip("duckdb")
    ingest_file(write_csv(calls_table(50, days=2), tmp_path / "a.csv"), "calls", CODES, store)
    (day,) = store.days("calls")[:1]
    partition = store.partition_dir("calls", day)
    temporary = partition / ".part-0123.parquet.tmp"
    temporary.write_bytes(b"PAR1")  # a killed append: 0-4 bytes under a hidden name
    unfilled = store.partition_dir("calls", "2026-03-09")  # killed before its first file
    (unfilled / ".part-4567.parquet.tmp").parent.mkdir()
    (unfilled / ".part-4567.parquet.tmp").write_bytes(b"")
    rebuild = store.source_dir("calls") / f".staging-day=2026-03-01-{'3' * 32}"
    rebuild.mkdir()
    (rebuild / "part-0.parquet").write_bytes(b"PAR1")
    glob = str(store.source_dir("calls") / "*" / "*")
    with pytest.raises(duckdb.Error):
        duckdb.sql(f"select count(*) from read_parquet('{glob}')").fetchall()

    more = calls_table(10, days=1, seed=5, prefix="D")
    report = ingest_file(write_csv(more, tmp_path / "b.csv"), "calls", CODES, store)
    assert set(report.removed) == {temporary, unfilled, rebuild}
    assert not temporary.exists() and not unfilled.exists() and not rebuild.exists()
    assert day in store.days("calls") and date(2026, 3, 9) not in store.days("calls")
    ((count,),) = duckdb.sql(f"select count(*) from read_parquet('{glob}')").fetchall()
    assert count == len(stored_ids(store)) == 60


def test_a_rebuilt_partition_holds_no_writer_lock(store: EventStore) -> None:
    store.replace_partition(CALLS, "2026-03-01", [calls_table(5).cast(CALLS.schema)])
    names = [p.name for p in store.partition_dir("calls", "2026-03-01").iterdir()]
    assert names == ["part-0.parquet"]
    assert store.leftovers("calls") == []


def test_a_table_read_back_has_the_source_schema(tmp_path: Path, store: EventStore) -> None:
    ingest_file(write_csv(calls_table(3), tmp_path / "calls.csv"), "calls", CODES, store)
    for file in store.files("calls"):
        assert pq.read_schema(file).remove_metadata() == CALLS.schema
    assert isinstance(store.read("calls"), pa.Table)
