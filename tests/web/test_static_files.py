"""Static files come compressed, with a year's Cache-Control, at URLs that change with their
content (sqm.web.static_files): no collectstatic step, and never a stale stylesheet."""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pytest
from django.templatetags.static import static
from django.test import Client

from sqm.web import static_files

pytestmark = pytest.mark.django_db
YEAR = 365 * 24 * 3600


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_pages_stylesheet_is_versioned_compressed_and_cached_for_a_year(
    client_for: Any,
) -> None:
    html = client_for("analyst").get("/").content.decode()
    url = re.search(r'href="(/static/web/sqm\.css\?v=[0-9a-f]{12})"', html)
    assert url, "the stylesheet's URL carries its content hash"
    response = Client().get(url.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert f"max-age={YEAR}" in response["Cache-Control"]
    assert b"--brand" in gzip.decompress(_body(response))


def test_a_changed_file_gets_a_new_url(tmp_path: Path, settings: Any) -> None:
    folder = tmp_path / "static"
    folder.mkdir()
    settings.STATICFILES_DIRS = [folder]
    (folder / "probe.css").write_text("a { color: red }")
    first = static("probe.css")
    (folder / "probe.css").write_text("a { color: blue }")
    second = static("probe.css")
    assert first.startswith("/static/probe.css?v=") and second != first
    assert static_files.content_version("no/such/file.css") == ""
