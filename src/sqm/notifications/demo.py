"""The demo's notifications: a few of every kind for the demo people, and their mail addresses,
so that the bell shows a count and `sqm notify digest` has something to send (the console
backend prints it). Idempotent: every notification has its key."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from sqm.lib.choices import gettext_noop
from sqm.notifications import services
from sqm.notifications.choices import KindChoices
from sqm.notifications.core.titles import Params
from sqm.notifications.models import Notification

MAIL_DOMAIN = "sqm.example.cn"


@dataclass(frozen=True, slots=True)
class Seeded:
    notifications: int
    people: int  # told at least once


# (username, kind, title, params, url name, branch, hours ago)
DEMO: tuple[tuple[str, str, str, Params, str, str | None, int], ...] = (
    (
        "manager_nj",
        KindChoices.ASSIGNMENT,
        gettext_noop("您被指定为溯源单的处理人:%(title)s"),
        {"title": "南京新小区无覆盖"},
        "tracing:cases",
        "NJ",
        30,
    ),
    (
        "manager_nj",
        KindChoices.DUE_SOON,
        gettext_noop("督办事项将于 %(due)s 到期:%(title)s"),
        {"due": "明天 17:00", "title": "南京营业厅排队时长降至 10 分钟以内"},
        "tracing:index",
        "NJ",
        20,
    ),
    (
        "manager_nj",
        KindChoices.OVERDUE,
        gettext_noop("督办事项已超期 %(days)s 个工作日:%(title)s"),
        {"days": 2, "title": "南京投诉回访率整改"},
        "complaints:queue",
        "NJ",
        6,
    ),
    (
        "manager_wx",
        KindChoices.ESCALATED,
        gettext_noop("督办事项超期,已升级至 %(to)s:%(title)s"),
        {"to": "分管副总", "title": "无锡热线接通率整改"},
        "tracing:index",
        "WX",
        3,
    ),
    (
        "analyst",
        KindChoices.VERIFIED,
        gettext_noop("质量管理部已验证:%(title)s"),
        {"title": "南京话费争议投诉整改"},
        "tracing:cases",
        None,
        2,
    ),
    (
        "liaison_network",
        KindChoices.ASSIGNMENT,
        gettext_noop("您的部门被指定为责任部门:%(title)s"),
        {"title": "网络覆盖类投诉连续两月未达标"},
        "tracing:cases",
        None,
        1,
    ),
)


def seed_notifications() -> Seeded:
    users = get_user_model().objects
    for user in users.filter(username__in={row[0] for row in DEMO} | {"admin", "executive"}):
        if not user.email:
            user.email = f"{user.username}@{MAIL_DOMAIN}"
            user.save(update_fields=["email"])
    people: set[str] = set()
    made = 0
    now = timezone.now()
    for username, kind, title, params, url_name, branch, hours in DEMO:
        recipient = users.filter(username=username).first()
        if recipient is None:
            continue
        row = services.notify(
            recipient,
            kind,
            title,
            reverse(url_name),
            params=params,
            branch=branch,
            key=f"demo:{username}:{kind}",
            email=False,  # the demo's mail is the digest, not a burst of console output
        )
        if row is not None:
            Notification.objects.filter(pk=row.pk).update(created_at=now - timedelta(hours=hours))
            made += 1
            people.add(username)
    return Seeded(notifications=made, people=len(people))
