"""``{% load indicator_format %}``: figures written in their indicator's unit."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext_lazy

from sqm.indicators.core.spec import GROUP_LABELS, UNIT_LABELS
from sqm.lib.formats import duration
from sqm.lib.language import pick
from sqm.org.core.province import TIERS

register = template.Library()

WHOLE_UNITS = frozenset({"count", "people"})
ONE_DECIMAL = frozenset({"seconds", "minutes", "hours", "milliseconds", "percent"})


def format_value(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "seconds":
        return duration(value)  # waits and handling times read as m:ss, as on every page
    if unit in WHOLE_UNITS:
        return f"{round(value):,}"
    if unit in ONE_DECIMAL:
        return f"{value:,.1f}"
    return f"{value:,.2f}"


@register.filter
def figure(value: float | None, unit: str) -> str:
    """``{{ r.value|figure:indicator.unit }}`` → '86.3%', '23.4', '1,204'."""
    return format_value(value, unit)


_TIER_NAMES = {t.code: (t.name_zh, t.name_en) for t in TIERS}


@register.filter
def tier_names(codes: list[str] | tuple[str, ...]) -> str:
    """``{{ t.tiers|tier_names }}`` → '钻石卡、金卡' (Diamond, Gold): never the tier codes."""
    names = [pick(*_TIER_NAMES.get(c, (c, c))) for c in codes]
    return pick("、".join(names), ", ".join(names))


@register.filter
def unit_label(unit: str) -> str:
    zh, en = UNIT_LABELS.get(unit, (unit, unit))
    return pick(zh, en)


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
def group_name(group: str) -> str:
    zh, en = GROUP_LABELS.get(group, (group, group))
    return pick(zh, en)
