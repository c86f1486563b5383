"""``next`` is followed only when it stays on this site."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from sqm.lib.redirects import next_url, redirect_back


@pytest.mark.parametrize(
    "target",
    [
        "https://elsewhere.example/",
        "http://elsewhere.example/complaints/",
        "//elsewhere.example/",
        "/\\elsewhere.example",
        "\\\\elsewhere.example",
        "javascript:alert(1)",
        "https://testserver.elsewhere.example/",
    ],
)
def test_a_next_that_leaves_the_site_falls_back_to_the_default(target: str) -> None:
    request = RequestFactory().post("/x/", {"next": target})
    assert next_url(request, "/complaints/") == "/complaints/"


@pytest.mark.parametrize("target", ["/complaints/?state=overdue", "http://testserver/voc/"])
def test_a_next_on_this_site_is_followed(target: str) -> None:
    request = RequestFactory().post("/x/", {"next": target})
    assert next_url(request, "/complaints/") == target


def test_the_query_string_next_counts_too_and_an_empty_one_falls_back() -> None:
    assert next_url(RequestFactory().get("/x/", {"next": "/spam/"}), "/") == "/spam/"
    assert next_url(RequestFactory().get("/x/", {"next": ""}), "/home/") == "/home/"


def test_an_http_next_is_refused_on_an_https_request() -> None:
    request = RequestFactory().post("/x/", {"next": "http://testserver/voc/"}, secure=True)
    assert next_url(request, "/") == "/"


def test_redirect_back_redirects_to_the_checked_target() -> None:
    request = RequestFactory().post("/x/", {"next": "https://elsewhere.example/"})
    assert redirect_back(request, "/complaints/")["Location"] == "/complaints/"
