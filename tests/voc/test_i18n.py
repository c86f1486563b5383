"""The voc app's own English catalog: complete, and its .mo compiled from its .po."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path
from typing import Any

from tests.conftest import require

FOLDER = (
    Path(__file__).resolve().parents[2] / "src" / "sqm" / "voc" / "locale" / "en" / "LC_MESSAGES"
)


def _msgfmt() -> str:
    msgfmt = shutil.which("msgfmt")
    require(msgfmt is not None, "gettext's msgfmt not installed")
    return str(msgfmt)


def test_the_english_catalog_translates_every_string() -> None:
    result = subprocess.run(
        [_msgfmt(), "--check", "--statistics", "-o", "/dev/null", str(FOLDER / "django.po")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_committed_mo_is_compiled_from_the_committed_po(tmp_path: Path) -> None:
    fresh = tmp_path / "django.mo"
    subprocess.run([_msgfmt(), "-o", str(fresh), str(FOLDER / "django.po")], check=True)

    def catalog(path: Path) -> dict[object, str]:
        with path.open("rb") as handle:
            return dict(gettext.GNUTranslations(handle)._catalog)

    assert catalog(FOLDER / "django.mo") == catalog(fresh)


def test_the_dashboard_speaks_english_when_asked(client: Any, cast: dict[str, Any]) -> None:
    client.force_login(cast["analyst"])
    client.cookies["django_language"] = "en"
    body = client.get("/voc/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Importance–performance map" in body and "重要性—表现矩阵" not in body
