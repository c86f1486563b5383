"""``{% load tracing %}{% tracing_home %}``: the newest signals and the open cases, on the home
page of whoever may see them (the home page knows nothing of tracing but this tag)."""

from __future__ import annotations

from typing import Any

from django import template

from sqm.tracing import services
from sqm.tracing.web import presentation

register = template.Library()
SHOWN = 8


@register.inclusion_tag("tracing/_home.html", takes_context=True)
def tracing_home(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    if not services.can_view(user):
        return {"show": False}
    signals = services.visible_signals(user).order_by("-first_seen", "-score")
    cases = services.visible_cases(user).exclude(stage="closed").order_by("-created_at", "-id")
    return {
        "show": True,
        "show_signals": services.can_view_signals(user),
        "rows": presentation.signal_rows(signals.filter(status="new")[:SHOWN]),
        "cases": list(cases[:SHOWN]),
    }
