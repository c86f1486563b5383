"""The choice sets of the complaint fields: value, label (and colour where the UI colours it).

The values come from the pure core's enums; where the core also names them (statuses, actions,
levels) the labels come from its one table, translated lazily here. Model fields, forms, filters
and templates read these sets and nothing else.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.complaints.core.categories import IntakeChannel, Severity
from sqm.complaints.core.escalation import LEVEL_NAMES_ZH, Level
from sqm.complaints.core.money import RefundKind
from sqm.complaints.core.states import ACTION_NAMES_ZH, STATUS_NAMES_ZH
from sqm.lib.choices import Choice, ChoiceSet, from_names


class WorkOrderStatusChoices(ChoiceSet):
    CHOICES = from_names(STATUS_NAMES_ZH, _)


class WorkOrderActionChoices(ChoiceSet):
    CHOICES = from_names(ACTION_NAMES_ZH, _)


class LevelChoices(ChoiceSet):
    # The chips the work-order pages show for a raised level.
    CHOICES = from_names(
        LEVEL_NAMES_ZH, _, colours={Level.ESCALATED: "chip-escalated", Level.APPEAL: "chip-appeal"}
    )


class ChannelChoices(ChoiceSet):
    CHOICES = (
        Choice(IntakeChannel.HOTLINE, _("客服热线")),
        Choice(IntakeChannel.HALL, _("营业厅")),
        Choice(IntakeChannel.WEB, _("网上营业厅")),
        Choice(IntakeChannel.APP, _("手机营业厅")),
        Choice(IntakeChannel.SMS, _("短信营业厅")),
        Choice(IntakeChannel.LETTER, _("信函")),
        Choice(IntakeChannel.REGULATOR, _("管局/工信部转办")),
        Choice(IntakeChannel.MANAGER, _("客户经理")),
    )


class SeverityChoices(ChoiceSet):
    CHOICES = (
        Choice(Severity.LOW, _("一般")),
        Choice(Severity.MEDIUM, _("较重")),
        Choice(Severity.HIGH, _("严重")),
        Choice(Severity.CRITICAL, _("紧急")),
    )


class RefundKindChoices(ChoiceSet):
    CHOICES = (
        Choice(RefundKind.DOUBLE_REFUND, _("双倍返还")),
        Choice(RefundKind.REFUND_FIRST, _("先退费后查证")),
        Choice(RefundKind.OTHER, _("其他退费")),
    )


class CallbackOutcomeChoices(ChoiceSet):
    CHOICES = (
        Choice("reached", _("已联系上客户")),
        Choice("unreachable", _("多次联系未接通")),
        Choice("resolved_elsewhere", _("客户已另行解决")),
    )
