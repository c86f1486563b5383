"""What every source generator needs to know about the month being generated."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from sqm.demo.core.incidents import IncidentPlan, Ledger
from sqm.demo.core.month import Month, day_ms
from sqm.demo.core.population import Population
from sqm.demo.core.scales import Scale, rng_for
from sqm.org.core.province import Hall, Province


@dataclass(slots=True)
class Context:
    province: Province
    scale: Scale
    month: Month
    seed: int
    population: Population
    halls: tuple[Hall, ...]
    plan: IncidentPlan
    ledger: Ledger

    def rng(self, stream: str, day: date | None = None, part: int = 0) -> np.random.Generator:
        return rng_for(self.seed, stream, self.month.number, 0 if day is None else day.day, part)

    def day_base_ms(self, day: date) -> int:
        return day_ms(day)

    def day_key(self, day: date) -> int:
        """YYYYMMDD, the date part of per-day identifiers."""
        return day.year * 10_000 + day.month * 100 + day.day

    @property
    def month_start_ms(self) -> int:
        return day_ms(self.month.first)

    @property
    def month_end_ms(self) -> int:
        return day_ms(self.month.last) + 86_400_000

    def branch_index(self, code: str) -> int:
        return self.population.branch_codes.index(code)
