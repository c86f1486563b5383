"""`sqm improvement sweep | agenda`, run as a user runs them (on one fresh data dir: each
fresh one costs a full migration)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import sqm


def test_agenda_prints_json_sweep_runs_twice_and_a_bad_date_is_refused(tmp_path: Path) -> None:
    done = sqm(tmp_path, "improvement", "agenda", "--date", "2027-01-12", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"date": "2027-01-12", "items": []}
    for _ in range(2):
        swept = sqm(tmp_path, "improvement", "sweep", "--json")
        assert swept.returncode == 0, swept.stderr
        assert json.loads(swept.stdout) == {
            "reminded": 0,
            "overdue": 0,
            "escalated": 0,
            "notified": 0,
        }
    bad = sqm(tmp_path, "improvement", "agenda", "--date", "12/01/2027")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr
