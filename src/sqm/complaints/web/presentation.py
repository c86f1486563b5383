"""What the complaint pages show, computed once for pages, exports and the API alike: labels in
the active language, the state of a work order's clock, the merged timeline and the people a
work order may be given to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sqm.complaints.access import WRITERS, sees
from sqm.complaints.choices import LevelChoices, WorkOrderActionChoices, WorkOrderStatusChoices
from sqm.complaints.core.categories import CATEGORIES
from sqm.complaints.core.categories import category as category_of
from sqm.complaints.core.clocks import Phase
from sqm.complaints.models import WorkOrder
from sqm.lib.language import localized_name
from sqm.org.core.factors import FACTORS
from sqm.org.core.masking import mask_phone
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Person


CLOCK_LABELS = {
    "first_reply": gettext_lazy("首次回复"),
    "resolution": gettext_lazy("处理时限"),
    "appeal": gettext_lazy("申诉时限"),
}
PHASE_LABELS = {
    Phase.RUNNING.value: gettext_lazy("计时中"),
    Phase.WARNING.value: gettext_lazy("即将超时"),
    Phase.BREACHED.value: gettext_lazy("已超时"),
    Phase.PAUSED.value: gettext_lazy("暂停计时"),
    Phase.MET.value: gettext_lazy("按时完成"),
    Phase.MISSED.value: gettext_lazy("超时完成"),
}
RELATED_TYPES = {
    "bill": ("CustomerBill", gettext_lazy("账单")),
    "product": ("Product", gettext_lazy("产品")),
    "number": ("LogicalResource", gettext_lazy("号码")),
}
# Roles a work order can be handed to (everyone who may write, as the services decide).
ASSIGNABLE_ROLES = tuple(sorted(role.value for role in WRITERS))


def category_label(code: str) -> str:
    try:
        found = category_of(code)
    except KeyError:
        return code
    return localized_name(found)


def factor_label(code: str) -> str:
    for factor in FACTORS:
        if factor.code == code:
            return localized_name(factor)
    return code


def category_groups() -> list[tuple[str, list[tuple[str, str]]]]:
    """Categories under their factor, for a grouped ``<select>``."""
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    for factor in FACTORS:
        rows = [(c.code, category_label(c.code)) for c in CATEGORIES if c.factor == factor.code]
        if rows:
            groups.append((factor_label(factor.code), rows))
    return groups


def factor_choices() -> list[tuple[str, str]]:
    return [(f.code, factor_label(f.code)) for f in FACTORS]


def masked_related(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Related objects for display: a related phone number is masked like the customer's."""
    labels = {kind: label for kind, (_type, label) in RELATED_TYPES.items()}
    shown = []
    for item in items or []:
        role = str(item.get("role", ""))
        value = str(item.get("id", ""))
        if role == "number" or item.get("type") == "LogicalResource":
            value = mask_phone(value)
        shown.append({"role": str(labels.get(role, role)), "id": value})
    return shown


# -- clocks -----------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class ClockState:
    kind: str  # first_reply | resolution | appeal
    phase: str  # a core.clocks.Phase value
    due: datetime | None
    seconds_left: float  # negative once overdue

    @property
    def label(self) -> str:
        return str(CLOCK_LABELS[self.kind])

    @property
    def phase_label(self) -> str:
        return str(PHASE_LABELS.get(self.phase, self.phase))

    @property
    def text(self) -> str:
        if self.phase in (Phase.MET.value, Phase.MISSED.value):
            return self.phase_label
        if self.phase == Phase.PAUSED.value:
            return _("暂停计时(等待用户)")
        if self.seconds_left < 0:
            return _("超时 %(time)s") % {"time": duration_text(-self.seconds_left)}
        return _("剩余 %(time)s") % {"time": duration_text(self.seconds_left)}


