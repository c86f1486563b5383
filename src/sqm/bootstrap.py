"""Start Django from the command line: choose the data dir, make sure a secret key exists,
apply migrations. Every CLI command that touches the database goes through ``setup``."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Annotated

import typer

DataDirOption = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where SQM keeps its database and event store (default: $SQM_DATA_DIR or ./var).",
        show_default=False,
    ),
]


# The data dir holds customers' numbers and complaints: nobody but its owner reads it. Files
# the process creates are 0600 and folders 0700 (the SQLite database and its WAL, the event
# store, reports); SQLite gives its -wal/-shm files the database file's mode.
PRIVATE_UMASK = 0o077
DATABASE_FILES = ("sqm.sqlite3", "sqm.sqlite3-wal", "sqm.sqlite3-shm")


def data_dir_from(option: Path | None) -> Path:
    if option is not None:
        os.environ["SQM_DATA_DIR"] = str(option.resolve())
    path = Path(os.environ.get("SQM_DATA_DIR", "./var")).resolve()
    if not path.is_dir():
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        path.chmod(0o700)  # mkdir's mode passes through the caller's umask
    return path


def make_private(data_dir: Path) -> None:
    """From now on this process creates files only its user can read; a database an older
    version left readable to others is closed to them too."""
    os.umask(PRIVATE_UMASK)
    for name in DATABASE_FILES:
        database = data_dir / name
        if database.is_file() and database.stat().st_mode & 0o077:
            database.chmod(0o600)


def ensure_secret_key(data_dir: Path) -> None:
    """A random per-installation key, kept in the data dir, unless SQM_SECRET_KEY is set."""
    if os.environ.get("SQM_SECRET_KEY"):
        return
    key_file = data_dir / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)


def setup(data_dir_option: Path | None = None, *, migrate: bool = True) -> Path:
    """Configure Django for a CLI command and return the data dir."""
    data_dir = data_dir_from(data_dir_option)
    make_private(data_dir)
    ensure_secret_key(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sqm.config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    return data_dir
