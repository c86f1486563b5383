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


def data_dir_from(option: Path | None) -> Path:
    if option is not None:
        os.environ["SQM_DATA_DIR"] = str(option.resolve())
    path = Path(os.environ.get("SQM_DATA_DIR", "./var")).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


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
    ensure_secret_key(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sqm.config.settings")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    return data_dir
