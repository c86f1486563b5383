"""Menus lead only where the role may go; a refused or missing page is a page of the site, in
the user's language, with the navigation and a way back (issue 23)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.test import Client

from tests.conftest import CAST_ROLES

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]
LAYOUT = ('class="topbar"', 'class="sidebar"', 'id="refusal-home" href="/"')


def _menu(html: str) -> list[str]:
    return re.findall(r'<a class="nav-item[^"]*" href="([^"]+)"', html)


@pytest.mark.parametrize("who", sorted(CAST_ROLES))
def test_every_menu_entry_opens_for_the_person_it_is_shown_to(
    who: str, client_for: ClientFor
) -> None:
    client = client_for(who)
    links = _menu(client.get("/").content.decode())
    assert links and links[0] == "/"
    # Followed: an entry may send the role on to its own view (a liaison to the case list).
    refused = {link: client.get(link, follow=True).status_code for link in links}
    assert all(status == 200 for status in refused.values()), refused


def test_a_spam_reviewer_s_menu_leaves_out_the_pages_they_may_not_open(
    client_for: ClientFor,
) -> None:
    links = _menu(client_for("spam_reviewer").get("/").content.decode())
    assert "/spam/" in links
    for refused in ("/complaints/", "/tracing/", "/planning/", "/voc/"):
        assert refused not in links
    handler = _menu(client_for("handler_a").get("/").content.decode())
    assert "/complaints/" in handler and "/spam/" not in handler


@pytest.mark.parametrize(
    ("language", "heading", "back"), [("zh-hans", "无权访问", "返回上一页"), ("en", "", "")]
)
def test_a_refusal_is_a_page_of_the_site_in_the_user_s_language(
    client_for: ClientFor, language: str, heading: str, back: str
) -> None:
    client = client_for("spam_reviewer")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/complaints/", headers={"Referer": "http://testserver/spam/"})
    assert response.status_code == 403
    html = response.content.decode()
    assert all(part in html for part in LAYOUT), html[:400]
    assert f'<html lang="{language}">' in html
    assert 'id="refusal-back" href="http://testserver/spam/"' in html  # the way back
    assert "/spam/" in _menu(html)
    if language == "zh-hans":
        assert heading in html and back in html
    else:
        assert "Access denied" in html and "Go back" in html and "无权访问" not in html


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_missing_page_is_a_page_of_the_site_with_a_way_home(
    client_for: ClientFor, language: str
) -> None:
    client = client_for("manager_a")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert all(part in html for part in LAYOUT)
    assert ("页面不存在" if language == "zh-hans" else "Page not found") in html
    # A way back that leaves the site is not offered: home instead.
    other = client.get("/no-such-page/", headers={"Referer": "https://elsewhere.example/"})
    assert 'id="refusal-back" href="/"' in other.content.decode()


def test_another_branch_s_work_order_is_a_friendly_404(
    people: dict[str, object], client_for: ClientFor
) -> None:
    from tests.web.homes_data import order

    wuxi = order(people["handler_b"], "WX", days_ago=1)
    response = client_for("manager_a").get(f"/complaints/{wuxi.number}/")
    assert response.status_code == 404
    html = response.content.decode()
    assert all(part in html for part in LAYOUT) and "不在你的数据范围内" in html
    assert wuxi.customer_phone not in html
