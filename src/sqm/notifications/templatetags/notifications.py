"""``{% notification_bell %}``: the top bar's bell with the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from sqm.notifications import access, services

register = template.Library()


@register.inclusion_tag("notifications/_bell_link.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not access.can_view(user):
        return {"hidden": True}
    return {"unread": services.unread_count(user)}
