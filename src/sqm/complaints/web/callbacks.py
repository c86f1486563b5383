"""来电必复: the callback tasks made from abandoned hotline calls, and recording a callback."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sqm.complaints.access import can_view_callbacks, can_write, visible_callbacks
from sqm.complaints.choices import CallbackOutcomeChoices
from sqm.complaints.models import Callback
from sqm.complaints.workflow.callbacks import complete_callback, summary
from sqm.complaints.workflow.guard import WorkflowError
from sqm.lib.people import SignedInRequest
from sqm.lib.redirects import redirect_back
from sqm.org.core.masking import mask_phone

PAGE_SIZE = 50
STATES = ("open", "overdue", "done", "all")


def _rows(request: SignedInRequest, state: str) -> QuerySet[Callback]:
    rows = visible_callbacks(request.user).select_related("branch", "tier", "actor")
    now = timezone.now()
    if state == "open":
        return rows.filter(completed_at__isnull=True)
    if state == "overdue":
        return rows.filter(completed_at__isnull=True, due_at__lt=now)
    if state == "done":
        return rows.filter(completed_at__isnull=False).order_by("-completed_at")
    return rows


@login_required
def callbacks(request: SignedInRequest) -> HttpResponse:
    if not can_view_callbacks(request.user):
        raise PermissionDenied
    state = request.GET.get("state", "open")
    state = state if state in STATES else "open"
    page = Paginator(_rows(request, state), PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    for callback in page:
        # What the page shows beside each row, set on the row it belongs to.
        callback.masked_phone = mask_phone(callback.phone) if callback.phone else ""  # type: ignore[attr-defined]
        callback.is_overdue = callback.completed_at is None and callback.due_at < now  # type: ignore[attr-defined]
    return render(
        request,
        "complaints/callbacks.html",
        {
            "page": page,
            "state": state,
            "states": STATES,
            "totals": summary(visible_callbacks(request.user), now),
            "outcomes": CallbackOutcomeChoices.choices,
            "may_write": can_write(request.user),
        },
    )


@login_required
@require_POST
def complete(request: SignedInRequest, pk: int) -> HttpResponse:
    try:
        complete_callback(
            request.user,
            pk,
            outcome=request.POST.get("outcome", ""),
            note=request.POST.get("note", ""),
        )
    except Callback.DoesNotExist:
        raise PermissionDenied from None
    except WorkflowError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已登记回呼"))
    return redirect_back(request, "complaints:callbacks")
