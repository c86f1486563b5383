"""Sizes of the demo province and the per-customer rates that make its event volumes.

A scale is a sample of the real province (Jiangsu, ~46M mobile customers at ``province``):
fewer customers, the same behaviour per customer. Business halls are not shrunk — a hall with
six counters and a tenth of its customers would never queue — so smaller scales keep a subset
of the halls, each at realistic load (tiny: two residential + two business halls).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from sqm.org.core.province import Hall, Province


@dataclass(frozen=True, slots=True)
class Scale:
    name: str
    customers: int
    halls: str  # "all", "two_per_branch" or a comma-separated list of hall codes
    # the periodic 19-factor satisfaction study (quality system course 2013: 12,000 answers)
    study_respondents: int
    chunk_rows: int = 1_000_000  # rows per Arrow table when a day is large
    description: str = ""

    def active_halls(self, province: Province) -> tuple[Hall, ...]:
        if self.halls == "all":
            return province.halls
        if self.halls == "two_per_branch":
            return tuple(h for h in province.halls if int(h.code.rsplit("H", 1)[1]) <= 2)
        wanted = set(self.halls.split(","))
        return tuple(h for h in province.halls if h.code in wanted)


SCALES: dict[str, Scale] = {
    s.name: s
    for s in (
        Scale("tiny", 10_000, "NJ-H001,NJ-H002,SZ-H001,SZ-H002", 240,
              description="unit tests: ~130k events (4 halls at full load), 1.5–3 s"),
        Scale("small", 260_000, "two_per_branch", 1_500,
              description="~1.9M events in 5–9 s; the default demo"),
        Scale("medium", 2_900_000, "all", 4_000,
              description="~20M events in 30–50 s; the throughput report"),
        Scale("province", 47_000_000, "all", 12_000,
              description="a real province-month: ~305M events, ~6 min, ~3 GB RSS"),
    )
}  # fmt: skip


def get_scale(name: str) -> Scale:
    try:
        return SCALES[name]
    except KeyError:
        raise ValueError(f"unknown scale {name!r}; choose one of {', '.join(SCALES)}") from None


# Contacts per customer per month, by tier (diamond, gold, silver, group, ordinary).
CALLS_PER_CUSTOMER = (1.5, 1.0, 0.7, 0.5, 0.4)
COMPLAINTS_PER_CUSTOMER = (0.0030, 0.0026, 0.0022, 0.0020, 0.0017)
# Per customer per month, all tiers.
REMINDERS_PER_CUSTOMER = {
    "data_usage": 0.6,
    "balance": 0.3,
    "pre_suspension": 0.04,
    "vas_charge": 0.2,
}  # plus one bill reminder per customer on the bill date
RECHARGES_PER_CUSTOMER = 0.8
ECHANNEL_PER_CUSTOMER = 2.5
SPAM_REPORTS_PER_CUSTOMER = 0.0015
GATEWAY_SAMPLES_PER_CUSTOMER = 0.004
HALL_VISITS_PER_COUNTER_DAY = 30.0


def rng_for(seed: int, *stream: int | str) -> np.random.Generator:
    """An independent generator for one stream (e.g. ``"calls", 202403, day``): same seed and
    stream give the same draws whatever else is generated, which makes days independent."""
    words = [seed & 0xFFFFFFFF]
    for part in stream:
        words.append(zlib.crc32(part.encode()) if isinstance(part, str) else int(part))
    return np.random.default_rng(np.random.SeedSequence(words))
