"""Customer phone numbers are shown masked unless a permitted user asks (R12.2)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """``13912345678`` → ``139****5678``; short or empty values are masked whole."""
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}{'*' * (len(digits) - 7)}{digits[-4:]}"
