"""Reference rows carry a Chinese and an English name; pick the one for the active language."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english_active() -> bool:
    return (get_language() or "").startswith("en")


def localized_name(obj: Any) -> str:
    """``name_en`` when English is active and the row has one, else ``name_zh``."""
    if english_active():
        english = getattr(obj, "name_en", "")
        if english:
            return str(english)
    return str(getattr(obj, "name_zh", obj))
