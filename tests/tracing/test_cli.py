"""`sqm trace detect` and `sqm trace effect`, run as a user runs them, on one tiny demo month."""

from __future__ import annotations

import json
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

import pyarrow.compute as pc
import pytest

from sqm.demo.core.generator import generate_month
from sqm.events.core.store import EventStore
from tests.conftest import sqm

MONTH = "2026-03"
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


def _hand_count(
    store: EventStore, branches: set[str], category: str, first: date, stop: date
) -> dict[str, int]:
    """Complaints of ``category`` in [first, stop), in ``branches`` and elsewhere, by pyarrow."""
    table = store.read("complaints", ["branch", "category", "created_at"])
    table = table.filter(pc.equal(table["category"], category))
    counts = {"treated": 0, "control": 0}
    for branch, at in zip(
        table["branch"].to_pylist(), table["created_at"].to_pylist(), strict=True
    ):
        if first <= at.date() < stop:
            counts["treated" if branch in branches else "control"] += 1
    return counts


def test_effect_counts_the_windows_as_a_hand_count_does(month_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(month_dir / "events", tmp_path / "events")
    start, days = date(2026, 3, 15), 10
    result = sqm(
        tmp_path, "trace", "effect", "--branch", "NJ,WX", "--category", "coverage",
        "--start", start.isoformat(), "--days", str(days), "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == {
        "treated_before", "treated_after", "control_before", "control_after", "effect",
        "ci_low", "ci_high",
    }  # fmt: skip
    store = EventStore(tmp_path)
    before = _hand_count(store, {"NJ", "WX"}, "coverage", start - timedelta(days=days), start)
    after = _hand_count(store, {"NJ", "WX"}, "coverage", start, start + timedelta(days=days))
    assert (printed["treated_before"], printed["control_before"]) == (
        before["treated"],
        before["control"],
    )
    assert (printed["treated_after"], printed["control_after"]) == (
        after["treated"],
        after["control"],
    )
    expected = (after["treated"] / before["treated"]) / (after["control"] / before["control"]) - 1
    assert printed["effect"] == pytest.approx(expected)
    assert printed["ci_low"] < printed["effect"] < printed["ci_high"]


def test_effect_names_an_unknown_branch_or_category(fresh_dir: Path) -> None:
    branch = sqm(fresh_dir, "trace", "effect", "--branch", "NJ,QQ", "--category", "bills",
                 "--start", "2026-03-15")  # fmt: skip
    assert branch.returncode == 2 and "QQ" in branch.stderr
    category = sqm(fresh_dir, "trace", "effect", "--branch", "NJ", "--category", "weather",
                   "--start", "2026-03-15")  # fmt: skip
    assert category.returncode == 2 and "weather" in category.stderr
