"""The complaint pages in English (every catalog is checked in tests/web/test_i18n.py)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings

from tests.complaints.conftest import MakeOrder
from tests.complaints.web.conftest import ClientFor


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
