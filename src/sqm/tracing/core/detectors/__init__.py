"""Detectors: plain functions over daily (or hourly) aggregates of the event store that yield
:class:`~sqm.tracing.core.signals.Signal` values. One module per family; none knows about the
demo's planted incidents."""

from sqm.tracing.core.detectors.complaints import (
    abnormal_change,
    batch_complaints,
    escalation_spikes,
    hot_complaints,
    hot_topics,
)
from sqm.tracing.core.detectors.counting import ScanSettings, scan
from sqm.tracing.core.detectors.rates import (
    RateSettings,
    channel_anomalies,
    hall_anomalies,
    ivr_node_anomalies,
    rate_anomalies,
)
from sqm.tracing.core.detectors.shortboard import satisfaction_shortboards
from sqm.tracing.core.detectors.spam import spam_senders
from sqm.tracing.core.detectors.stats import Calendar

__all__ = [
    "Calendar",
    "RateSettings",
    "ScanSettings",
    "abnormal_change",
    "batch_complaints",
    "channel_anomalies",
    "escalation_spikes",
    "hall_anomalies",
    "hot_complaints",
    "hot_topics",
    "ivr_node_anomalies",
    "rate_anomalies",
    "satisfaction_shortboards",
    "scan",
    "spam_senders",
]
