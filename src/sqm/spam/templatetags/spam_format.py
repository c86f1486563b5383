"""``{% load spam_format %}``: the chip colour of a risk. Percentages and numbers are the
product's own formats (``{% load sqm %}``: ``percent``, ``number``)."""

from __future__ import annotations

from typing import Any

from django import template

from sqm.spam.choices import impact_label

register = template.Library()


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


# {{ case.impact_reason|impact }} → 企业端口号码 / 钻石卡客户
register.filter("impact", impact_label)
