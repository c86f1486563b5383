"""The scheme and the accountability map in force in a month, and the changes to them.

Both are append-only histories (``models``): a change takes effect from a month that has not
ended yet, so a closed month keeps what was in force then. The packaged
``default_scheme.yaml`` is in force wherever no saved version is; the catalog's department is
the accountable one wherever no change says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from sqm.assessment.core.history import Assignment, Dated, check_month, in_force, map_in_force
from sqm.assessment.core.scheme import Scheme, SchemeError, parse_scheme
from sqm.assessment.models import Accountability, SchemeVersion, current_month
from sqm.indicators import services as indicators
from sqm.org.models import Branch, Department

DEFAULT_SCHEME = Path(__file__).with_name("default_scheme.yaml")


class ClosedMonth(ValueError):
    """A change may not take effect in a month that has already ended."""


@dataclass(frozen=True, slots=True)
class SchemeInForce:
    scheme: Scheme
    version: str  # "default" or "v<id> from YYYY-MM"


@cache
def default_scheme() -> Scheme:
    return parse_scheme(DEFAULT_SCHEME.read_text(encoding="utf-8"))


def check_scheme(text: str) -> Scheme:
    """The scheme, refused (SchemeError) when it names an indicator the catalog does not hold
    or scores over tiers a figure that is not a ratio."""
    scheme = parse_scheme(text)
    catalog = {entry.id: entry for entry in indicators.catalog()}
    unknown = sorted(scheme.indicators() - set(catalog))
    if unknown:
        raise SchemeError(f"indicators not in the catalog: {', '.join(unknown)}")
    for item in (*scheme.branch, *scheme.department):
        if item.tiers and catalog[item.indicator].kind != "ratio":
            raise SchemeError(f"{item.indicator}: only a ratio can be scored over some tiers")
    return scheme


def scheme_for(month: str) -> SchemeInForce:
    versions = [
        Dated(v.effective_from, v.pk, v)
        for v in SchemeVersion.objects.filter(effective_from__lte=check_month(month))
    ]
    chosen = in_force(versions, month)
    if chosen is None:
        return SchemeInForce(default_scheme(), "default")
    version = chosen.value
    return SchemeInForce(
        parse_scheme(version.document), f"v{version.pk} from {version.effective_from}"
    )


def open_month(month: str, now_month: str | None = None) -> str:
    """The month, if a change may still take effect in it (it has not ended)."""
    check_month(month)
    first_open = now_month or current_month()
    if month < first_open:
        raise ClosedMonth(
            f"{month} has ended: a change takes effect from {first_open} or later, "
            "so that closed months keep the figures they were given"
        )
    return month


def scheme_text_for(month: str) -> str:
    """The YAML of the scheme in force in ``month`` (where a new version starts from)."""
    chosen = in_force(
        [Dated(v.effective_from, v.pk, v) for v in SchemeVersion.objects.all()], check_month(month)
    )
    return chosen.value.document if chosen else DEFAULT_SCHEME.read_text(encoding="utf-8")


def save_scheme(
    text: str, effective_from: str, note: str, *, by: Any = None, now_month: str | None = None
) -> SchemeVersion:
    """A new scheme version (the old ones stay, for the months they were in force)."""
    check_scheme(text)
    return SchemeVersion.objects.create(
        document=text,
        effective_from=open_month(effective_from, now_month),
        note=note,
        created_by=by,
    )


def catalog_map() -> dict[str, str]:
    return {entry.id: entry.department for entry in indicators.catalog()}


def map_for(month: str) -> dict[str, str]:
    """Indicator → accountable department in force in ``month``."""
    changes = [
        Dated(c.effective_from, c.pk, Assignment(c.indicator, c.department))
        for c in Accountability.objects.filter(effective_from__lte=check_month(month))
    ]
    return map_in_force(catalog_map(), changes, month)


def check_assignment(indicator: str, department: str) -> None:
    if indicator not in catalog_map():
        raise ValueError(f"indicator {indicator!r} is not in the catalog")
    if not Department.objects.filter(code=department).exists():
        raise ValueError(f"department {department!r} does not exist")


def check_veto(month: str, unit_kind: str, unit: str, veto: str) -> None:
    """ValueError unless the unit exists and the scheme in force in ``month`` has the veto."""
    units = Branch.objects if unit_kind == "branch" else Department.objects
    if not units.filter(code=unit).exists():
        raise ValueError(f"no {unit_kind} {unit!r}")
    if scheme_for(month).scheme.veto(veto) is None:
        raise ValueError(f"the scheme in force in {month} has no veto {veto!r}")


def assign(
    indicator: str,
    department: str,
    effective_from: str,
    note: str = "",
    *,
    by: Any = None,
    now_month: str | None = None,
) -> Accountability:
    """Make ``department`` accountable for ``indicator`` from ``effective_from`` on."""
    check_assignment(indicator, department)
    return Accountability.objects.create(
        indicator=indicator,
        department=department,
        effective_from=open_month(effective_from, now_month),
        note=note,
        created_by=by,
    )


def export_map(month: str) -> str:
    """The map in force in ``month`` as YAML: ``{month, accountable: {indicator: dept}}``."""
    data = {"month": month, "accountable": map_for(month)}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@dataclass(frozen=True, slots=True)
class Imported:
    changed: list[Accountability]
    unchanged: int


def import_map(
    text: str,
    effective_from: str,
    note: str,
    *,
    by: Any = None,
    now_month: str | None = None,
) -> Imported:
    """Record a change for every indicator whose department differs from the map in force
    in ``effective_from``; all or nothing — one bad line changes nothing."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValueError(f"not valid YAML: {error}") from None
    accountable = data.get("accountable") if isinstance(data, dict) else None
    if not isinstance(accountable, dict):
        raise ValueError("the file needs an 'accountable:' mapping of indicator: department")
    open_month(effective_from, now_month)
    known = catalog_map()
    departments = set(Department.objects.values_list("code", flat=True))
    problems = [
        f"{indicator}: not in the catalog" for indicator in accountable if indicator not in known
    ] + [
        f"{indicator}: no department {department!r}"
        for indicator, department in accountable.items()
        if department not in departments
    ]
    if problems:
        raise ValueError("; ".join(problems))
    in_force_then = map_for(effective_from)
    changed = []
    with transaction.atomic():
        for indicator, department in accountable.items():
            if in_force_then.get(indicator) != department:
                changed.append(
                    assign(indicator, department, effective_from, note, by=by, now_month=now_month)
                )
    return Imported(changed, len(accountable) - len(changed))
