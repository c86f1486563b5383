"""``{% load spam_format %}``: percentages and probabilities that may be "no value"."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: Any, digits: int = 1) -> str:
    """``0.9534`` → ``95.3%``; ``None`` (a ratio over nothing) → ``—``."""
    if value is None or value == "":
        return "—"
    try:
        return f"{100 * float(value):.{int(digits)}f}%"
    except (TypeError, ValueError):
        return "—"


@register.filter
def decimal(value: Any, digits: int = 2) -> str:
    if value is None or value == "":
        return "—"
    try:
        return f"{float(value):.{int(digits)}f}"
    except (TypeError, ValueError):
        return "—"


@register.filter
def risk_class(value: Any) -> str:
    """A chip colour for a risk or probability in [0, 1]."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return ""
    if number >= 0.9:
        return "risk-high"
    if number >= 0.5:
        return "risk-medium"
    return "risk-low"
