"""Adaptors read a file in some system's own layout and yield rows in one source's schema.

An adaptor does the mapping only; the rows it yields are validated like any others, so a
mapping mistake shows up as quarantined rows with reasons rather than as silent bad data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa

from sqm.org.core.reference import ReferenceCodes


class AdaptorError(ValueError):
    """The file or the options do not fit the adaptor (one line, for the user)."""


@dataclass(frozen=True, slots=True)
class AdaptedBatch:
    table: pa.Table  # columns of the adaptor's source (typed; missing columns are allowed)
    first_row: int  # data row number of the table's first row in the file (1-based)
    originals: pa.Table  # the same rows as they are in the file, as text (for quarantine)
    reasons: pa.Array  # problems found while mapping, one text or null per row
    warnings: list[str] = field(default_factory=list)


Reader = Callable[[Path, ReferenceCodes, Mapping[str, str]], Iterator[AdaptedBatch]]


@dataclass(frozen=True, slots=True)
class Adaptor:
    name: str
    source: str  # the event source it produces
    options: tuple[str, ...]  # option names it accepts (all required)
    read: Reader
    description: str = ""


def _registry() -> dict[str, Adaptor]:
    from sqm.events.core.adaptors import anonymous_bank, survey_study

    return {a.name: a for a in (anonymous_bank.ADAPTOR, survey_study.ADAPTOR)}


def get_adaptor(name: str) -> Adaptor | None:
    return _registry().get(name)


def adaptor_names() -> list[str]:
    return sorted(_registry())


__all__ = [
    "AdaptedBatch",
    "Adaptor",
    "AdaptorError",
    "Reader",
    "adaptor_names",
    "get_adaptor",
]
