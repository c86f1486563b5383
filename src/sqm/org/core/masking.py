"""Customer phone numbers are shown masked unless a permitted user asks (R12.2)."""

from __future__ import annotations

import re


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


# Mainland mobiles (1[3-9] + 9 digits, optionally +86/86-prefixed) and fixed lines with an
# area code (0 + 2–3 digits, optional dash or space, 7–8 digits). The look-arounds keep a
# longer digit run (an order number, an ID card) from being half-masked as a phone.
_PHONE_IN_TEXT = re.compile(
    r"(?<![0-9])"
    r"(?:(?:\+?86[- ]?)?1[3-9][0-9](?:[- ]?[0-9]{4}){2}|0[1-9][0-9]{1,2}[- ]?[0-9]{7,8})"
    r"(?![0-9])"
)


def mask_phones_in_text(text: str | None) -> str:
    """Mask every phone number a person typed into free text (a description, a note).

    Digits inside the number are masked the way `mask_phone` masks a number field, separators
    kept, so ``请回电 139-1234-5678`` reads ``请回电 139-****-5678``.
    """
    if not text:
        return ""

    def _mask(match: re.Match[str]) -> str:
        found = match.group(0)
        digits = [i for i, ch in enumerate(found) if ch.isdigit()]
        hidden = set(digits[-8:-4]) if len(digits) >= 10 else set(digits[-6:-2])
        return "".join("*" if i in hidden else ch for i, ch in enumerate(found))

    return _PHONE_IN_TEXT.sub(_mask, text)
