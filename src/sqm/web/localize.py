"""Moved to ``sqm.lib.language`` (the one rule for picking the Chinese or English text);
these names stay importable from here while the apps written against them move over."""

from __future__ import annotations

from sqm.lib.language import english_active, localized_name

__all__ = ["english_active", "localized_name"]
