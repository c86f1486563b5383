"""Scoring detection against a list of known incidents (the demo's manifest): recall, false
alarms and time to detect. Only the benchmark and the tests use it — the detectors never see
the incident list.

A signal *matches* an incident when its kind belongs to the incident's family, its place is
the incident's place, and its window overlaps the incident's (extended by a day: complaints
and callbacks keep coming after a fault is fixed, and detectors count whole days):
- network outage: abnormal change, batch, hot complaint or hot consultation, or escalation
  spike, in the incident's branch (or province-wide) on a network factor (coverage, voice
  quality, mobile internet: a fault's complaints fall under all three, whatever the manifest
  lists first);
- product defect: the same complaint kinds on its category, any branch;
- IVR loop: an indicator anomaly on the node or its parent menu;
- understaffed hall: an indicator anomaly on the hall;
- spam sender: a spam signal on the number; e-channel outage: an indicator anomaly on the
  channel.
A catalog indicator's anomaly in a branch (a branch's complaint rate, its halls' waits, its
hotline figures) is the same incident seen through the indicators: it is *explained* by an
incident of its window whose source it is computed from — in the incident's branch when the
incident has one — and is then no false alarm, without counting towards recall (the incident's
own place must be found for that).
Satisfaction short-boards are standing findings, not events: they are counted apart. A
planted fix (``fix_effect``) is not something to detect, but the chronic problem it ends is
real: complaint signals on its branch and category before the fix are explained by it (not
false alarms) without counting towards recall.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqm.tracing.core.signals import Signal, SignalKind

COMPLAINT_KINDS = frozenset(
    {
        SignalKind.ABNORMAL_CHANGE,
        SignalKind.BATCH_COMPLAINTS,
        SignalKind.HOT_COMPLAINT,
        SignalKind.HOT_CONSULTATION,
        SignalKind.ESCALATION_SPIKE,
    }
)
FAMILIES: dict[str, frozenset[SignalKind]] = {
    "network_outage": COMPLAINT_KINDS,
    "product_defect": COMPLAINT_KINDS,
    "ivr_loop": frozenset({SignalKind.INDICATOR_ANOMALY}),
    "understaffed_hall": frozenset({SignalKind.INDICATOR_ANOMALY}),
    "spam_sender": frozenset({SignalKind.SPAM_SENDER}),
    "echannel_outage": frozenset({SignalKind.INDICATOR_ANOMALY}),
}
STANDING = frozenset({SignalKind.SATISFACTION_SHORTBOARD})
# The event sources whose catalog indicators an incident moves.
CATALOG_SOURCES: dict[str, frozenset[str]] = {
    "network_outage": frozenset({"complaints", "calls"}),
    "product_defect": frozenset({"complaints", "calls"}),
    "ivr_loop": frozenset({"calls"}),
    "understaffed_hall": frozenset({"hall_visits"}),
    "spam_sender": frozenset({"sms_reports"}),
    "echannel_outage": frozenset({"echannel", "recharges"}),
    "fix_effect": frozenset({"complaints"}),
}
NETWORK_CATEGORIES = frozenset({"coverage", "voice_quality", "mobile_internet"})
SLACK = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Score:
    incidents: int
    found: int
    signals: int  # excluding standing findings
    false_alarms: int
    standing: int
    hours_to_detect: dict[str, float]  # incident id → hours from its start to first match end
    missed: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.incidents if self.incidents else 1.0

    @property
    def false_alarm_share(self) -> float:
        return self.false_alarms / self.signals if self.signals else 0.0


def explains(signal: Signal, incident: Mapping[str, Any]) -> bool:
    """A fix's chronic problem explains complaint signals on its place before the fix; an
    incident explains the catalog indicators of its sources (and branch) in its window."""
    if signal.detail.get("family") == "catalog":
        return _explains_indicator(signal, incident)
    if incident["kind"] != "fix_effect":
        return matches(signal, incident)
    p = signal.place
    fixed = datetime.fromisoformat(str(incident["start"]))
    return (
        signal.kind in COMPLAINT_KINDS
        and signal.start < fixed + SLACK
        and p.branch in (incident.get("branch"), None)
        and p.category in set(incident.get("category") or ())
        and (p.subcategory in (None, incident.get("subcategory")))
    )


def _explains_indicator(signal: Signal, incident: Mapping[str, Any]) -> bool:
    kind = str(incident["kind"])
    if signal.detail.get("source") not in CATALOG_SOURCES.get(kind, frozenset()):
        return False
    start = datetime.fromisoformat(str(incident["start"]))
    end = datetime.fromisoformat(str(incident["end"])) + SLACK
    if kind == "fix_effect":  # the chronic problem, before it was fixed
        start, end = datetime.min, start + SLACK
    midnight = datetime(start.year, start.month, start.day) if start > datetime.min else start
    branch = incident.get("branch")
    return (
        signal.start < end
        and signal.end > midnight
        and (branch is None or signal.place.branch == branch)
    )


def matches(signal: Signal, incident: Mapping[str, Any]) -> bool:
    kind = str(incident["kind"])
    if signal.kind not in FAMILIES.get(kind, frozenset()):
        return False
    start = datetime.fromisoformat(str(incident["start"]))
    end = datetime.fromisoformat(str(incident["end"])) + SLACK
    midnight = datetime(start.year, start.month, start.day)
    if not (signal.start < end and signal.end > midnight):
        return False
    p = signal.place
    categories = set(incident.get("category") or ())
    if kind == "network_outage":
        # Escalation spikes carry no category: the branch and the window say it.
        return p.branch in (incident.get("branch"), None) and (
            p.category in categories | NETWORK_CATEGORIES
            or (signal.kind is SignalKind.ESCALATION_SPIKE and p.branch is not None)
        )
    if kind == "product_defect":
        return p.category in categories
    if kind == "ivr_loop":
        node = str(incident.get("node") or "")
        return p.node is not None and (node == p.node or node.startswith(p.node + ">"))
    if kind == "understaffed_hall":
        return p.hall is not None and p.hall == incident.get("hall")
    if kind == "spam_sender":
        return p.sender is not None and p.sender == incident.get("sender")
    if kind == "echannel_outage":
        return p.channel is not None and p.channel == incident.get("channel")
    return False


def score(signals: Sequence[Signal], incidents: Iterable[Mapping[str, Any]]) -> Score:
    every = list(incidents)
    watched = [i for i in every if i["kind"] in FAMILIES]
    counted = [s for s in signals if s.kind not in STANDING]
    matched = {
        k
        for k, s in enumerate(counted)
        for i in every
        if (i["kind"] not in FAMILIES or s.detail.get("family") == "catalog") and explains(s, i)
    }
    hours: dict[str, float] = {}
    missed: list[str] = []
    for incident in watched:
        hits = [k for k, s in enumerate(counted) if matches(s, incident)]
        matched.update(hits)
        if not hits:
            missed.append(str(incident["id"]))
            continue
        start = datetime.fromisoformat(str(incident["start"]))
        first_end = min(counted[k].end for k in hits)
        hours[str(incident["id"])] = (first_end - start).total_seconds() / 3600
    return Score(
        incidents=len(watched),
        found=len(watched) - len(missed),
        signals=len(counted),
        false_alarms=len(counted) - len(matched),
        standing=len(signals) - len(counted),
        hours_to_detect=hours,
        missed=tuple(missed),
    )
