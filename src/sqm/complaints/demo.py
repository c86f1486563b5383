"""Demo work orders: a fortnight of complaints at every stage, so the demo's queues, clocks and
timelines show what a real province's look like. Used by `sqm demo`; idempotent (a data dir that
already has work orders gets none added)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from sqm.complaints import services
from sqm.complaints.core.categories import CATEGORIES, Category, IntakeChannel, Severity
from sqm.complaints.core.states import Action
from sqm.complaints.models import Callback, WorkOrder
from sqm.complaints.workflow.callbacks import complete_callback, create_callbacks
from sqm.complaints.workflow.sweeper import sweep
from sqm.events.core.store import EventStore
from sqm.org.core.roles import Role
from sqm.org.models import Branch, CustomerTier
from sqm.org.users import create_user

if TYPE_CHECKING:
    from sqm.lib.people import Person


# How far along a demo complaint gets, with its weight: most are closed, some wait.
_PATHS: tuple[tuple[tuple[str, ...], int], ...] = (
    ((), 8),
    (("acknowledge",), 10),
    (("acknowledge", "start"), 18),
    (("acknowledge", "start", "wait_customer"), 6),
    (("acknowledge", "start", "resolve"), 12),
    (("acknowledge", "start", "resolve", "close"), 40),
    (("acknowledge", "cancel"), 2),
)
_DESCRIPTIONS = (
    "客户反映{what},要求尽快处理并回复。",
    "客户第二次来电反映{what},情绪激动,要求给出处理时限。",
    "客户在营业厅反映{what},已登记,请相关部门核实。",
)
_CHANNELS = (
    (IntakeChannel.HOTLINE, 55),
    (IntakeChannel.HALL, 18),
    (IntakeChannel.APP, 10),
    (IntakeChannel.WEB, 6),
    (IntakeChannel.SMS, 4),
    (IntakeChannel.MANAGER, 4),
    (IntakeChannel.REGULATOR, 2),
    (IntakeChannel.LETTER, 1),
)
_SEVERITIES = (
    (Severity.LOW, 25),
    (Severity.MEDIUM, 55),
    (Severity.HIGH, 16),
    (Severity.CRITICAL, 4),
)


@dataclass(frozen=True, slots=True)
class DemoWorkOrders:
    created: int
    open: int
    warnings: int
    breaches: int


def handler_for(branch: Branch) -> Any:
    """One first-ask complaint handler per branch (``handler_<code>``; NJ's is a demo login)."""
    return create_user(f"handler_{branch.code.lower()}", Role.COMPLAINT_HANDLER, branch=branch.code)


def _pick(rng: random.Random, weighted: tuple[tuple[Any, int], ...]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights=weights)[0]


def _walk(
    actor: Person,
    number: str,
    steps: tuple[str, ...],
    start: datetime,
    now: datetime,
    rng: random.Random,
) -> None:
    moment = start
    for step in steps:
        moment = min(now, moment + timedelta(hours=rng.uniform(0.5, 30)))
        if step == "close":
            services.confirm_closure(
                actor,
                number,
                satisfaction=rng.choices([5, 4, 3, 2], [50, 30, 12, 8])[0],
                confirmed=True,
                note="回访客户,客户确认",
                at=moment,
            )
        else:
            services.transition(actor, number, Action(step), note="", at=moment)


def seed_work_orders(
    count: int = 240, *, seed: int = 2026, now: datetime | None = None, days: int = 14
) -> DemoWorkOrders:
    """``count`` complaints recorded over the last ``days`` days, walked along the lifecycle,
    then swept so that clocks show warnings and breaches as they would."""
    if WorkOrder.objects.exists():
        return DemoWorkOrders(0, 0, 0, 0)
    rng = random.Random(seed)
    now = now or timezone.now()
    branches = list(Branch.objects.all())
    weights = [max(b.customer_weight, 0.01) for b in branches]
    tiers = list(CustomerTier.objects.values_list("code", flat=True))
    handlers = {b.code: handler_for(b) for b in branches}
    customers = [f"C{rng.randrange(10**9):09d}" for _ in range(count)]
    frequent: list[tuple[str, Category]] = [(customers[0], CATEGORIES[0])]
    for _ in range(count):
        branch = rng.choices(branches, weights=weights)[0]
        kind = rng.choice(CATEGORIES)
        created = now - timedelta(seconds=rng.uniform(0, days * 86400))
        customer = rng.choice(customers)
        if rng.random() < 0.15:
            # Someone who complains again about the same problem: a repeat (重复投诉).
            customer, kind = rng.choice(frequent)
        frequent.append((customer, kind))
        order = services.create_work_order(
            handlers[branch.code],
            channel=_pick(rng, _CHANNELS).value,
            category=kind.code,
            severity=_pick(rng, _SEVERITIES).value,
            customer_id=customer,
            customer_phone=f"13{rng.randrange(10**9):09d}",
            branch=branch,
            tier=rng.choice(tiers) if tiers else None,
            description=rng.choice(_DESCRIPTIONS).format(what=kind.name_zh),
            created_at=created,
        )
        steps = _pick(rng, _PATHS)
        _walk(handlers[branch.code], order.number, steps, created, now, rng)
    swept = sweep(now)
    open_count = WorkOrder.objects.exclude(status__in=["closed", "cancelled"]).count()
    return DemoWorkOrders(
        created=count,
        open=open_count,
        warnings=swept.first_reply_warned + swept.resolution_warned,
        breaches=swept.first_reply_breached + swept.resolution_breached,
    )


@dataclass(frozen=True, slots=True)
class DemoCallbacks:
    created: int
    completed: int


def seed_callbacks(
    store: EventStore, day: date, *, seed: int = 2026, share_done: float = 0.85
) -> DemoCallbacks:
    """The callback tasks of the demo month's last day, most of them already worked by the
    branch's handler (some late), so the 来电必复 page shows a realistic on-time rate."""
    run = create_callbacks(store, day)
    rng = random.Random(seed)
    handlers = {b.pk: handler_for(b) for b in Branch.objects.all()}
    done = 0
    for callback in Callback.objects.filter(completed_at__isnull=True, abandoned_at__date=day):
        if rng.random() >= share_done:
            continue
        at = callback.abandoned_at + timedelta(minutes=rng.lognormvariate(4.2, 0.6))
        outcome = rng.choices(["reached", "resolved_elsewhere", "unreachable"], [80, 12, 8])[0]
        note = "18:05、18:40 两次回呼未接通" if outcome == "unreachable" else ""
        complete_callback(
            handlers[callback.branch_id], callback.pk, outcome=outcome, note=note, at=at
        )
        done += 1
    return DemoCallbacks(created=run.created, completed=done)
