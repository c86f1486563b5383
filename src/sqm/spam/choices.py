"""The choice sets of the spam-case fields (value, label): model, forms, API and pages read these.

The values are the workflow core's enums (``sqm.spam.core.workflow``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import Choice, ChoiceSet
from sqm.lib.language import pick
from sqm.org.core.province import TIERS
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


class ImpactChoices(ChoiceSet):
    """Why suspending a number would hurt most (``workflow.impact_reason``): an enterprise
    port, or a tier's customer (``tier:<code>``, named by ``impact_label``)."""

    CHOICES = (Choice("enterprise_port", _("企业端口号码")),)


_TIER_NAMES = {t.code: (t.name_zh, t.name_en) for t in TIERS}


def impact_label(reason: str | None) -> str:
    """``enterprise_port`` → 企业端口号码, ``tier:diamond`` → 钻石卡客户: never the code."""
    if not reason:
        return ""
    if reason.startswith("tier:"):
        code = reason.removeprefix("tier:")
        zh, en = _TIER_NAMES.get(code, (code, code))
        return str(_("%(tier)s客户") % {"tier": pick(zh, en)})
    return ImpactChoices.label(reason)
