"""The lists of people who work cases one by one: complaint handlers, spam reviewers and a
department's open items. Each function takes the user (and the time) and returns sections."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sqm.complaints import services as complaints
from sqm.complaints.core.states import Status
from sqm.lib.language import localized_name
from sqm.org.core.masking import mask_phone
from sqm.spam import services as spam
from sqm.spam.core.workflow import AWAITING_REVIEW
from sqm.tracing import services as tracing
from sqm.tracing.core.stages import Stage
from sqm.web.homes.items import SHOWN, Item, Section, late_by, span_text

if TYPE_CHECKING:
    from sqm.lib.people import Requester


# The work orders whose clock runs: a resolved order waits for the customer, not the handler.
RUNNING = (Status.NEW.value, Status.ACKNOWLEDGED.value, Status.IN_PROGRESS.value)
CALLBACK_NOTICE = timedelta(hours=4)  # a callback due within this shows as "due"
RAISED = ("escalated", "appeal")


def vip_first(order: Any) -> tuple[int, int, datetime]:
    tier = order.tier
    vip = tier is not None and tier.is_vip
    return (0 if vip else 1, tier.rank if vip else 0, order.resolution_due)


def order_item(order: Any, due: datetime, now: datetime) -> Item:
    tier = order.tier
    parts = [localized_name(order.branch)]
    if order.level in RAISED:
        parts.append(order.get_level_display())
    return Item(
        label=f"{order.number} · {localized_name(tier) if tier else _('普通客户')}",
        url=reverse("complaints:detail", args=[order.number]),
        detail=" · ".join([late_by(due, now), *parts]),
        tone="danger" if due <= now else "warn",
        mark="VIP" if tier is not None and tier.is_vip else "",
    )


def _section(key: str, title: str, items: list[Item], empty: str, more: str) -> Section:
    return Section(key, title, tuple(items[:SHOWN]), empty, more=more, total=len(items))


def handler_sections(user: Requester, now: datetime) -> list[Section]:
    """My overdue and due-soon work orders (VIP first), the callbacks due, and the orders
    still waiting for my first reply."""
    mine = [
        wo
        for wo in complaints.queue(user, "mine", now=now)
        if wo.status in RUNNING and wo.resolved_at is None
    ]
    mine.sort(key=vip_first)
    overdue = [wo for wo in mine if wo.resolution_due <= now]
    soon = [
        wo
        for wo in mine
        if wo.resolution_due > now and wo.resolution_warn_at and wo.resolution_warn_at <= now
    ]
    unanswered = sorted(
        (wo for wo in mine if wo.first_reply_at is None),
        key=lambda wo: wo.first_reply_due,
    )
    queue = reverse("complaints:queue")
    callbacks = (
        complaints.visible_callbacks(user)
        .filter(completed_at__isnull=True, due_at__lte=now + CALLBACK_NOTICE)
        .select_related("tier", "branch")
        .order_by("due_at")
    )
    callback_items = [
        Item(
            label=_("回呼 %(phone)s") % {"phone": mask_phone(c.phone) or c.call_id},
            url=reverse("complaints:callbacks"),
            detail=" · ".join([late_by(c.due_at, now), localized_name(c.branch)]),
            tone="danger" if c.due_at <= now else "warn",
            mark="VIP" if c.tier is not None and c.tier.is_vip else "",
        )
        for c in callbacks[: SHOWN + 1]
    ]
    return [
        _section(
            "overdue",
            _("我的超时工单"),
            [order_item(wo, wo.resolution_due, now) for wo in overdue],
            _("没有超时的工单"),
            f"{queue}?queue=overdue",
        ),
        _section(
            "due-soon",
            _("即将到期的工单"),
            [order_item(wo, wo.resolution_due, now) for wo in soon],
            _("没有即将到期的工单"),
            f"{queue}?queue=due_soon",
        ),
        _section(
            "callbacks",
            _("待回呼"),
            callback_items,
            _("没有到期的回呼"),
            reverse("complaints:callbacks"),
        ),
        _section(
            "awaiting-reply",
            _("等待我首次回复的工单"),
            [order_item(wo, wo.first_reply_due, now) for wo in unanswered],
            _("所有工单都已首次回复"),
            f"{queue}?queue=mine",
        ),
    ]


def spam_sections(user: Requester, now: datetime) -> list[Section]:
    """Cases waiting for this reviewer, oldest first, four-eyes cases marked; appeals due."""
    waiting = (
        spam.visible_cases(user)
        .filter(status__in=[s.value for s in AWAITING_REVIEW])
        .exclude(reviews__reviewer_id=user.pk)
        .select_related("branch")
        .order_by("created_at", "id")
    )
    cases = [
        Item(
            label=_("案件 %(id)s · %(sender)s")
            % {"id": case.pk, "sender": mask_phone(case.sender)},
            url=reverse("spam:case", args=[case.pk]),
            detail=" · ".join(
                part
                for part in (
                    _("已等待 %(span)s") % {"span": span_text(now - case.created_at)},
                    localized_name(case.branch) if case.branch else "",
                    _("风险分 %(risk).2f") % {"risk": case.risk},
                )
                if part
            ),
            mark=_("双人复核") if case.required_confirmations > 1 else "",
        )
        for case in waiting[: SHOWN + 1]
    ]
    pending = spam.visible_appeals(user).filter(outcome="pending").select_related("case")
    appeals = [
        Item(
            label=_("申诉 · %(sender)s") % {"sender": mask_phone(appeal.case.sender)},
            url=reverse("spam:appeals"),
            detail=_("已等待 %(span)s") % {"span": span_text(now - appeal.filed_at)},
            tone="warn",
        )
        for appeal in pending.order_by("filed_at", "id")[: SHOWN + 1]
    ]
    return [
        Section(
            "spam-waiting",
            _("等待审核的案件(最早的在前)"),
            tuple(cases[:SHOWN]),
            _("没有等待你审核的案件"),
            more=reverse("spam:queue"),
            total=waiting.count(),
        ),
        Section(
            "spam-appeals",
            _("待复核的申诉"),
            tuple(appeals[:SHOWN]),
            _("没有待复核的申诉"),
            more=reverse("spam:appeals"),
            total=pending.count(),
        ),
    ]


def open_items_sections(user: Requester, now: datetime) -> list[Section]:
    """The open work orders and tracing cases in this user's scope (a liaison: their
    department's), the latest deadline first."""
    orders = (
        complaints.visible_work_orders(user)
        .filter(status__in=RUNNING)
        .select_related("tier", "branch")
        .order_by("resolution_due", "id")
    )
    cases = tracing.visible_cases(user).exclude(stage=Stage.CLOSED.value)
    cases = cases.order_by("-created_at", "-id")
    return [
        Section(
            "open-orders",
            _("本部门待处理的投诉工单"),
            tuple(order_item(wo, wo.resolution_due, now) for wo in orders[:SHOWN]),
            _("没有待处理的工单"),
            more=reverse("complaints:queue") + "?queue=branch",
            total=orders.count(),
        ),
        Section(
            "open-cases",
            _("本部门参与的溯源单"),
            tuple(_case_items(cases[:SHOWN])),
            _("没有进行中的溯源单"),
            more=reverse("tracing:cases"),
            total=cases.count(),
        ),
    ]


def _case_items(cases: Iterable[Any]) -> list[Item]:
    return [
        Item(
            label=f"{case.number} · {case.title}",
            url=reverse("tracing:case", args=[case.number]),
            detail=case.get_stage_display(),
        )
        for case in cases
    ]
