"""The shell's pages: each role's home, the administrator's inventory, the admin login hand-off
and Plotly's script."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from sqm.lib.redirects import next_url
from sqm.org.access import role_of
from sqm.org.core.province import PROVINCE
from sqm.org.permissions import administrator_required
from sqm.web import assets, homes, overview
from sqm.web.labels import role_label


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The role's work list (``sqm.web.homes``): what is late, red or waiting, each a link."""
    user = request.user
    return render(
        request,
        "web/home.html",
        {
            "sections": homes.sections_for(user, timezone.now(), settings.DATA_DIR),
            "role": role_label(role_of(user)) if role_of(user) else "",
            "has_role": role_of(user) is not None,
            "show_tracing": homes.shows_tracing(user),
        },
    )


@administrator_required
def inventory(request: HttpRequest) -> HttpResponse:
    """The administrator's inventory: the org tree, the departments and the loaded data."""
    data_dir = settings.DATA_DIR
    branches = list(overview.org_tree(request.user))
    context = {
        "province": PROVINCE,
        "branches": branches,
        # A branch-bound user's one branch opens by itself; the province's 13 start folded.
        "expand_branches": len(branches) == 1,
        # hall_list: each branch's halls, set by org_tree's Prefetch(to_attr=...).
        "hall_total": sum(len(b.hall_list) for b in branches),  # type: ignore[attr-defined,misc]
        "departments": overview.departments(),
        "sources": overview.loaded_sources(data_dir),
        "ingest_runs": overview.ingest_runs(data_dir),
    }
    return render(request, "web/inventory.html", context)


def admin_login(request: HttpRequest) -> HttpResponse:
    """Stands in for the admin's own login page, so SQM has exactly one sign-in form.

    Anonymous visitors go to it; a signed-in user who is not staff gets 403 rather than a login
    form that would invite them to sign in again as someone else.
    """
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(next_url(request, "admin:index"))


@require_GET
def plotly_js(request: HttpRequest) -> HttpResponse:
    """Public like any static file: it is the unmodified Plotly library, no SQM data."""
    content_type = "text/javascript; charset=utf-8"
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(assets.plotly_min_js_gzip(), content_type=content_type)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(assets.plotly_min_js(), content_type=content_type)
    patch_vary_headers(response, ("Accept-Encoding",))
    response["Cache-Control"] = f"public, max-age={assets.ONE_YEAR}, immutable"
    return response
