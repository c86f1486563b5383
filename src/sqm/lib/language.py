"""The active language, and the one rule for showing a row or a label that carries a Chinese
and an English text: the English one when English is active and the row has it, else the
Chinese one (Chinese is always there; an English translation may be missing)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import get_language


def english_active() -> bool:
    return (get_language() or "").startswith("en")


def pick(zh: Any, en: Any) -> str:
    """``en`` in the English UI when it is not empty, else ``zh``."""
    if english_active() and en:
        return str(en)
    return str(zh)


def _field(obj: Any, name: str, default: Any = "") -> Any:
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def localized_text(obj: Any, field: str) -> str:
    """``localized_text(indicator, "definition")`` → ``definition_en`` or ``definition_zh``."""
    return pick(_field(obj, f"{field}_zh"), _field(obj, f"{field}_en"))


def localized_name(obj: Any) -> str:
    """``name_en`` or ``name_zh`` of a model row, a catalog entry or a dict; anything without
    a ``name_zh`` is shown as it is."""
    return pick(_field(obj, "name_zh", obj), _field(obj, "name_en"))
