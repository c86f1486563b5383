"""The mails: one per notification (immediate) and one digest per person per day.

Mails go through Django's e-mail backend (``EMAIL_BACKEND``: the console in the demo, SMTP in
production — see the README's configuration section), in the site's language: a person has no
language of their own yet, and the pages' switch is a cookie the mail cannot see.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sqm.notifications.models import Notification

if TYPE_CHECKING:
    from sqm.lib.people import Person


log = logging.getLogger("sqm.notifications")


def link(path: str) -> str:
    """The notification's path as a link a mail reader can follow."""
    return settings.SQM_SITE_URL.rstrip("/") + path


def send_one(notification: Notification) -> None:
    """Mail one notification to its recipient; raises what the backend raises."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"[SQM] {notification.kind_label}: {notification.text}"
        body = "\n".join(
            [
                notification.text,
                "",
                link(notification.url),
                "",
                _("—— SQM 服务质量管理。邮件设置见通知页面。"),
            ]
        )
    send_mail(subject, body, None, [notification.recipient.email])


def send_digest(recipient: Person, day_text: str, items: Sequence[Notification]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = "[SQM] " + ngettext(
            "%(day)s 通知汇总:%(count)d 条未读", "%(day)s 通知汇总:%(count)d 条未读", len(items)
        ) % {"day": day_text, "count": len(items)}
        lines = [subject[len("[SQM] ") :], ""]
        for n in items:
            when = timezone.localtime(n.created_at).strftime("%m-%d %H:%M")
            lines.append(f"· {when} [{n.kind_label}] {n.text}")
            lines.append(f"  {link(n.url)}")
        lines += ["", _("全部通知:") + " " + link("/notifications/")]
    send_mail(subject, "\n".join(lines), None, [recipient.email])
