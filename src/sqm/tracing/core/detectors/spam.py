"""Spam senders (垃圾短信): one number reported by many customers in a short window."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from sqm.tracing.core.detectors.common import day_matrix, hit_signal
from sqm.tracing.core.detectors.counting import ScanSettings, scan
from sqm.tracing.core.detectors.stats import Calendar
from sqm.tracing.core.signals import Place, Signal, SignalKind


def spam_senders(
    reports: pd.DataFrame, calendar: Calendar, settings: ScanSettings | None = None
) -> Iterator[Signal]:
    """``reports``: (day, sender, n) with n the distinct customers who reported the sender
    that day. A sender's expected reports are its own share of all reports outside the window
    (a never-seen sender expects almost none), times the day model of all reports."""
    # Senders' campaigns come in waves of a few times their usual rate; a number reported ten
    # times more than it ever was is the one to stop.
    s = settings or ScanSettings(widths=(1, 3), min_count=10, min_ratio=10.0, prior_weight=1.0)
    senders, y = day_matrix(reports, ["sender"], calendar)
    if not senders:
        return
    group_of = np.zeros(len(senders), dtype=np.int64)
    prior = np.full(len(senders), 1.0 / len(senders))
    for hit in scan(y, calendar, group_of=group_of, prior=prior, settings=s):
        yield hit_signal(
            SignalKind.SPAM_SENDER,
            Place(sender=str(senders[hit.cell][0])),
            hit,
            calendar,
            source="sms_reports",
        )
