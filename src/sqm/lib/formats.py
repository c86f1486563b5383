"""Numbers as every page, export and message writes them; ``{% load sqm %}`` has a filter for
each. No Django here: a core may format too.

Every format shows "no value" (``None``, empty — a ratio over nothing — or anything that is
not a number) as ``—``.
"""

from __future__ import annotations

import math
from typing import Any

NO_VALUE = "—"


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        parsed = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(parsed) else parsed


def percent(value: Any, digits: int = 1) -> str:
    """A share in [0, 1] as a percentage: ``0.9534`` → ``95.3%``."""
    number = _number(value)
    if number is None:
        return NO_VALUE
    return f"{100 * number:.{int(digits)}f}%"


def number(value: Any, digits: int = 0) -> str:
    """``1234.5`` → ``1,235`` (``digits=0``) or ``1,234.5`` (``digits=1``)."""
    parsed = _number(value)
    if parsed is None:
        return NO_VALUE
    return f"{parsed:,.{int(digits)}f}"


def count(value: Any) -> str:
    """A count: a whole number with thousands separators, ``1204`` → ``1,204``."""
    return number(value, 0)


def duration(seconds: Any) -> str:
    """A handling or waiting time: ``75`` → ``1:15``, ``3725`` → ``1:02:05`` (m:ss, and
    h:mm:ss from an hour); rounded to the second."""
    parsed = _number(seconds)
    if parsed is None:
        return NO_VALUE
    sign = "-" if parsed < 0 else ""
    hours, rest = divmod(round(abs(parsed)), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{secs:02d}"
    return f"{sign}{minutes}:{secs:02d}"
