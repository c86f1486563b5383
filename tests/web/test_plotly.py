"""Plotly's JavaScript comes from the installed plotly package, with long cache headers."""

from __future__ import annotations

import gzip
from importlib.metadata import version

from django.template import Context, Template
from django.test import Client
from django.urls import reverse


def test_the_tag_points_at_the_local_versioned_url() -> None:
    html = Template("{% load sqm %}{% plotly_js %}").render(Context())
    assert html == f'<script src="/assets/plotly-{version("plotly")}.min.js"></script>'


def test_the_script_is_the_package_s_own_and_cacheable_for_a_year() -> None:
    from plotly.offline import get_plotlyjs

    response = Client().get(reverse("plotly_js"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "max-age=31536000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response.content == get_plotlyjs().encode()


def test_a_browser_that_accepts_gzip_gets_it_compressed() -> None:
    response = Client().get(reverse("plotly_js"), headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    plain = Client().get(reverse("plotly_js")).content
    assert len(response.content) < len(plain) / 2
    assert gzip.decompress(response.content) == plain
