"""Signals into the database and their triage: stored by key (a re-run updates, never adds a
copy), acknowledged, or dismissed with a reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.org.audit import record
from sqm.tracing import access
from sqm.tracing.core.signals import Signal as Finding
from sqm.tracing.core.signals import SignalStatus
from sqm.tracing.models import Signal

if TYPE_CHECKING:
    from sqm.lib.people import Person


OBJECT = "tracing_signal"
# What a re-run rewrites; status, case, dismissal and first_seen are the people's.
MEASURED = (
    "kind", "branch", "hall", "node", "channel", "sender", "category", "subcategory", "product",
    "indicator", "start", "end", "observed", "expected", "expected_low", "expected_high",
    "score", "p_value", "evidence_count", "evidence_ids", "evidence_source", "series", "detail",
    "month", "last_seen",
)  # fmt: skip


class TracingError(Exception):
    """A rule refused the request (a dismissal without reason, a case with nothing to trace, …).
    The message is Chinese and meant for the person who asked."""


@dataclass(frozen=True, slots=True)
class StoreResult:
    month: str
    created: int
    updated: int
    removed: int  # untouched new signals of the month that the detectors no longer report
    signals: tuple[Signal, ...]  # the month's run, in the detectors' order


def _json_safe(value: Any) -> Any:
    """Detail values as JSON can hold them (tuples to lists, NaN to None)."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_safe(v) for v in value]
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _aware(moment: Any) -> Any:
    """Detectors speak local naive time (the store's); the database keeps aware times."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _values(finding: Finding, month: str) -> dict[str, Any]:
    place = finding.place
    return {
        "kind": finding.kind.value,
        "branch": place.branch,
        "hall": place.hall,
        "node": place.node,
        "channel": place.channel,
        "sender": place.sender,
        "category": place.category,
        "subcategory": place.subcategory,
        "product": place.product,
        "indicator": place.indicator,
        "start": _aware(finding.start),
        "end": _aware(finding.end),
        "observed": float(finding.observed),
        "expected": float(finding.expected),
        "expected_low": float(finding.expected_low),
        "expected_high": float(finding.expected_high),
        "score": float(finding.score),
        "p_value": None if finding.p_value is None else float(finding.p_value),
        "evidence_count": int(finding.evidence_count),
        "evidence_ids": [str(i) for i in finding.evidence_ids],
        "evidence_source": finding.evidence_source,
        "series": [list(point) for point in finding.series],
        "detail": _json_safe(finding.detail),
        "month": month,
    }


def store_signals(findings: Iterable[Finding], month: str) -> StoreResult:
    """Store one month's detection run. A finding whose key is stored already updates that row
    (its status, case and dismissal stay); a new signal of the month that the run no longer
    reports is removed — one somebody worked on (acknowledged, linked, dismissed) is kept."""
    now = timezone.now()
    by_key: dict[str, dict[str, Any]] = {}
    for finding in findings:
        by_key[finding.key] = {**_values(finding, month), "last_seen": now}
    with transaction.atomic():
        existing = {s.key: s for s in Signal.objects.filter(key__in=list(by_key))}
        changed, fresh = [], []
        for key, values in by_key.items():
            row = existing.get(key)
            if row is None:
                fresh.append(Signal(key=key, first_seen=now, **values))
                continue
            for name, value in values.items():
                setattr(row, name, value)
            changed.append(row)
        Signal.objects.bulk_create(fresh, batch_size=500)
        Signal.objects.bulk_update(changed, list(MEASURED), batch_size=500)
        removed, _detail = (
            Signal.objects.filter(month=month, status=SignalStatus.NEW.value, case__isnull=True)
            .exclude(key__in=list(by_key))
            .delete()
        )
        stored = {s.key: s for s in Signal.objects.filter(key__in=list(by_key))}
    return StoreResult(month, len(fresh), len(changed), removed, tuple(stored[k] for k in by_key))


def _writable(user: Person, signal_id: int) -> Signal:
    if not access.can_write(user):
        raise PermissionDenied(_("你的角色只能查看溯源信号，不能处理"))
    return access.visible_signals(user).select_for_update().get(pk=signal_id)


def acknowledge(user: Person, signal_id: int) -> Signal:
    """Someone looked at it and it is real; the signal stays on the list until a case takes
    it. DoesNotExist when the user cannot see it."""
    with transaction.atomic():
        signal = _writable(user, signal_id)
        if signal.status != SignalStatus.NEW.value:
            raise TracingError(_("只有新发现的信号可以确认"))
        signal.status = SignalStatus.ACKNOWLEDGED.value
        signal.save(update_fields=["status"])
        record(user, "tracing.signal_acknowledged", OBJECT, signal.pk, key=signal.key)
    return signal


def dismiss(user: Person, signal_id: int, reason: str) -> Signal:
    """Not a problem (a known event, a data glitch): the reason is required and kept."""
    cleaned = (reason or "").strip()
    if not cleaned:
        raise TracingError(_("排除信号须说明原因"))
    with transaction.atomic():
        signal = _writable(user, signal_id)
        if signal.status == SignalStatus.LINKED.value:
            raise TracingError(_("信号已关联溯源单 %(number)s，不能排除") % {"number": signal.case})
        signal.status = SignalStatus.DISMISSED.value
        signal.dismissed_reason = cleaned
        signal.save(update_fields=["status", "dismissed_reason"])
        record(user, "tracing.signal_dismissed", OBJECT, signal.pk, key=signal.key, reason=cleaned)
    return signal


def restore(user: Person, signal_id: int) -> Signal:
    """Undo a dismissal: the signal is new again and its reason is cleared."""
    with transaction.atomic():
        signal = _writable(user, signal_id)
        if signal.status != SignalStatus.DISMISSED.value:
            raise TracingError(_("只有已排除的信号可以恢复"))
        signal.status = SignalStatus.NEW.value
        signal.dismissed_reason = ""
        signal.save(update_fields=["status", "dismissed_reason"])
        record(user, "tracing.signal_restored", OBJECT, signal.pk, key=signal.key)
    return signal
