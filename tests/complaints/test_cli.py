"""`sqm complaints …` run as an operator runs it: a separate process on a fresh data dir."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests.conftest import sqm


def test_the_sqm_command_has_the_complaints_commands(tmp_path: Path) -> None:
    done = sqm(tmp_path, "complaints", "--help")
    assert done.returncode == 0, done.stderr
    for command in ("sweep", "export", "import", "callbacks"):
        assert command in done.stdout


@pytest.mark.slow
def test_an_operator_imports_sweeps_exports_and_makes_callbacks(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = sqm(data, "createuser", "clerk", "--role", "complaint_handler", "--branch", "NJ")
    assert made.returncode == 0, made.stderr
    intake = tmp_path / "intake.csv"
    with open(intake, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["受理渠道", "投诉类别", "严重程度", "客户标识", "分公司", "投诉内容", "受理时间"]
        )
        writer.writerow(
            ["hotline", "bills.overcharge", "high", "C1", "NJ", "多扣费", "2026-03-02 10:00"]
        )
        writer.writerow(["hotline", "bills.overcharge", "high", "C2", "XX", "分公司错", ""])
    imported = sqm(data, "complaints", "import", str(intake), "--user", "clerk")
    assert imported.returncode == 1  # a row was rejected: the exit status says so
    assert "created 1" in imported.stdout and "rejected 1" in imported.stdout
    assert (tmp_path / "intake.rejected.csv").exists()
    swept = sqm(data, "complaints", "sweep", "--at", "2026-04-01T10:00:00+08:00")
    assert swept.returncode == 0, swept.stderr
    assert "escalated 1" in swept.stdout
    exported = sqm(data, "complaints", "export", "--all")
    assert exported.returncode == 0, exported.stderr
    assert "exported 1 work orders over 1 days (2026-03-02)" in exported.stdout
    assert list((data / "events" / "complaints").glob("day=2026-03-02/*.parquet"))
    called = sqm(data, "complaints", "callbacks", "--day", "2026-03-02")
    assert called.returncode == 0, called.stderr
    assert "0 abandoned calls" in called.stdout
    bad = sqm(data, "complaints", "callbacks", "--day", "yesterday")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
