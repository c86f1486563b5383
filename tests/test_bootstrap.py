"""The data dir keeps customer data to its owner: the folder 0700, the database and the secret
key 0600, whatever the umask of the shell that ran `sqm`."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

from tests.conftest import SQM_COMMAND, sqm_environment


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _sqm_with_umask_022(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = sqm_environment(data_dir)
    env.pop("SQM_SECRET_KEY")  # let sqm write its own key file, as on a first run
    return subprocess.run(
        [*SQM_COMMAND, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        preexec_fn=lambda: os.umask(0o022),  # a usual login shell's umask
    )


def test_a_first_run_creates_a_private_data_dir_database_and_secret_key(tmp_path: Path) -> None:
    data = tmp_path / "fresh" / "var"
    made = _sqm_with_umask_022(
        data, "createuser", "clerk", "--role", "complaint_handler", "--branch", "NJ"
    )
    assert made.returncode == 0, made.stderr
    assert _mode(data) == 0o700
    assert _mode(data / "sqm.sqlite3") == 0o600
    assert _mode(data / "secret_key") == 0o600
    others = [p for p in data.rglob("*") if _mode(p) & 0o077]
    assert others == []


def test_a_database_left_readable_by_an_older_version_is_closed(tmp_path: Path) -> None:
    data = tmp_path / "var"
    assert _sqm_with_umask_022(data, "org", "load").returncode == 0
    (data / "sqm.sqlite3").chmod(0o644)
    assert _sqm_with_umask_022(data, "org", "load").returncode == 0
    assert _mode(data / "sqm.sqlite3") == 0o600
