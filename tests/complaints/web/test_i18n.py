"""The complaints app's own English catalog: complete, compiled from its .po, and used."""

from __future__ import annotations

import gettext
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor
from tests.conftest import require

FOLDER = (
    Path(__file__).resolve().parents[3]
    / "src"
    / "sqm"
    / "complaints"
    / "locale"
    / "en"
    / "LC_MESSAGES"
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


@pytest.mark.django_db
def test_the_queue_and_a_work_order_read_in_english(
    make_order: MakeOrder, client_for: ClientFor, people: dict[str, Any]
) -> None:
    order = make_order("handler_a")
    client = client_for("handler_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    queue = client.get("/complaints/?queue=all").content.decode()
    for label in ("Complaints", "My branch", "Export to Excel", "First-ask owner"):
        assert label in queue, label
    page = client.get(f"/complaints/{order.number}/").content.decode()
    for label in ("Timeline", "Deadlines", "Acknowledge", "Show number", "Slow data", "Hotline"):
        assert label in page, label
    assert "首问负责人" not in page and "处理过程" not in page
