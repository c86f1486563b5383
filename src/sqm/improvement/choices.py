"""The choice sets of the improvement fields (value, label, chip colour), read by the models,
forms and pages. Values and Chinese names come from the pure core's tables."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.improvement.core.actions import STATUS_NAMES_ZH, STEP_NAMES_ZH, ActionStatus
from sqm.improvement.core.agenda import KIND_NAMES_ZH
from sqm.improvement.core.deadlines import LEVEL_NAMES_ZH, STANDING_NAMES_ZH, Standing
from sqm.improvement.core.pdca import LAUNCH_NAMES_ZH, RESULT_NAMES_ZH, STAGE_NAMES_ZH
from sqm.lib.choices import Choice, ChoiceSet, from_names


class StatusChoices(ChoiceSet):
    CHOICES = from_names(
        STATUS_NAMES_ZH,
        _,
        colours={
            ActionStatus.OPEN: "chip-open",
            ActionStatus.IN_PROGRESS: "chip-progress",
            ActionStatus.DONE: "chip-done",
            ActionStatus.VERIFIED: "chip-verified",
            ActionStatus.REOPENED: "chip-reopened",
        },
    )


class StepChoices(ChoiceSet):
    CHOICES = from_names(STEP_NAMES_ZH, _)


class LevelChoices(ChoiceSet):
    CHOICES = from_names({int(k): v for k, v in LEVEL_NAMES_ZH.items()}, _)


class StandingChoices(ChoiceSet):
    CHOICES = from_names(
        STANDING_NAMES_ZH,
        _,
        colours={
            Standing.ON_TRACK: "chip-ok",
            Standing.DUE_SOON: "chip-warn",
            Standing.OVERDUE: "chip-late",
            Standing.CLOSED: "chip-closed",
        },
    )


class AgendaKindChoices(ChoiceSet):
    CHOICES = from_names(KIND_NAMES_ZH, _)


class EvidenceKindChoices(ChoiceSet):
    CHOICES = (
        Choice("note", _("说明")),
        Choice("file", _("文件")),
        Choice("link", _("链接")),
    )


class EventKindChoices(ChoiceSet):
    CHOICES = (
        Choice("created", _("创建")),
        Choice("step", _("状态变更")),
        Choice("updated", _("信息更新")),
        Choice("comment", _("评论")),
        Choice("evidence", _("上传佐证")),
        Choice("escalated", _("升级督办")),
        Choice("reminded", _("到期提醒")),
        Choice("overdue", _("超期通知")),
    )


class StageChoices(ChoiceSet):
    CHOICES = from_names(STAGE_NAMES_ZH, _)


class LaunchStatusChoices(ChoiceSet):
    CHOICES = from_names(LAUNCH_NAMES_ZH, _)


class CaseResultChoices(ChoiceSet):
    CHOICES = from_names(RESULT_NAMES_ZH, _)
