"""The report's month: written YYYY-MM, and the one before it. No Django here: the command line
checks the month before it opens the database."""

from __future__ import annotations

import re

from sqm.lib.periods import Period, PeriodError, parse_period


def month_period(text: str) -> Period:
    """``YYYY-MM`` as a period; anything else is refused with the reason (``PeriodError``)."""
    if not re.fullmatch(r"\d{4}-\d{2}", text.strip()):
        raise PeriodError(f"a month is written YYYY-MM, not {text!r}")
    return parse_period(text.strip())


def previous_month(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    year, number = (year, number - 1) if number > 1 else (year - 1, 12)
    return f"{year:04d}-{number:02d}"
