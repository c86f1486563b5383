"""Language selection: Chinese unless the user picked another language with the switch."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers


class LocaleMiddleware:
    """Django's LocaleMiddleware without the browser's Accept-Language.

    SQM speaks Chinese first: many of a province's staff run browsers set to English, and they
    should still land on the Chinese UI. The language switch posts to Django's ``set_language``,
    which stores the choice in the language cookie; that cookie is the only input here.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        # A shared cache must not hand one user's language to another. Only pages vary: the
        # immutable assets (Plotly's JS) stay cacheable across logins.
        if response.get("Content-Type", "").startswith("text/html"):
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response
