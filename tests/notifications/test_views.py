"""The notifications page, the bell in the top bar, mark read (one, all, over htmx), following a
notification's link, the mail settings — and that nobody reaches another person's
notifications or another branch's."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation

from sqm.notifications import services
from sqm.notifications.models import Notification
from tests.conftest import ANONYMOUS, ClientFor

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def _notify(user: Any, title: str, **kwargs: Any) -> Notification:
    made = services.notify(user, kwargs.pop("kind", "overdue"), title, "/tracing/", **kwargs)
    assert made is not None
    return made


def test_the_bell_shows_the_unread_count_on_every_page(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    _notify(people["manager_a"], "甲一", branch="NJ")
    _notify(people["manager_a"], "甲二")
    home = client_for("manager_a").get("/").content.decode()
    assert 'id="notification-bell"' in home
    assert 'data-count="2"' in home
    other = client_for("manager_b").get("/").content.decode()
    assert 'id="notification-bell"' in other and "data-count" not in other


def test_the_list_shows_the_users_notifications_and_no_one_elses(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    _notify(people["manager_a"], "南京的事项已超期", branch="NJ")
    _notify(people["manager_b"], "无锡的事项已超期", branch="WX")
    page = client_for("manager_a").get("/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "南京的事项已超期" in html and "无锡的事项已超期" not in html
    assert "已超期" in html  # the kind's chip


def test_another_persons_notification_is_a_404_to_read_or_open(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    theirs = _notify(people["manager_b"], "无锡", branch="WX")
    client = client_for("manager_a")
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/notifications/{theirs.pk}/open/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_one_read_over_htmx_returns_the_row_and_tells_the_bell(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    mine = _notify(people["manager_a"], "甲", branch="NJ")
    answer = client_for("manager_a").post(f"/notifications/{mine.pk}/read/", **HTMX)
    assert answer.status_code == 200
    assert answer["HX-Trigger"] == "notifications-changed"
    html = answer.content.decode()
    assert html.startswith(f'<tr id="notification-{mine.pk}" class="is-read">')
    assert services.unread_count(people["manager_a"]) == 0


def test_marking_all_read_without_htmx_goes_back_to_the_list(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    for title in ("一", "二", "三"):
        _notify(people["manager_a"], title)
    _notify(people["manager_b"], "四")
    answer = client_for("manager_a").post("/notifications/read-all/")
    assert answer.status_code == 302 and answer["Location"] == "/notifications/"
    assert services.unread_count(people["manager_a"]) == 0
    assert services.unread_count(people["manager_b"]) == 1


def test_marking_all_read_over_htmx_returns_the_list_without_the_button(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    _notify(people["analyst"], "一")
    answer = client_for("analyst").post("/notifications/read-all/", **HTMX)
    html = answer.content.decode()
    assert answer["HX-Trigger"] == "notifications-changed"
    assert html.startswith('<div id="notification-list">')
    assert 'id="mark-all-read"' not in html and "is-read" in html


def test_opening_a_notification_marks_it_read_and_follows_its_link(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    mine = _notify(people["analyst"], "一")
    answer = client_for("analyst").get(f"/notifications/{mine.pk}/open/")
    assert answer.status_code == 302 and answer["Location"] == "/tracing/"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_the_unread_tab_lists_only_unread(client_for: ClientFor, people: dict[str, Any]) -> None:
    read = _notify(people["analyst"], "读过的")
    _notify(people["analyst"], "没读的")
    services.mark_read(people["analyst"], [read.pk])
    html = client_for("analyst").get("/notifications/?show=unread").content.decode()
    assert "没读的" in html and "读过的" not in html


def test_mail_settings_are_saved(client_for: ClientFor, people: dict[str, Any]) -> None:
    answer = client_for("manager_a").post("/notifications/preferences/", {"digest": "on"})
    assert answer.status_code == 302
    preference = services.mail_preference(people["manager_a"])
    assert preference.immediate is False and preference.digest is True


def test_the_bell_fragment_answers_the_count(client_for: ClientFor, people: dict[str, Any]) -> None:
    _notify(people["liaison"], "一")
    html = client_for("liaison").get("/notifications/bell/").content.decode()
    assert 'data-count="1"' in html


def test_anonymous_people_are_sent_to_the_login_page(client_for: ClientFor) -> None:
    answer = client_for(ANONYMOUS).get("/notifications/")
    assert answer.status_code == 302 and "/login" in answer["Location"]


def test_the_page_reads_in_english(client_for: ClientFor, people: dict[str, Any]) -> None:
    _notify(people["analyst"], "一", kind="verified")
    client = client_for("analyst")
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        html = client.get("/notifications/").content.decode()
    assert "Mark all as read" in html and "Verified" in html and "Mail settings" in html


def test_administrators_read_notifications_in_the_admin(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    _notify(people["manager_a"], "南京的事项", branch="NJ")
    page = client_for("admin").get("/admin/notifications/notification/")
    assert page.status_code == 200
    assert "南京的事项" in page.content.decode()


def test_the_polling_bell_stays_as_it_is_once_the_session_has_ended(client_for: ClientFor) -> None:
    answer = client_for(ANONYMOUS).get("/notifications/bell/", **HTMX)
    assert answer.status_code == 204 and answer.content == b""
