"""Planted incidents: known problems hidden in the demo month, so detection can be scored.

The plan is drawn from the seed and month before any event is generated; each source's
generator asks the plan what is going on, and records what it planted in the :class:`Ledger`.
The manifest (``{data_dir}/demo/manifest-YYYY-MM.json``) lists every incident with its place,
time window, expected effect and the ids or counts involved.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from sqm.demo.core.month import Month, window_weights
from sqm.demo.core.scales import rng_for
from sqm.org.core.province import DistrictType, Hall, Province

ID_LIMIT = 5_000  # ids listed per incident and kind; counts are always complete


@dataclass(frozen=True, slots=True)
class Incident:
    id: str
    kind: str  # network_outage, product_defect, ivr_loop, understaffed_hall, spam_sender, …
    start: datetime
    end: datetime
    expected_effect: str
    branch: str | None = None
    hall: str | None = None
    sender: str | None = None
    channel: str | None = None
    node: str | None = None
    category: tuple[str, ...] = ()
    subcategory: str | None = None
    share: float = 0.0  # affected share of customers (outage: of the branch; defect: all)

    def active_on(self, day: date, extend_s: float = 0.0) -> bool:
        return self.start.date() <= day <= (self.end + timedelta(seconds=extend_s)).date()

    def window_s(self, day: date, extend_s: float = 0.0) -> tuple[float, float]:
        """The part of the incident (its end extended by ``extend_s``) inside ``day``, in
        seconds after midnight."""
        midnight = datetime(day.year, day.month, day.day)
        end = self.end + timedelta(seconds=extend_s)
        low = max(0.0, (self.start - midnight).total_seconds())
        high = min(86_400.0, (end - midnight).total_seconds())
        return low, max(low, high)

    def day_share(
        self, day: date, profile: Callable[[date], NDArray[np.float64]], extend_s: float = 0.0
    ) -> tuple[float, float, float]:
        """(low_s, high_s, share): the window inside ``day`` and the share of the incident's
        demand that falls in it, when demand follows the day profile ``profile``."""
        total, mine = 0.0, (0.0, 0.0, 0.0)
        current = self.start.date()
        while current <= (self.end + timedelta(seconds=extend_s)).date():
            low, high = self.window_s(current, extend_s)
            mass = float(window_weights(profile(current), low, high).sum())
            if current == day:
                mine = (low, high, mass)
            total += mass
            current += timedelta(days=1)
        if total <= 0:
            return 0.0, 0.0, 0.0
        return mine[0], mine[1], mine[2] / total


@dataclass(slots=True)
class Ledger:
    """What each generator planted, per incident: counts and (capped) ids."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    ids: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def add(self, incident: Incident, what: str, count: int, ids: list[str] | None = None) -> None:
        per = self.counts.setdefault(incident.id, {})
        per[what] = per.get(what, 0) + int(count)
        if ids:
            kept = self.ids.setdefault(incident.id, {}).setdefault(what, [])
            kept.extend(ids[: max(0, ID_LIMIT - len(kept))])


@dataclass(frozen=True, slots=True)
class IncidentPlan:
    incidents: tuple[Incident, ...]

    def of_kind(self, kind: str) -> tuple[Incident, ...]:
        return tuple(i for i in self.incidents if i.kind == kind)

    def on(self, kind: str, day: date, extend_s: float = 0.0) -> tuple[Incident, ...]:
        return tuple(i for i in self.of_kind(kind) if i.active_on(day, extend_s))


def plan_fix(province: Province, fix_month: Month, seed: int) -> Incident:
    """A measure that worked (R2.3): a chronic problem — mobile internet that needs a
    background refresh (the quality system course 2013's case) — makes extra complaints in one
    large branch until a fix on a day early in ``fix_month``; from then on they stop. The
    month before and the fix month both carry it, so the effect can be measured before/after
    against the other branches."""
    rng = rng_for(seed, "fix", fix_month.number)
    big = sorted(province.branches, key=lambda b: -b.customer_weight)[:4]
    day = int(rng.integers(8, 13))
    start = datetime(fix_month.year, fix_month.month, day, 10)
    end = datetime(fix_month.year, fix_month.month, fix_month.ndays) + timedelta(days=1)
    return Incident(
        f"{fix_month.key}-FIX",
        "fix_effect",
        start,
        end,
        "mobile_internet complaints (上网需后台刷新) in the branch drop to the other branches' "
        "level from the start: a before/after comparison with the other branches shows it",
        branch=big[int(rng.integers(0, len(big)))].code,
        category=("mobile_internet",),
        subcategory="上网需后台刷新",
    )


