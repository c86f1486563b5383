"""The choice sets of the planning fields (value, label): model, forms and pages read these."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import Choice, ChoiceSet, from_names
from sqm.planning.core.kinds import PLAN_KIND_NAMES_ZH, PlanKind

__all__ = ["PlanKind", "PlanKindChoices", "SolverChoices"]


class PlanKindChoices(ChoiceSet):
    CHOICES = from_names(PLAN_KIND_NAMES_ZH, _)


class SolverChoices(ChoiceSet):
    """How a billing plan was found (``planning.core.billing``'s ``solver`` words): the page
    says it in words, never the solver's status string."""

    CHOICES = (
        Choice("cp-sat optimal", _("最优解(约束规划求解)")),
        Choice("cp-sat feasible", _("可行解(约束规划求解,限时内未证最优)")),
        Choice("greedy", _("近似解(贪心算法)")),
    )
