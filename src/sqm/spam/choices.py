"""The choice sets of the spam-case fields (value, label): model, forms, API and pages read these.

The values are the workflow core's enums (``sqm.spam.core.workflow``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import Choice, ChoiceSet
from sqm.spam.core.workflow import Decision, Status


class CaseStatusChoices(ChoiceSet):
    CHOICES = (
        Choice(Status.FLAGGED, _("待审核")),
        Choice(Status.UNDER_REVIEW, _("审核中")),
        Choice(Status.CONFIRMED, _("已确认")),
        Choice(Status.SUSPENDED, _("已停机")),
        Choice(Status.APPEALED, _("申诉中")),
        Choice(Status.RESTORED, _("已复机")),
        Choice(Status.UPHELD, _("维持停机")),
        Choice(Status.REJECTED, _("已驳回")),
    )


class DecisionChoices(ChoiceSet):
    CHOICES = (
        Choice(Decision.CONFIRM, _("确认违规")),
        Choice(Decision.REJECT, _("驳回")),
    )
