"""Customer phone numbers are shown masked unless a permitted user asks (R12.2)."""

from __future__ import annotations


def mask_phone(phone: str | None) -> str:
    """``13912345678`` → ``139****5678``.

    Long numbers keep their first three and last four characters; shorter ones (local
    numbers) keep only the first and last two, so at least three characters are always hidden;
    six characters or fewer are masked whole.
    """
    if not phone:
        return ""
    digits = phone.strip()
    if len(digits) <= 6:
        return "*" * len(digits)
    head, tail = (3, 4) if len(digits) >= 10 else (2, 2)
    return f"{digits[:head]}{'*' * (len(digits) - head - tail)}{digits[-tail:]}"
