"""The event hub of a TMF API: listeners register a callback (``POST /hub``), and each change
is POSTed to them as the API's event document once the change is committed.

Each listener hears only what its owner may see: the document is built per owner, and an owner
who may not see the record gets nothing. Delivery happens after the commit, in the process that
made the change, one POST per listener with a short timeout; a listener that is down costs its
own delivery (counted in ``failed``), never the change. An event whose POST failed waits in the
outbox (``Delivery``) and ``sweep`` — ``sqm trace hub-sweep``, run every few minutes — sends it
again after 1, 2, 4 … minutes (at most an hour apart), up to ``MAX_ATTEMPTS`` tries in all.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from sqm.tmf.errors import TmfError
from sqm.tmf.models import Delivery, Listener

if TYPE_CHECKING:
    from sqm.lib.people import Person


log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 3.0
MAX_ATTEMPTS = 8  # POSTs of one event in all, the first included
FIRST_PAUSE = timedelta(minutes=1)
LONGEST_PAUSE = timedelta(hours=1)
EVENT_TYPE = "eventType"

# Builds the event document for one listener (its owner, the API's base URL as the listener
# knows it), or None when the owner may not see the record.
EventFor = Callable[[Any, str], dict[str, Any] | None]


def event_types(query: str | None, known: Iterable[str]) -> frozenset[str] | None:
    """The event types a hub ``query`` asks for (``eventType=A,B``); None: every type."""
    if not query or not query.strip():
        return None
    parsed = parse_qs(query.strip(), keep_blank_values=True)
    other = sorted(set(parsed) - {EVENT_TYPE})
    if other:
        raise TmfError(400, f"a hub query can filter on {EVENT_TYPE} only, not {other}")
    wanted = frozenset(t.strip() for v in parsed[EVENT_TYPE] for t in v.split(",") if t.strip())
    unknown = sorted(wanted - set(known))
    if unknown or not wanted:
        raise TmfError(400, f"unknown event type(s) {unknown}; known: {', '.join(sorted(known))}")
    return wanted


def _checked_callback(callback: str) -> str:
    parts = urlsplit(callback.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TmfError(400, "callback must be an http(s) URL with a host")
    return callback.strip()


def register(
    user: Person, api: str, base_url: str, callback: str, query: str | None, known: Iterable[str]
) -> Listener:
    event_types(query, known)  # refuse a filter that can never match, before storing it
    return Listener.objects.create(
        api=api,
        base_url=base_url,
        callback=_checked_callback(callback),
        query=(query or "").strip(),
        owner=user,
    )


def unregister(user: Person, api: str, listener_id: str) -> None:
    """Only the owner removes a listener (an administrator too); anyone else gets 404."""
    listeners = Listener.objects.filter(api=api)
    if not user.is_superuser:
        listeners = listeners.filter(owner=user)
    deleted = listeners.filter(pk=int(listener_id)).delete()[0] if listener_id.isdigit() else 0
    if not deleted:
        raise TmfError(404, f"no listener {listener_id}")


def subscription(listener: Listener) -> dict[str, Any]:
    """The hub's answer: TMF ``EventSubscription``."""
    body: dict[str, Any] = {"id": str(listener.pk), "callback": listener.callback}
    if listener.query:
        body["query"] = listener.query
    return body


def after_commit(call: Callable[[], None]) -> None:
    """Run ``call`` once the current transaction commits (now, outside one); nothing if it
    rolls back: a listener never hears of a change that did not happen."""
    transaction.on_commit(call)


def deliver_now(api: str, event_type: str, known: Iterable[str], event_for: EventFor) -> None:
    """POST ``event_type`` to the API's listeners that want it, each with its own document."""
    _deliver(api, event_type, frozenset(known), event_for)


def _deliver(api: str, event_type: str, known: frozenset[str], event_for: EventFor) -> None:
    for listener in Listener.objects.filter(api=api).select_related("owner"):
        wanted = event_types(listener.query, known)
        if (wanted is not None and event_type not in wanted) or not listener.owner.is_active:
            continue
        body = event_for(listener.owner, listener.base_url)
        if body is None:
            continue
        error = _post(listener.callback, body)
        if error is None:
            Listener.objects.filter(pk=listener.pk).update(delivered=F("delivered") + 1)
        else:
            log.warning("event %s to %s not delivered: %s", event_type, listener.callback, error)
            Listener.objects.filter(pk=listener.pk).update(
                failed=F("failed") + 1, last_error=error[:300]
            )
            Delivery.objects.create(
                listener=listener,
                event_type=event_type,
                body=json.loads(json.dumps(body, cls=DjangoJSONEncoder)),
                next_attempt_at=timezone.now() + pause(1),
                last_error=error[:300],
            )


def pause(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed POST: doubling from a minute, at most
    an hour."""
    return min(FIRST_PAUSE * 2 ** max(attempts - 1, 0), LONGEST_PAUSE)


@dataclass(frozen=True, slots=True)
class Sweep:
    sent: int
    waiting: int  # failed again, tried later
    given_up: int  # failed for the last time: dropped, the listener's last_error says why


def sweep(now: datetime | None = None, limit: int = 500) -> Sweep:
    """POST the outbox's due events again; idempotent between due times."""
    now = now or timezone.now()
    sent = waiting = given_up = 0
    due = Delivery.objects.filter(next_attempt_at__lte=now).select_related("listener")[:limit]
    for delivery in list(due):
        listener = delivery.listener
        error = _post(listener.callback, delivery.body)
        if error is None:
            Listener.objects.filter(pk=listener.pk).update(delivered=F("delivered") + 1)
            delivery.delete()
            sent += 1
            continue
        Listener.objects.filter(pk=listener.pk).update(
            failed=F("failed") + 1, last_error=error[:300]
        )
        if delivery.attempts + 1 >= MAX_ATTEMPTS:
            log.warning(
                "event %s to %s given up: %s", delivery.event_type, listener.callback, error
            )
            delivery.delete()
            given_up += 1
            continue
        delivery.attempts += 1
        delivery.next_attempt_at = now + pause(delivery.attempts)
        delivery.last_error = error[:300]
        delivery.save(update_fields=["attempts", "next_attempt_at", "last_error"])
        waiting += 1
    return Sweep(sent, waiting, given_up)


def _post(url: str, body: dict[str, Any]) -> str | None:
    data = json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False).encode()
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as reply:
            status = reply.status
    except urllib.error.HTTPError as error:
        return f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return str(error) or type(error).__name__
    return None if 200 <= status < 300 else f"HTTP {status}"
