"""Template helpers shared by every SQM page: ``{% load sqm %}``."""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString

from sqm.lib import formats, language

register = template.Library()

# One set of number formats (sqm.lib.formats), the same in every app's templates.
register.filter("percent", formats.percent)  # {{ 0.953|percent }} → 95.3%, |percent:0 → 95%
register.filter("number", formats.number)  # {{ 1234.5|number:1 }} → 1,234.5
register.filter("count", formats.count)  # {{ 1204|count }} → 1,204
register.filter("duration", formats.duration)  # {{ 75|duration }} → 1:15


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
    return format_html('{}<script src="{}" defer></script>', plotly_js(), static("web/charts.js"))


@register.filter
def localized(obj: Any) -> str:
    """``{{ branch|localized }}``: the English name in the English UI, else the Chinese one."""
    return language.localized_name(obj)


@register.filter
def localized_text(obj: Any, field: str) -> str:
    """``{{ indicator|localized_text:'definition' }}`` → definition_en in English, else _zh."""
    return language.localized_text(obj, field)


@register.simple_tag(takes_context=True)
def way_back(context: template.Context) -> str:
    """Where a refusal page's "back" link goes: the page the person came from when it is on
    this site (and not the refused page itself), else the home page."""
    request = context.get("request")
    home = reverse("home")
    if request is None:
        return home
    referer = request.headers.get("Referer", "")
    same_site = url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    if not referer or not same_site or referer.endswith(request.get_full_path()):
        return home
    return referer
