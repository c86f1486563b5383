"""What a detector reports: a signal, with its place, window, baseline and evidence.

A detector is a plain function over the event store's tables or indicator results that yields
:class:`Signal` values. Detectors know nothing of the demo's planted incidents: they must work
the same on files ingested with ``sqm ingest``. The Django layer stores signals keyed by
:attr:`Signal.key`, so running detection again updates a signal instead of adding a copy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

EVIDENCE_LIMIT = 200  # ids kept per signal; the count is always complete


class SignalKind(StrEnum):
    BATCH_COMPLAINTS = "batch_complaints"  # 批量投诉
    ABNORMAL_CHANGE = "abnormal_change"  # 异动
    HOT_COMPLAINT = "hot_complaint"  # 热点投诉
    HOT_CONSULTATION = "hot_consultation"  # 热点咨询
    ESCALATION_SPIKE = "escalation_spike"  # 越级/申诉 spike
    SATISFACTION_SHORTBOARD = "satisfaction_shortboard"  # 满意度短板
    INDICATOR_ANOMALY = "indicator_anomaly"  # 指标异常
    SPAM_SENDER = "spam_sender"  # 垃圾短信发送方


class SignalStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    LINKED = "linked"  # linked to a tracing case
    DISMISSED = "dismissed"  # with a reason


@dataclass(frozen=True, slots=True)
class Place:
    """Where the problem shows. Absent parts are None."""

    branch: str | None = None
    hall: str | None = None
    node: str | None = None  # IVR node, e.g. "2>1"
    channel: str | None = None
    sender: str | None = None
    category: str | None = None
    subcategory: str | None = None
    product: str | None = None
    indicator: str | None = None  # catalog indicator id, for indicator anomalies


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    place: Place
    start: datetime
    end: datetime  # exclusive
    observed: float
    expected: float
    expected_low: float  # the baseline's interval
    expected_high: float
    score: float  # larger is more surprising (e.g. -log10 p, or a z-score); ranks the list
    p_value: float | None
    evidence_count: int
    evidence_ids: tuple[str, ...] = ()  # capped at EVIDENCE_LIMIT
    evidence_source: str = ""  # the event source the ids belong to: complaints, calls, …
    series: tuple[tuple[str, float, float, float, float], ...] = ()
    """(day ISO, observed, expected, low, high) for the sparkline and the signal page."""
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """Identity across re-runs: the same kind, place and window is the same signal."""
        p = self.place
        parts = (
            self.kind.value, p.branch, p.hall, p.node, p.channel, p.sender, p.category,
            p.subcategory, p.product, p.indicator, self.start.isoformat(),
        )  # fmt: skip
        return "|".join("" if x is None else str(x) for x in parts)


Detector = Callable[..., Iterable[Signal]]