def plan_incidents(
    province: Province,
    month: Month,
    seed: int,
    halls: tuple[Hall, ...],
    fix: Incident | None = None,
) -> IncidentPlan:
    rng = rng_for(seed, "incidents", month.number)
    days = month.ndays

    def at(day: int, hour: float) -> datetime:
        return datetime(month.year, month.month, 1) + timedelta(days=day - 1, hours=hour)

    key = month.key
    # Network outage in one of the four largest branches, 1–2 days, away from the bill peak;
    # never in the fix's branch, whose mobile-internet complaints must show the fix alone.
    big = sorted(province.branches, key=lambda b: -b.customer_weight)[:4]
    big = [b for b in big if fix is None or b.code != fix.branch]
    branch = big[int(rng.integers(0, len(big)))].code
    start_day = int(rng.integers(10, days - 6))
    start = at(start_day, float(rng.uniform(6, 14)))
    outage = Incident(
        f"{key}-OUT",
        "network_outage",
        start,
        start + timedelta(hours=float(rng.uniform(20, 40))),
        "complaints on coverage/mobile_internet in the branch ≥5× baseline during the window "
        "and the following 12 h; hotline calls on those topics from the branch surge",
        branch=branch,
        category=("coverage", "mobile_internet"),
        share=0.25,
    )
    # Product defect: batch complaints on one category across branches for five days.
    category = ("new_services", "bills")[int(rng.integers(0, 2))]
    defect_day = int(rng.integers(12, days - 6))
    subcategory = {"new_services": "新业务扣费异常", "bills": "账单计费错误"}[category]
    defect = Incident(
        f"{key}-DEF",
        "product_defect",
        at(defect_day, 0),
        at(defect_day + 5, 0),
        f"batch complaints on {category} ({subcategory}) in every branch, ≥3× the category's "
        "baseline per day for five days; more hotline calls on the topic",
        category=(category,),
        subcategory=subcategory,
        share=0.01,
    )
    # An IVR node that loops back to its parent after a menu release (fixed next afternoon).
    node = ("2>2", "2>1", "3")[int(rng.integers(0, 3))]
    loop_day = int(rng.integers(8, days - 4))
    loop = Incident(
        f"{key}-IVR",
        "ivr_loop",
        at(loop_day, 9),
        at(loop_day + 1, 17),
        f"calls through IVR node {node} repeat it in ivr_path, have long ivr_s, get trapped "
        "in the IVR or abandon more",
        node=node,
    )
    # An understaffed hall for a week: about half its counters open.
    candidates = [
        h for h in halls if h.district in (DistrictType.RESIDENTIAL, DistrictType.MIXED)
    ] or list(halls)
    hall = candidates[int(rng.integers(0, len(candidates)))]
    hall_day = int(rng.integers(9, days - 8))
    understaffed = Incident(
        f"{key}-HALL",
        "understaffed_hall",
        at(hall_day, 0),
        at(hall_day + 7, 0),
        "share of visits waiting over 10 minutes much higher than the hall's other days "
        "(and than other halls); more walk-aways",
        hall=hall.code,
        branch=hall.branch,
        share=0.5,
    )
    # A spam sender: one number reported by many customers over three days.
    spam_day = int(rng.integers(3, days - 3))
    sender = (
        "1"
        + str(int(rng.choice([34, 35, 36, 37, 38, 39, 58, 59, 87, 88])))
        + "".join(str(d) for d in rng.integers(0, 10, 8))
    )
    spam = Incident(
        f"{key}-SPAM",
        "spam_sender",
        at(spam_day, 8),
        at(spam_day + 3, 8),
        "one sender number among the most reported senders of the month",
        sender=sender,
    )
    # The app is down for 45 minutes at the evening peak.
    app_day = int(rng.integers(2, days))
    app = Incident(
        f"{key}-APP",
        "echannel_outage",
        at(app_day, 19.5),
        at(app_day, 20.25),
        "app availability probes fail and app requests fail during the window",
        channel="app",
    )
    planted = (outage, defect, loop, understaffed, spam, app)
    return IncidentPlan((*planted, fix) if fix is not None else planted)


def affected_customers(pool: NDArray[np.int32], share: float, salt: int) -> NDArray[np.int32]:
    """A stable subset (``share``) of ``pool``, chosen by hashing customer numbers."""
    hashed = (pool.astype(np.int64) * 2654435761 + salt * 40503) % 10_000
    return pool[hashed < share * 10_000]


def write_manifest(
    path: Path,
    month: Month,
    scale: str,
    seed: int,
    billing_cycles: int,
    plan: IncidentPlan,
    ledger: Ledger,
) -> None:
    def entry(incident: Incident) -> dict[str, Any]:
        data = asdict(incident)
        data["start"] = incident.start.isoformat()
        data["end"] = incident.end.isoformat()
        data["category"] = list(incident.category)
        data = {k: v for k, v in data.items() if v not in (None, (), [], 0.0)}
        data["counts"] = ledger.counts.get(incident.id, {})
        data["ids"] = ledger.ids.get(incident.id, {})
        return data

    document = {
        "month": month.key,
        "scale": scale,
        "seed": seed,
        "billing_cycles": billing_cycles,
        "id_limit": ID_LIMIT,
        "incidents": [entry(i) for i in plan.incidents],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)
