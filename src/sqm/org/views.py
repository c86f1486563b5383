"""Administrators' pages of the org app."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from sqm.lib.formats import NO_VALUE
from sqm.org.choices import RoleChoices
from sqm.org.models import AuditLog
from sqm.org.permissions import administrator_required

AUDIT_ENTRIES_SHOWN = 200


@administrator_required
def audit(request: HttpRequest) -> HttpResponse:
    """The latest audit entries, phone reveals and refusals among them (R12.2).

    Administrators only, and province-wide: the log records who looked at whom, which is not
    branch data to share with branch managers.
    """
    action = request.GET.get("action", "")
    entries = AuditLog.objects.all()
    if action:
        entries = entries.filter(action=action)
    actions = AuditLog.objects.order_by("action").values_list("action", flat=True).distinct()
    return render(
        request,
        "org/audit.html",
        {
            "entries": [_shown(entry) for entry in entries[:AUDIT_ENTRIES_SHOWN]],
            "actions": list(actions),
            "action": action,
            "shown": AUDIT_ENTRIES_SHOWN,
        },
    )


def _value(value: Any) -> str:
    """A detail value as a person reads it: 是/否 and — rather than Python's True/None."""
    if value is None or value == "":
        return NO_VALUE
    if isinstance(value, bool):
        return _("是") if value else _("否")
    return str(value)


def _shown(entry: AuditLog) -> AuditLog:
    entry.role_label = RoleChoices.label(entry.actor_role) if entry.actor_role else ""  # type: ignore[attr-defined]
    entry.shown_detail = [(key, _value(value)) for key, value in (entry.detail or {}).items()]  # type: ignore[attr-defined]
    return entry
