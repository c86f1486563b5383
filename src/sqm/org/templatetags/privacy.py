"""``{% load privacy %}``: customer data in templates as the viewer may see it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import template

from sqm.org.scoping import typed_text_for

if TYPE_CHECKING:
    from sqm.lib.people import Requester


register = template.Library()


@register.filter
def masked_for(text: Any, user: Requester) -> str:
    """``{{ note.text|masked_for:user }}``: phone numbers a person typed into free text,
    masked for roles that may not reveal numbers (sqm.org.scoping.typed_text_for)."""
    return typed_text_for(user, "" if text is None else str(text))
