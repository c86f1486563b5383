"""Where a form sends the user back to: the ``next`` a page put in it, only if it stays on
this site.

Every ``next`` in SQM goes through ``next_url`` (Django's ``url_has_allowed_host_and_scheme``):
a ``next`` pointing elsewhere (``https://elsewhere.example/``, ``//elsewhere.example``,
``/\\elsewhere.example``, ``javascript:…``) falls back to the page's own default, so a link
or a forged form cannot turn SQM into a springboard to another site.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

FIELD = "next"


def next_url(request: HttpRequest, fallback: Any, field: str = FIELD) -> str:
    """The ``next`` the request names (form first, then query) when it is safe, else
    ``fallback`` (a path, a URL name or a model, as ``redirect`` takes)."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(fallback)


def redirect_back(request: HttpRequest, fallback: Any, field: str = FIELD) -> HttpResponseRedirect:
    return HttpResponseRedirect(next_url(request, fallback, field))
