"""The assessment app's service API: the only way pages, the CLI, the monthly report and other
apps read and change its records.

Reading: ``assess(month)`` → ``Assessment`` (``core.outcome``: every unit with its score,
rank, items, bonus, penalty, veto, change against last month and year to date; branches
first, each kind by rank), ``trend(kind, unit)``, ``months()`` (months with indicator
results, newest first), ``visible_units(user, assessment)`` (what a person may see of it).
Raises ``NoFigures`` for a month without indicator results.

Changing (append-only, from a month that has not ended: ``ClosedMonth`` otherwise):
``save_scheme``, ``assign`` (the accountable department of an indicator), ``import_map`` /
``export_map`` (YAML), ``record_veto``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqm.assessment.core.outcome import (
    AdjustmentResult,
    Assessment,
    ItemResult,
    Unassessed,
    UnitResult,
)
from sqm.assessment.core.scheme import Scheme, SchemeError
from sqm.assessment.models import VetoIncident
from sqm.assessment.monthly import NoFigures, assess, trend
from sqm.assessment.monthly import months_with_figures as months
from sqm.assessment.rules import (
    ClosedMonth,
    assign,
    check_scheme,
    check_veto,
    default_scheme,
    export_map,
    import_map,
    map_for,
    save_scheme,
    scheme_for,
)
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Requester


def record_veto(
    month: str,
    unit_kind: str,
    unit: str,
    description: str,
    *,
    veto: str = "customer_data_leak",
    by: Any = None,
) -> VetoIncident:
    """Record an incident that vetoes the unit's month (a customer-data leak by default)."""
    check_veto(month, unit_kind, unit, veto)
    incident = VetoIncident(
        month=month,
        unit_kind=unit_kind,
        unit=unit,
        veto=veto,
        description=description,
        recorded_by=by,
    )
    incident.full_clean()
    incident.save()
    return incident


def may_view(user: Requester) -> bool:
    return scope_of(user).role is not None


def own_branches(user: Requester) -> frozenset[str] | None:
    """None: the user sees every unit's detail; else the branches whose detail they see."""
    return scope_of(user).branches


def may_view_unit(user: Requester, kind: str, unit: str) -> bool:
    """A branch-bound person sees their own branch's scorecard only; others see all."""
    branches = own_branches(user)
    if not may_view(user):
        return False
    return branches is None or (kind == "branch" and unit in branches)


def visible_units(user: Requester, assessment: Assessment) -> list[UnitResult]:
    """The units whose score and detail the user may see (their rank among 13 included)."""
    return [u for u in assessment.units if may_view_unit(user, u.kind, u.unit)]


__all__ = [
    "AdjustmentResult",
    "Assessment",
    "ClosedMonth",
    "ItemResult",
    "NoFigures",
    "Scheme",
    "SchemeError",
    "Unassessed",
    "UnitResult",
    "assess",
    "assign",
    "check_scheme",
    "default_scheme",
    "export_map",
    "import_map",
    "map_for",
    "may_view",
    "may_view_unit",
    "months",
    "own_branches",
    "record_veto",
    "save_scheme",
    "scheme_for",
    "trend",
    "visible_units",
]