def duration_text(seconds: float) -> str:
    minutes = int(seconds // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d天%(h)d小时") % {"d": days, "h": hours}
    if hours:
        return _("%(h)d小时%(m)d分") % {"h": hours, "m": mins}
    return _("%(m)d分钟") % {"m": max(mins, 0)}


def _running(kind: str, due: datetime, warn: datetime | None, now: datetime) -> ClockState:
    if now > due:
        phase = Phase.BREACHED
    elif warn is not None and now >= warn:
        phase = Phase.WARNING
    else:
        phase = Phase.RUNNING
    return ClockState(kind, phase.value, due, (due - now).total_seconds())


def row_clock(wo: WorkOrder, now: datetime) -> ClockState | None:
    """The clock that matters for a work order in a queue, from its stored deadlines (no
    calendar replay): the 48 h first reply until we have answered once, then resolution."""
    if wo.status == "cancelled":
        return None
    if wo.first_reply_at is None and wo.is_open:
        return _running("first_reply", wo.first_reply_due, wo.first_reply_warn_at, now)
    if wo.resolved_at is not None or not wo.is_open:
        done = wo.resolved_at or wo.closed_at or now
        phase = Phase.MET if done <= wo.resolution_due else Phase.MISSED
        return ClockState("resolution", phase.value, wo.resolution_due, 0.0)
    state = _running("resolution", wo.resolution_due, wo.resolution_warn_at, now)
    if wo.paused_since is not None and state.phase != Phase.BREACHED.value:
        return ClockState("resolution", Phase.PAUSED.value, wo.resolution_due, state.seconds_left)
    return state


def detail_clocks(wo: WorkOrder, phases: dict[str, Any], now: datetime) -> list[ClockState]:
    """Every clock of one work order, phases from the calendar replay (services.phases)."""
    dues = {
        "first_reply": wo.first_reply_due,
        "resolution": wo.resolution_due,
        "appeal": wo.appeal_due,
    }
    states = []
    for kind, phase in phases.items():
        due = dues.get(kind)
        left = (due - now).total_seconds() if due is not None else 0.0
        states.append(ClockState(kind, str(getattr(phase, "value", phase)), due, left))
    return states


# -- timeline ---------------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Event:
    at: datetime
    kind: str  # status | level | transfer | assign | note | refund | reversal | attachment
    actor: str
    title: str
    text: str
    order: int  # ties at the same moment keep the order the work happened in


def _who(user: Person | None) -> str:
    if user is None:
        return _("系统")
    return str(user.get_full_name() or user.get_username())


def timeline(wo: WorkOrder) -> list[Event]:
    """Status history, level changes, transfers, notes, attachments and refunds by time."""
    events = [
        Event(wo.created_at, "created", _who(wo.owner), _("受理登记"), "", 0),
    ]
    for c in wo.status_changes.select_related("actor"):
        action = WorkOrderActionChoices.label(c.action)
        title = f"{action} → {WorkOrderStatusChoices.label(c.to_status)}"
        events.append(Event(c.at, "status", _who(c.actor), str(title), c.note, 1))
    for lc in wo.level_changes.select_related("actor"):
        title = _("级别:%(a)s → %(b)s") % {
            "a": LevelChoices.label(lc.from_level),
            "b": LevelChoices.label(lc.to_level),
        }
        events.append(Event(lc.at, "level", _who(lc.actor), title, lc.reason, 2))
    for t in wo.transfers.select_related("actor", "to_user", "to_department", "from_department"):
        moved = t.from_department_id != t.to_department_id
        if moved:
            title = _("转派至 %(dept)s") % {"dept": _dept(t.to_department)}
            if t.to_user is not None:
                title += f" · {_who(t.to_user)}"
        else:
            title = _("分配给 %(user)s") % {"user": _who(t.to_user) if t.to_user else "—"}
        kind = "transfer" if moved else "assign"
        events.append(Event(t.at, kind, _who(t.actor), title, t.reason if moved else "", 3))
    for n in wo.notes.select_related("author"):
        events.append(Event(n.at, "note", _who(n.author), _("备注"), n.text, 4))
    for a in wo.attachments.select_related("added_by"):
        events.append(Event(a.at, "attachment", _who(a.added_by), _("附件"), a.name, 5))
    for r in wo.refunds.select_related("actor", "reversed_by"):
        title = _("退费 %(amount)s 元(%(kind)s)") % {
            "amount": r.amount,
            "kind": r.get_kind_display(),
        }
        events.append(Event(r.recorded_at, "refund", _who(r.actor), title, "", 6))
        if r.reversed_at is not None:
            title = _("冲正退费 %(amount)s 元") % {"amount": r.amount}
            events.append(
                Event(r.reversed_at, "reversal", _who(r.reversed_by), title, r.reversal_evidence, 7)
            )
    return sorted(events, key=lambda e: (e.at, e.order))


def _dept(department: Any) -> str:
    if department is None:
        return "—"
    return localized_name(department)


# -- people -----------------------------------------------------------------------------------
def assignable_users(actor: Person, work_order: WorkOrder | None = None) -> list[Any]:
    """Who may be given work: active people whose role writes, inside the actor's branches
    (and, for one work order, who can see it where it is now)."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, sqm_profile__role__in=ASSIGNABLE_ROLES)
        .select_related("sqm_profile__branch", "sqm_profile__department")
        .order_by("username")
    )
    scope = scope_of(actor)
    liaisons = Q(sqm_profile__role="department_liaison")
    if work_order is None:
        users = users.exclude(liaisons)  # a queue's work orders sit in many departments
    if scope.branches is not None:
        users = users.filter(Q(sqm_profile__branch__code__in=sorted(scope.branches)) | liaisons)
    rows = list(users[:500])
    if work_order is not None:
        rows = [u for u in rows if sees(u, work_order)]
    return rows
