from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture
def mailed(people: dict[str, Any], settings: Any) -> dict[str, Any]:
    """The standing cast with e-mail addresses, and mail caught in ``django.core.mail.outbox``."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SQM_SITE_URL = "https://sqm.example.cn"
    for name, user in people.items():
        user.email = f"{name}@example.cn"
        user.save(update_fields=["email"])
    return people
