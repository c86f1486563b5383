"""Template helpers shared by every SQM page: ``{% load sqm %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sqm.web.localize import localized_name

register = template.Library()


@register.simple_tag
def plotly_js() -> SafeString:
    """The ``<script>`` for Plotly, served from the installed ``plotly`` package (never a CDN).

    Not deferred: a page's inline ``Plotly.newPlot(...)`` that follows must find ``Plotly``.
    The URL carries Plotly's version, so browsers may cache it for a year.
    """
    return format_html('<script src="{}"></script>', reverse("plotly_js"))


@register.simple_tag
def chart_scripts() -> SafeString:
    """Plotly and the one script that draws every ``<div data-figure="…">`` of the page."""
    return format_html(
        '{}<script src="{}" defer></script>', plotly_js(), static("web/charts.js")
    )


@register.filter
def localized(obj: Any) -> str:
    """``{{ branch|localized }}``: the English name in the English UI, else the Chinese one."""
    return localized_name(obj)


@register.filter
def thousands(value: Any) -> str:
    """``1234567`` → ``1,234,567`` (django.contrib.humanize is not worth an app for this)."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return "—"
