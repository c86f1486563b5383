"""The kinds of plan — the one list; the pure planners stamp their payloads with these values and
``sqm.planning.choices.PlanKindChoices`` gives the pages their labels."""

from __future__ import annotations

from enum import StrEnum

from sqm.lib.choices import gettext_noop


class PlanKind(StrEnum):
    HOTLINE = "hotline"
    SCHEDULE = "schedule"
    HALLS = "halls"
    BILLING = "billing"


PLAN_KIND_NAMES_ZH: dict[PlanKind, str] = {
    PlanKind.HOTLINE: gettext_noop("热线人力需求"),
    PlanKind.SCHEDULE: gettext_noop("热线排班"),
    PlanKind.HALLS: gettext_noop("营业厅人力与营业时间"),
    PlanKind.BILLING: gettext_noop("分期出账"),
}
