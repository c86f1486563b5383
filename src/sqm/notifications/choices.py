"""The notifications' choice sets."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import Choice, ChoiceSet


class KindChoices(ChoiceSet):
    # Colours: the chip classes of notifications/static/notifications/notifications.css.
    ASSIGNMENT = "assignment"
    DUE_SOON = "due_soon"
    OVERDUE = "overdue"
    ESCALATED = "escalated"
    VERIFIED = "verified"
    GENERAL = "general"
    CHOICES = (
        Choice(ASSIGNMENT, _("新任务"), "kind-assignment"),
        Choice(DUE_SOON, _("即将到期"), "kind-due-soon"),
        Choice(OVERDUE, _("已超期"), "kind-overdue"),
        Choice(ESCALATED, _("已升级"), "kind-escalated"),
        Choice(VERIFIED, _("已验证"), "kind-verified"),
        Choice(GENERAL, _("通知"), "kind-general"),
    )
