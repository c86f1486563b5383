"""`sqm trace detect` and `sqm trace effect`, run as a user runs them, on one tiny demo month."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pytest

from sqm.demo.core.generator import generate_month
from sqm.events.core.schemas import COMPLAINTS
from sqm.events.core.store import EventStore
from tests.conftest import sqm
from tests.tracing.conftest import daily_complaints

MONTH = "2026-03"
COUNTS = ("treated_before", "treated_after", "control_before", "control_after")
SIGNAL_KEYS = {
    "id", "kind", "branch", "hall", "node", "channel", "sender", "category", "subcategory",
    "start", "end", "observed", "expected", "score", "evidence_count",
}  # fmt: skip


@pytest.fixture(scope="module")
def month_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("trace-tiny")
    generate_month(folder, scale="tiny", month=MONTH, seed=11)
    return folder


@pytest.fixture
def fresh_dir(month_dir: Path, tmp_path: Path) -> Path:
    """The month's events in a data dir of this test's own (its own database)."""
    shutil.copytree(month_dir / "events", tmp_path / "events")
    return tmp_path


def test_detect_prints_the_months_signals_and_a_rerun_keeps_their_ids(fresh_dir: Path) -> None:
    first = sqm(fresh_dir, "trace", "detect", "--month", MONTH, "--json")
    assert first.returncode == 0, first.stderr
    again = sqm(fresh_dir, "trace", "detect", "--month", MONTH, "--json")
    assert again.returncode == 0, again.stderr
    one, two = json.loads(first.stdout), json.loads(again.stdout)
    assert one["month"] == MONTH and one["signals"]
    assert all(set(s) == SIGNAL_KEYS for s in one["signals"])
    assert [s["id"] for s in two["signals"]] == [s["id"] for s in one["signals"]]
    for s in one["signals"]:
        start, end = datetime.fromisoformat(s["start"]), datetime.fromisoformat(s["end"])
        assert start.tzinfo is not None and start < end
        assert "" not in (s["branch"], s["hall"], s["node"], s["sender"])  # absent is null


def test_detect_refuses_a_malformed_month(fresh_dir: Path) -> None:
    result = sqm(fresh_dir, "trace", "detect", "--month", "2026-13")
    assert result.returncode == 2
    assert "YYYY-MM" in result.stderr


def test_effect_prints_the_windows_and_the_ratio_of_ratios_of_a_hand_count(
    tmp_path: Path,
) -> None:
    """NJ+WX (treated) drop from 10+2 to 5+1 bills complaints a day; SZ (control) stays at 8:
    (42 / 84) / (56 / 56) − 1 = −50 %."""
    start, days = date(2026, 3, 15), 7
    first = start - timedelta(days=days)
    rows = (
        daily_complaints("NJ", "bills", first, [10] * 7 + [5] * 7, "NJ")
        + daily_complaints("WX", "bills", first, [2] * 7 + [1] * 7, "WX")
        + daily_complaints("SZ", "bills", first, [8] * 14, "SZ")
        + daily_complaints("NJ", "coverage", first, [9] * 14, "NC")  # another category
    )
    full = [{"channel": "hotline", "level": "ordinary", **row} for row in rows]
    EventStore(tmp_path).append(COMPLAINTS, pa.Table.from_pylist(full, schema=COMPLAINTS.schema))
    result = sqm(
        tmp_path, "trace", "effect", "--branch", "NJ,WX", "--category", "bills",
        "--start", start.isoformat(), "--days", str(days), "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert {k: printed[k] for k in COUNTS} == {
        "treated_before": 84, "treated_after": 42, "control_before": 56, "control_after": 56,
    }  # fmt: skip
    assert printed["effect"] == pytest.approx(42 / 84 / (56 / 56) - 1)
    assert printed["ci_low"] < printed["effect"] < printed["ci_high"] < 0


def test_effect_names_an_unknown_branch_or_category(fresh_dir: Path) -> None:
    branch = sqm(fresh_dir, "trace", "effect", "--branch", "NJ,QQ", "--category", "bills",
                 "--start", "2026-03-15")  # fmt: skip
    assert branch.returncode == 2 and "QQ" in branch.stderr
    category = sqm(fresh_dir, "trace", "effect", "--branch", "NJ", "--category", "weather",
                   "--start", "2026-03-15")  # fmt: skip
    assert category.returncode == 2 and "weather" in category.stderr


def test_hub_sweep_reports_what_it_sent_and_an_empty_outbox_is_nothing_to_do(
    fresh_dir: Path,
) -> None:
    done = sqm(fresh_dir, "trace", "hub-sweep")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "sent 0, waiting 0, given up 0"
