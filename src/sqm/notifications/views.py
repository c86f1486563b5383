"""The notifications page (list, mark read, mark all read, mail settings) and the top bar's bell.

Every view reads through ``services``: a notification that is not the user's, or whose branch
their scope no longer includes, does not exist for them (404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.middleware import HtmxDetails

from sqm.lib.redirects import redirect_back
from sqm.notifications import access, services
from sqm.notifications.models import Notification
from sqm.org.permissions import users_who

PAGE_SIZE = 50
# htmx listens for this on the body: the bell fetches its count again.
CHANGED = "notifications-changed"

readers = users_who(access.can_view)


class PageRequest(HttpRequest):
    """What a guarded page receives (a type only): a signed-in user, htmx's details."""

    user: User
    htmx: HtmxDetails


def _one(request: PageRequest, pk: int) -> Notification:
    found = services.visible_notifications(request.user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _changed(response: HttpResponse) -> HttpResponse:
    response["HX-Trigger"] = CHANGED
    return response


@require_GET
@readers
def notification_list(request: PageRequest) -> HttpResponse:
    show = "unread" if request.GET.get("show") == "unread" else "all"
    rows = services.visible_notifications(request.user)
    if show == "unread":
        rows = rows.filter(read_at__isnull=True)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "show": show,
        "unread": services.unread_count(request.user),
        "preference": services.mail_preference(request.user),
        "has_email": bool(request.user.email),
    }
    if request.htmx and request.htmx.target == "notification-list":
        return render(request, "notifications/_list.html", context)
    return render(request, "notifications/list.html", context)


@require_POST
@readers
def mark_read(request: PageRequest, pk: int) -> HttpResponse:
    row = _one(request, pk)
    services.mark_read(request.user, [row.pk])
    if request.htmx:
        row.refresh_from_db()
        return _changed(render(request, "notifications/_row.html", {"n": row}))
    return redirect_back(request, "notifications:list")


@require_POST
@readers
def mark_all_read(request: PageRequest) -> HttpResponse:
    services.mark_read(request.user, "all")
    if request.htmx:
        return _changed(notification_list_fragment(request))
    return redirect_back(request, "notifications:list")


def notification_list_fragment(request: PageRequest) -> HttpResponse:
    page = Paginator(services.visible_notifications(request.user), PAGE_SIZE).get_page(1)
    context = {"page": page, "show": "all", "unread": 0}
    return render(request, "notifications/_list.html", context)


@require_GET
@readers
def open_notification(request: PageRequest, pk: int) -> HttpResponse:
    """Follow a notification's link, marking it read on the way."""
    row = _one(request, pk)
    services.mark_read(request.user, [row.pk])
    # notify() accepts only paths inside SQM, so the stored link cannot lead elsewhere.
    return HttpResponseRedirect(row.url)


@require_GET
def bell(request: PageRequest) -> HttpResponse:
    # The bell polls: once the session has ended, answering with the login page would put the
    # login form into the top bar. 204 tells htmx to leave the bell as it is.
    if request.htmx and not request.user.is_authenticated:
        return HttpResponse(status=204)
    return _bell(request)


@readers
def _bell(request: PageRequest) -> HttpResponse:
    return render(
        request, "notifications/_bell_link.html", {"unread": services.unread_count(request.user)}
    )


@require_POST
@readers
def preferences(request: PageRequest) -> HttpResponse:
    services.set_mail_preference(
        request.user,
        immediate=request.POST.get("immediate") == "on",
        digest=request.POST.get("digest") == "on",
    )
    messages.success(request, _("邮件设置已保存"))
    return redirect_back(request, "notifications:list")
