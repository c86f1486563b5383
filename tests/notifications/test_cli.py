"""`sqm notify digest` as an operator runs it: in its own process, on its own data dir."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import sqm, sqm_environment

DAY = "2026-12-01"

SEED = """
import sys
from pathlib import Path
from sqm.bootstrap import setup
setup(Path(sys.argv[1]))
from datetime import datetime
from django.utils import timezone
from sqm.notifications import services
from sqm.notifications.models import Notification
from sqm.org.core.roles import Role
from sqm.org.reference import load_province
from sqm.org.users import create_user
load_province()
manager = create_user("manager_a", Role.BRANCH_MANAGER, branch="NJ")
manager.email = "manager_a@example.cn"
manager.save()
made = services.notify(manager, "overdue", "督办事项 %(n)s 已超期", "/x/", params={"n": "DB-1"},
                       branch="NJ", email=False)
Notification.objects.filter(pk=made.pk).update(
    created_at=timezone.make_aware(datetime(2026, 12, 1, 9)))
"""


@pytest.fixture
def seeded(tmp_path: Path) -> Path:
    done = subprocess.run(
        [sys.executable, "-c", SEED, str(tmp_path)],
        env=sqm_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return tmp_path


def test_the_digest_is_mailed_once_and_a_rerun_sends_nothing(seeded: Path) -> None:
    first = sqm(seeded, "notify", "digest", "--date", DAY)
    assert first.returncode == 0, first.stderr
    # The console backend (no SQM_EMAIL_HOST) prints the mail itself.
    assert "To: manager_a@example.cn" in first.stdout
    assert "digest 2026-12-01: sent 1" in first.stdout
    again = sqm(seeded, "notify", "digest", "--date", DAY, "--json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout) == {
        "date": DAY,
        "sent": 0,
        "already": 0,
        "failed": 0,
        "empty": 0,
    }


def test_a_malformed_date_is_refused(tmp_path: Path) -> None:
    result = sqm(tmp_path, "notify", "digest", "--date", "2026-13-01")
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr
