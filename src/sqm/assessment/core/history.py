"""What was in force in a month: the scheme version and the accountability map.

Both keep their history: a change is a new record that takes effect from a month, and
nothing is edited in place, so a closed month is recomputed with what was in force then.
Among records taking effect in the same month, the later one (higher ``sequence``) wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_month(month: str) -> str:
    """``YYYY-MM`` or ValueError: months compare as text only in this form."""
    if not _MONTH.match(month):
        raise ValueError(f"month {month!r}: write YYYY-MM")
    return month


def previous_month(month: str) -> str:
    year, number = int(month[:4]), int(month[5:])
    return f"{year - 1:04d}-12" if number == 1 else f"{year:04d}-{number - 1:02d}"


def months_of_year_until(month: str) -> list[str]:
    """January of the month's year up to the month, both included."""
    year, number = month[:4], int(month[5:])
    return [f"{year}-{m:02d}" for m in range(1, number + 1)]


@dataclass(frozen=True, slots=True)
class Dated(Generic[T]):
    effective_from: str  # YYYY-MM
    sequence: int  # the order the records were made in
    value: T


def in_force(records: Iterable[Dated[T]], month: str) -> Dated[T] | None:
    """The record in force in ``month``: the latest to take effect on or before it."""
    eligible = [r for r in records if r.effective_from <= month]
    return max(eligible, key=lambda r: (r.effective_from, r.sequence), default=None)


@dataclass(frozen=True, slots=True)
class Assignment:
    indicator: str
    department: str


def map_in_force(
    catalog: Mapping[str, str], changes: Iterable[Dated[Assignment]], month: str
) -> dict[str, str]:
    """Indicator → accountable department in ``month``: the catalog's department unless a
    change in force says otherwise."""
    accountable = dict(catalog)
    latest: dict[str, Dated[Assignment]] = {}
    for change in changes:
        if change.effective_from > month:
            continue
        known = latest.get(change.value.indicator)
        if known is None or (change.effective_from, change.sequence) > (
            known.effective_from,
            known.sequence,
        ):
            latest[change.value.indicator] = change
    for indicator, change in latest.items():
        accountable[indicator] = change.value.department
    return accountable
