"""A sweep killed with kill -9 in the middle of a batch, and run again at once (PostgreSQL).

The killed client's server session outlives it for as long as its statement runs; it holds
the batch's row locks all that time. On a big sweep that statement runs for seconds; here a
trigger makes the killed sweep's statement sleep (only for its ``application_name``), so the
re-run always starts while the dead session still holds the rows. The re-run must end with
what an uninterrupted sweep leaves, and a run that cannot take them must say so.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from sqm.complaints.models import LevelChange, WorkOrder
from tests.complaints.conftest import MakeOrder, at
from tests.complaints.live import database_url_named, environment
from tests.conftest import SQM_COMMAND

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True), pytest.mark.slow]

STALLED = "sqm-sweep-to-kill"
STALL_SQL = f"""
CREATE FUNCTION sqm_test_stall() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF current_setting('application_name') = '{STALLED}' THEN
        PERFORM pg_sleep(120);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER sqm_test_stall AFTER UPDATE ON complaints_workorder
    FOR EACH STATEMENT EXECUTE FUNCTION sqm_test_stall();
"""
UNSTALL_SQL = """
DROP TRIGGER IF EXISTS sqm_test_stall ON complaints_workorder;
DROP FUNCTION IF EXISTS sqm_test_stall();
"""


def _stalled_sessions() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s "
            "AND wait_event = 'PgSleep'",
            [STALLED],
        )
        return int(cursor.fetchone()[0])


def _sweep(data_dir: Path, *args: str) -> list[str]:
    """The command line of ``sqm complaints sweep`` as of 31 March."""
    at_end = at(31).isoformat()
    return [*SQM_COMMAND, "complaints", "sweep", "--at", at_end, *args, "--data-dir", str(data_dir)]


def test_a_sweep_rerun_right_after_a_kill_leaves_what_an_uninterrupted_sweep_leaves(
    make_order: MakeOrder, tmp_path: Path
) -> None:
    orders = [make_order(customer_id=f"C-KILL-{i}") for i in range(30)]
    url = database_url_named(os.environ["DATABASE_URL"], connection.settings_dict["NAME"])
    env = environment(tmp_path, url)
    with connection.cursor() as cursor:
        cursor.execute(STALL_SQL)
    victim: Any = None
    try:
        victim = subprocess.Popen(
            _sweep(tmp_path),
            env={**env, "PGAPPNAME": STALLED},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 180
        while not _stalled_sessions():
            assert victim.poll() is None and time.monotonic() < deadline, "never got mid-batch"
            time.sleep(0.1)

        # While the victim lives and holds its batch, a run that may not wait says so.
        impatient = subprocess.run(
            _sweep(tmp_path, "--lock-wait", "0"), env=env, capture_output=True, text=True
        )
        assert impatient.returncode == 1, impatient.stdout + impatient.stderr
        assert "30 due work orders were locked by other sessions" in impatient.stderr

        victim.send_signal(signal.SIGKILL)
        victim.wait()
        rerun = subprocess.run(_sweep(tmp_path), env=env, capture_output=True, text=True)
    finally:
        if victim is not None and victim.poll() is None:
            victim.kill()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE application_name = %s",
                [STALLED],
            )
            cursor.execute(UNSTALL_SQL)

    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert "first_reply_breached 30" in rerun.stdout and "skipped 0" in rerun.stdout
    # What one uninterrupted sweep at that moment leaves: both clocks breached once, every
    # ordinary complaint escalated once, one version bump per clock.
    rows = WorkOrder.objects.filter(pk__in=[o.pk for o in orders])
    assert rows.filter(first_reply_breached_at__isnull=False).count() == 30
    assert rows.filter(resolution_breached_at__isnull=False).count() == 30
    assert set(rows.values_list("level", "version")) == {("escalated", 3)}
    assert LevelChange.objects.filter(work_order__in=orders).count() == 30
