"""Listener registrations of the TMF APIs' event hubs (``POST /hub``)."""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class Listener(models.Model):
    """A client's callback for one API's events. Events reach it only for records its owner
    may see: a branch manager's listener hears nothing of another branch."""

    api = models.CharField(_("接口"), max_length=64, db_index=True)
    callback = models.URLField(_("回调地址"), max_length=500)
    # The API's address as the client called it: the hrefs in its events point there.
    base_url = models.URLField(_("接口地址"), max_length=300)
    query = models.CharField(_("筛选条件"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="tmf_listeners"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    delivered = models.PositiveIntegerField(_("已送达"), default=0)
    failed = models.PositiveIntegerField(_("送达失败"), default=0)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("事件监听")
        verbose_name_plural = _("事件监听")

    def __str__(self) -> str:
        return f"{self.api} → {self.callback}"


class Delivery(models.Model):
    """An event a listener has not received yet (the outbox): its first POST failed, and the
    hub's sweep tries again with a growing pause until it is delivered or given up. The row
    goes when the event does."""

    listener = models.ForeignKey(Listener, on_delete=models.CASCADE, related_name="outbox")
    event_type = models.CharField(_("事件类型"), max_length=64)
    body = models.JSONField(_("事件内容"), encoder=DjangoJSONEncoder)
    attempts = models.PositiveSmallIntegerField(_("已尝试次数"), default=1)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), db_index=True)
    last_error = models.CharField(_("最近错误"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("产生时间"), auto_now_add=True)

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        verbose_name = _("待重发事件")
        verbose_name_plural = _("待重发事件")

    def __str__(self) -> str:
        return f"{self.event_type} → {self.listener_id} (#{self.attempts})"
