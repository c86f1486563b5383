"""What a person is told (a notification), how they want mail, and which daily digests went out."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sqm.notifications.choices import KindChoices
from sqm.notifications.core.titles import render
from sqm.org.models import Branch


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类型"), max_length=16, choices=KindChoices.choices)
    # The message id (Chinese source text with %(name)s placeholders) and its values: the
    # title renders in the reader's language when read (``text``), not in the sender's.
    title = models.CharField(_("标题"), max_length=300)
    params = models.JSONField(_("参数"), default=dict, blank=True)
    url = models.CharField(_("链接"), max_length=500)
    # The branch whose data the notification speaks of; None: the province's.
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("分公司")
    )
    # One event, one notification per person: a second notify() with the same key is a no-op.
    key = models.CharField(_("去重键"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    digest = models.ForeignKey(
        "Digest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        """The title in the active language."""
        return render(self.title, self.params or {}, gettext)

    @property
    def kind_label(self) -> str:
        return KindChoices.label(self.kind)

    @property
    def kind_colour(self) -> str:
        return KindChoices.colour(self.kind)


class MailPreference(models.Model):
    """How a person wants mail; without a row, both kinds (the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preference"
    )
    immediate = models.BooleanField(_("每条通知即时发邮件"), default=True)
    digest = models.BooleanField(_("每日汇总邮件"), default=True)

    class Meta:
        verbose_name = _("邮件设置")
        verbose_name_plural = _("邮件设置")


class Digest(models.Model):
    """One daily digest mail sent to one person: the record that makes it once a day."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digests"
    )
    day = models.DateField(_("日期"))
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)
    count = models.PositiveIntegerField(_("通知数"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["recipient", "day"], name="digest_once_a_day")
        ]
        verbose_name = _("每日汇总")
        verbose_name_plural = _("每日汇总")
