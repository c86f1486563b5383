"""``{% load indicator_format %}``: figures written in their indicator's unit."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext_lazy

from sqm.indicators.core.spec import GROUP_LABELS, UNIT_LABELS
from sqm.web.localize import english_active

register = template.Library()

WHOLE_UNITS = frozenset({"count", "people"})
ONE_DECIMAL = frozenset({"seconds", "minutes", "hours", "milliseconds", "percent"})


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit in WHOLE_UNITS:
        return f"{round(value):,}"
    if unit in ONE_DECIMAL:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


@register.filter
def figure(value: float | None, unit: str) -> str:
    """``{{ r.value|figure:indicator.unit }}`` → '86.3%', '23.4', '1,204'."""
    return format_value(value, unit)


@register.filter
def count(value: float | None) -> str:
    """A numerator or denominator: whole numbers with separators, others to one decimal."""
    if value is None:
        return "—"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


@register.filter
def unit_label(unit: str) -> str:
    zh, en = UNIT_LABELS.get(unit, (unit, unit))
    return en if english_active() else zh


@register.filter
def signed(value: float | None) -> str:
    # Rounded first so that a gap of -0.004 reads +0.00, not -0.00.
    return "—" if value is None else f"{(round(value, 2) or 0.0):+.2f}"


LIGHT_LABELS = {
    "green": gettext_lazy("绿灯"),
    "amber": gettext_lazy("黄灯"),
    "red": gettext_lazy("红灯"),
}


@register.filter
def light_label(light: str | None) -> str:
    return str(LIGHT_LABELS[light]) if light in LIGHT_LABELS else "—"


@register.filter
def localized_text(obj: Any, field: str) -> str:
    """``{{ indicator|localized_text:'definition' }}`` → definition_en in English, else _zh."""
    english = getattr(obj, f"{field}_en", "") if english_active() else ""
    return str(english or getattr(obj, f"{field}_zh", ""))


@register.filter
def group_name(group: str) -> str:
    zh, en = GROUP_LABELS.get(group, (group, group))
    return en if english_active() else zh
