"""Administrators' pages of the org app."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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
            "entries": entries[:AUDIT_ENTRIES_SHOWN],
            "actions": list(actions),
            "action": action,
            "shown": AUDIT_ENTRIES_SHOWN,
        },
    )
