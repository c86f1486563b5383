"""The choice sets of the tracing fields (value, label, and the chip colour the pages use).

The values are the pure core's enums; stages and root-cause classes take their names from the
core's one table, translated lazily here. Model fields, forms, filters and pages read these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import Choice, ChoiceSet, from_names
from sqm.tracing.core.causes import ROOT_CAUSE_NAMES_ZH
from sqm.tracing.core.signals import SignalKind, SignalStatus
from sqm.tracing.core.stages import STAGE_NAMES_ZH, Stage


class SignalKindChoices(ChoiceSet):
    CHOICES = (
        Choice(SignalKind.BATCH_COMPLAINTS, _("批量投诉")),
        Choice(SignalKind.ABNORMAL_CHANGE, _("投诉异动")),
        Choice(SignalKind.HOT_COMPLAINT, _("热点投诉")),
        Choice(SignalKind.HOT_CONSULTATION, _("热点咨询")),
        Choice(SignalKind.ESCALATION_SPIKE, _("越级申诉突增")),
        Choice(SignalKind.SATISFACTION_SHORTBOARD, _("满意度短板")),
        Choice(SignalKind.INDICATOR_ANOMALY, _("指标异常")),
        Choice(SignalKind.SPAM_SENDER, _("垃圾短信发送方")),
    )


class SignalStatusChoices(ChoiceSet):
    # Colours: the chip classes of tracing/static/tracing/tracing.css.
    CHOICES = (
        Choice(SignalStatus.NEW, _("新发现"), "status-new"),
        Choice(SignalStatus.ACKNOWLEDGED, _("已确认"), "status-acknowledged"),
        Choice(SignalStatus.LINKED, _("已立案"), "status-linked"),
        Choice(SignalStatus.DISMISSED, _("已排除"), "status-dismissed"),
    )


class StageChoices(ChoiceSet):
    CHOICES = from_names(STAGE_NAMES_ZH, _, colours={s: f"stage-{s.value}" for s in Stage})


class RootCauseChoices(ChoiceSet):
    CHOICES = from_names(ROOT_CAUSE_NAMES_ZH, _)
