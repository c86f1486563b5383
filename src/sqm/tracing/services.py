"""The tracing app's service API: the only way pages, the TMF656 API, the CLI and other apps
read and change signals and cases.

Reading: ``visible_signals(user)`` and ``visible_cases(user)`` (branch scoping is org's rule:
a branch user sees their branch's signals and the cases affecting it; another branch's row does
not exist for them — DoesNotExist, a 404). ``get_case(user, number)``.

Writing (every call takes the actor; read-only roles get PermissionDenied):
- signals: ``store_signals(findings, month)`` (idempotent: a re-run updates by key),
  ``acknowledge``, ``dismiss`` (a reason is required), ``restore``;
- cases: ``open_case`` (from signals — their complaints linked automatically — or by hand),
  ``link_signals``, ``add_complaints``/``remove_complaint``, ``set_root_cause``,
  ``update_case``, ``add_measure``/``update_measure``, ``move_stage`` (``core.stages``),
  ``add_note``, ``group``/``ungroup`` (TMF656 problem groups), ``delete_case``. Each write
  locks the case, checks ``expected_version`` when given (ConcurrentEdit), bumps ``version``
  and records an attributed ``CaseEvent`` on the timeline.
- evaluation: ``impact(case)``, ``effect(case)`` / ``effect_for(branches, category,
  start, days)`` and ``satisfaction(case)`` (the survey score's change over the same windows).

Errors: ``TracingError`` for a business rule (Chinese message for the person who asked),
``IllegalStageChange`` (core) for a stage move the rule refuses, ``ConcurrentEdit``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqm.tracing.access import (
    can_view,
    can_view_signals,
    can_write,
    visible_cases,
    visible_signals,
)
from sqm.tracing.core.stages import IllegalStageChange
from sqm.tracing.models import Signal, TracingCase
from sqm.tracing.workflow.cases import (
    ConcurrentEdit,
    add_complaints,
    add_measure,
    add_note,
    link_signals,
    move_stage,
    open_case,
    remove_complaint,
    set_root_cause,
    update_case,
    update_measure,
)
from sqm.tracing.workflow.evaluation import DEFAULT_DAYS, effect, effect_for, impact, satisfaction
from sqm.tracing.workflow.groups import delete_case, group, ungroup
from sqm.tracing.workflow.triage import (
    StoreResult,
    TracingError,
    acknowledge,
    dismiss,
    restore,
    store_signals,
)

if TYPE_CHECKING:
    from sqm.lib.people import Requester


def get_case(user: Requester, number: str) -> TracingCase:
    """The case if ``user`` may see it; ``TracingCase.DoesNotExist`` otherwise."""
    return (
        visible_cases(user)
        .select_related("lead_department", "hall", "parent", "created_by")
        .prefetch_related("branches", "team_departments")
        .get(number=number)
    )


def get_signal(user: Requester, signal_id: int) -> Signal:
    """The signal if ``user`` may see it; ``Signal.DoesNotExist`` otherwise."""
    return visible_signals(user).select_related("case").get(pk=signal_id)


__all__ = [
    "DEFAULT_DAYS",
    "ConcurrentEdit",
    "IllegalStageChange",
    "StoreResult",
    "TracingError",
    "acknowledge",
    "add_complaints",
    "add_measure",
    "add_note",
    "can_view",
    "can_view_signals",
    "can_write",
    "delete_case",
    "dismiss",
    "effect",
    "effect_for",
    "get_case",
    "get_signal",
    "group",
    "impact",
    "link_signals",
    "move_stage",
    "open_case",
    "remove_complaint",
    "restore",
    "satisfaction",
    "set_root_cause",
    "store_signals",
    "ungroup",
    "update_case",
    "update_measure",
    "visible_cases",
    "visible_signals",
]
