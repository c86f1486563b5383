from __future__ import annotations

import pytest

from sqm.demo.showcase import create_demo_users
from sqm.notifications import services
from sqm.notifications.demo import seed_notifications
from sqm.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_notifies_each_demo_person_once_however_often_it_runs(reference: None) -> None:
    create_demo_users()
    first = seed_notifications()
    second = seed_notifications()
    assert first.notifications == second.notifications == 6
    assert first.people == 4
    assert Notification.objects.count() == 6
    from django.contrib.auth import get_user_model

    manager_nj = get_user_model().objects.get(username="manager_nj")
    assert manager_nj.email == "manager_nj@sqm.example.cn"
    assert services.unread_count(manager_nj) == 3
    assert {n.branch.code for n in services.visible_notifications(manager_nj)} == {"NJ"}


def test_the_demo_titles_read_in_english(reference: None) -> None:
    from django.utils import translation

    create_demo_users()
    seed_notifications()
    overdue = Notification.objects.get(kind="overdue")
    with translation.override("en"):
        assert overdue.text == "Action item overdue by 2 working days: 南京投诉回访率整改"
