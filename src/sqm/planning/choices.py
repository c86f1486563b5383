"""The choice sets of the planning fields (value, label): model, forms and pages read these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import ChoiceSet, from_names
from sqm.planning.core.kinds import PLAN_KIND_NAMES_ZH, PlanKind

__all__ = ["PlanKind", "PlanKindChoices"]


class PlanKindChoices(ChoiceSet):
    CHOICES = from_names(PLAN_KIND_NAMES_ZH, _)
