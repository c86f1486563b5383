"""The Anonymous Bank call-center log (real data) ingested as calls."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow.compute as pc
import pytest

from sqm.events.core.ingest import IngestError, ingest_file
from sqm.events.core.store import EventStore
from tests.conftest import dataset
from tests.events.factories import CODES

BANK = "callcenter_anonymous_bank/anonymous_bank_february_1999.tsv"
HEADER = (
    "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\t"
    "q_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver"
)


@pytest.fixture(scope="module")
def bank(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, EventStore]:
    store = EventStore(tmp_path_factory.mktemp("bank"))
    report = ingest_file(dataset(BANK), "calls", CODES, store, "anonymous-bank", branch="NJ")
    return report, store


def call(store: EventStore, call_id: str) -> dict[str, Any]:
    table = store.read("calls")
    (row,) = table.filter(pc.equal(table["call_id"], call_id)).to_pylist()
    return row


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_the_whole_february_log_is_accepted_with_its_phantom_calls_excluded(bank: Any) -> None:
    report, store = bank
    assert (report.accepted, report.quarantined, report.duplicates) == (33_344, 0, 0)
    calls = store.read("calls")
    assert calls.num_rows == 33_344
    assert pc.sum(calls["excluded"]).as_py() == 278
    assert calls["answered_at"].null_count == 33_344 - 27_162  # AGENT outcomes
    assert calls["abandoned_at"].null_count == 33_344 - 5_904  # HANG outcomes
    assert store.summary("calls").days == 28
    assert pc.unique(calls["branch"]).to_pylist() == ["NJ"]


def test_ingesting_the_log_twice_adds_nothing(bank: Any) -> None:
    _, store = bank
    again = ingest_file(dataset(BANK), "calls", CODES, store, "anonymous-bank", branch="NJ")
    assert (again.accepted, again.duplicates) == (0, 33_344)


# Rows checked by hand against the TSV (quoted in each comment).
def test_a_call_that_went_straight_to_an_agent_waited_zero_seconds(bank: Any) -> None:
    # AA0101 34536 0 0 PS 990201 7:02:47 7:02:56 9 0:00:00 0:00:00 0 AGENT 7:02:55 7:05:41 166 DORIT
    row = call(bank[1], "AA0101-34536")
    assert row["arrived_at"] == at("1999-02-01 07:02:47")
    assert row["ivr_s"] == 9 and row["ivr_path"] == "AA0101"
    assert row["queued_at"] == row["answered_at"] == at("1999-02-01 07:02:55")
    assert row["ended_at"] == at("1999-02-01 07:05:41")
    assert (row["agent_id"], row["tier"], row["customer_id"]) == ("DORIT", "ordinary", None)
    assert (row["wanted_agent"], row["ivr_self_served"], row["excluded"]) == (True, False, False)
    assert row["topic"] is None


def test_a_high_priority_caller_who_hung_up_in_the_queue_is_abandoned(bank: Any) -> None:
    # AA0101 34539 23317894 2 PS 990201 8:09:16 8:09:22 6 8:09:22 8:09:27 5 HANG 0:00:00 0:00:00 0
    row = call(bank[1], "AA0101-34539")
    assert (row["tier"], row["customer_id"], row["agent_id"]) == ("gold", "23317894", None)
    assert row["queued_at"] == at("1999-02-01 08:09:22")
    assert row["abandoned_at"] == row["ended_at"] == at("1999-02-01 08:09:27")
    assert row["answered_at"] is None


def test_a_caller_who_hung_up_in_the_vru_has_no_queue_time(bank: Any) -> None:
    # AA0101 34585 0 0 PS 990201 17:16:03 17:17:16 73 0:00:00 0:00:00 0 HANG 0:00:00 0:00:00 0
    row = call(bank[1], "AA0101-34585")
    assert row["queued_at"] is None
    assert row["abandoned_at"] == row["ended_at"] == at("1999-02-01 17:17:16")


def test_a_phantom_call_is_kept_but_excluded(bank: Any) -> None:
    # AA0101 34645 24442634 2 PS 990202 13:13:33 13:13:42 9 13:13:42 13:14:12 30 PHANTOM ...
    row = call(bank[1], "AA0101-34645")
    assert row["excluded"] is True
    assert row["queued_at"] == at("1999-02-02 13:13:42")
    assert row["ended_at"] == at("1999-02-02 13:14:12")
    assert row["answered_at"] is None and row["abandoned_at"] is None


def test_service_past_midnight_ends_on_the_next_day(bank: Any) -> None:
    # AA0102 31307 0 0 PS 990220 23:59:32 23:59:44 12 0:00:00 0:00:00 0 AGENT 23:59:43 0:01:28 105
    row = call(bank[1], "AA0102-31307")
    assert row["answered_at"] == at("1999-02-20 23:59:43")
    assert row["ended_at"] == at("1999-02-21 00:01:28")


def test_a_queue_entered_exactly_at_midnight_is_not_mistaken_for_no_queue(bank: Any) -> None:
    # AA0102 31056 15696776 2 PS 990215 23:59:54 23:59:54 0 0:00:00 0:00:27 27 AGENT 0:00:26 0:01:33
    row = call(bank[1], "AA0102-31056")
    assert row["queued_at"] == at("1999-02-16 00:00:00")
    # Answered as it left the queue (q_time 27 s); talk time is the log's ser_time, 67 s.
    assert row["answered_at"] == at("1999-02-16 00:00:27")
    assert row["ended_at"] == at("1999-02-16 00:01:34")


def test_a_vru_clock_running_ahead_is_clamped_so_times_stay_in_order(bank: Any) -> None:
    # AA0102 30456 25627027 2 PS 990207 9:48:14 9:47:17 -57 9:47:17 9:50:11 174 AGENT 9:50:11 ...
    row = call(bank[1], "AA0102-30456")
    assert row["arrived_at"] == row["queued_at"] == at("1999-02-07 09:47:17")
    assert row["ivr_s"] == 0
    assert row["answered_at"] == at("1999-02-07 09:50:11")


def test_the_clamped_calls_are_reported(bank: Any) -> None:
    report, _ = bank
    assert any("clamped" in w for w in report.warnings)


# -- small hand-written files -----------------------------------------------------------------
def write_tsv(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_unreadable_fields_are_quarantined_with_the_raw_row(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "data")
    fields = "AA0101 1 0 0 PS 990201 7:02:47 7:02:56 9 0:00:00 0:00:00 0 AGENT 7:02:55 7:05:41 166"
    good = "\t".join([*fields.split(" "), "DORIT"])
    bad = good.replace("\t1\t", "\t2\t").replace("7:05:41", "7:65:41").replace("AGENT", "LOST")
    path = write_tsv(tmp_path / "bank.tsv", good, bad)
    report = ingest_file(path, "calls", CODES, store, "anonymous-bank", branch="WX")
    assert (report.accepted, report.quarantined) == (1, 1)
    assert report.quarantine_path is not None
    text = report.quarantine_path.read_text(encoding="utf-8-sig")
    assert "ser_exit: not a time H:MM:SS: '7:65:41'" in text
    assert "outcome: not AGENT, HANG or PHANTOM: 'LOST'" in text
    assert '"vru+line"' in text.splitlines()[0]  # the quarantine shows the TSV's own columns
    assert store.read("calls")["branch"].to_pylist() == ["WX"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({}, "needs a branch"),
        ({"branch": "XX"}, "unknown branch 'XX'"),
        ({"branch": "NJ", "colour": "red"}, "has no option colour"),
    ],
)
def test_adaptor_options_are_checked(tmp_path: Path, options: dict[str, str], message: str) -> None:
    path = write_tsv(tmp_path / "bank.tsv")
    with pytest.raises(IngestError, match=message):
        ingest_file(path, "calls", CODES, EventStore(tmp_path), "anonymous-bank", **options)


def test_a_file_without_the_bank_columns_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.tsv"
    path.write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not an Anonymous Bank TSV: missing columns vru"):
        ingest_file(path, "calls", CODES, EventStore(tmp_path), "anonymous-bank", branch="NJ")
