"""The code sets that event rows are checked against, as plain data.

Built from the database (sqm.org.reference.load_reference_codes) or straight from the
province definition; validation code takes this object and never touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqm.org.core.factors import FACTOR_CODES
from sqm.org.core.province import Province


@dataclass(frozen=True, slots=True)
class ReferenceCodes:
    branch: frozenset[str]
    hall: frozenset[str]
    tier: frozenset[str]
    channel: frozenset[str]
    factor: frozenset[str] = FACTOR_CODES

    def codes(self, kind: str) -> frozenset[str]:
        value: frozenset[str] = getattr(self, kind)
        return value

    @classmethod
    def from_province(cls, province: Province) -> ReferenceCodes:
        return cls(
            branch=province.branch_codes(),
            hall=province.hall_codes(),
            tier=province.tier_codes(),
            channel=frozenset(c.code for c in province.channels),
        )
