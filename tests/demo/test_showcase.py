"""`sqm demo --no-serve` as a newcomer runs it: a province generated, indicators computed,
spam senders flagged and one user per role, all in a fresh data dir."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import sqm


@pytest.mark.slow
def test_the_demo_fills_a_fresh_data_dir_with_everything_the_pages_read(tmp_path: Path) -> None:
    done = sqm(tmp_path, "demo", "--scale", "tiny", "--month", "2026-03", "--no-serve")
    assert done.returncode == 0, done.stderr
    assert "indicators:" in done.stdout
    database = sqlite3.connect(tmp_path / "sqm.sqlite3")
    cuts = dict(
        database.execute(
            "SELECT cut, rows FROM indicators_resultset WHERE period = ?", ("2026-03",)
        )
    )
    assert set(cuts) == {"", "branch", "tier", "channel", "branch,tier", "day", "branch,day"}
    assert all(rows > 0 for rows in cuts.values())
    # All 13 branches have a figure for the headline hotline indicator.
    branches = database.execute(
        "SELECT COUNT(DISTINCT r.dim_branch) FROM indicators_result r "
        "JOIN indicators_resultset s ON s.id = r.result_set_id "
        "WHERE s.cut = 'branch' AND r.indicator = 'hotline_service_level_15s' "
        "AND r.value IS NOT NULL"
    ).fetchone()[0]
    assert branches == 13
    users = {u for (u,) in database.execute("SELECT username FROM auth_user")}
    assert {"analyst", "manager_nj", "manager_wx", "reviewer"} <= users
    plans = dict(database.execute("SELECT kind, COUNT(*) FROM planning_plan GROUP BY kind"))
    # Next week's plans, and the month's last week's hotline and halls for the monthly report.
    assert plans == {"hotline": 2, "schedule": 1, "halls": 3, "billing": 1}
    checked = database.execute(
        "SELECT COUNT(*) FROM planning_plan WHERE kind = 'hotline' AND simulation IS NOT NULL"
    ).fetchone()[0]
    assert checked == 1
    # Running it again regenerates the month and replaces the figures: nothing doubles.
    total = database.execute("SELECT COUNT(*) FROM indicators_result").fetchone()[0]
    again = sqm(tmp_path, "demo", "--scale", "tiny", "--month", "2026-03", "--no-serve")
    assert again.returncode == 0, again.stderr
    assert database.execute("SELECT COUNT(*) FROM indicators_result").fetchone()[0] == total
    assert database.execute("SELECT COUNT(*) FROM planning_plan").fetchone()[0] == 7
