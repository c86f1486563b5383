"""The satisfaction dashboard in English (every catalog is checked in tests/web/test_i18n.py)."""

from __future__ import annotations

from typing import Any


def test_the_dashboard_speaks_english_when_asked(client: Any, cast: dict[str, Any]) -> None:
    client.force_login(cast["analyst"])
    client.cookies["django_language"] = "en"
    body = client.get("/voc/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Importance–performance map" in body and "重要性—表现矩阵" not in body
