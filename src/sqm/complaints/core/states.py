"""The life of a complaint work order as an explicit state machine.

::

    new ─► acknowledged ─► in_progress ⇄ pending_customer
              │   │            │
              │   └────────────┴──► resolved ─► closed (confirm | close_unreachable)
              │                        ▲  │        │
              │                        │  └ reopen ┴──► in_progress
              └── cancel (from every open status except resolved) ──► cancelled

- Every change of status goes through ``next_status``; the table ``TRANSITIONS`` is the whole
  truth, so the service layer, the web forms and the TMF621 API cannot drift apart.
- ``resolve`` is allowed straight from ``acknowledged``: most hotline complaints are settled on
  the first call (首问负责, 一次解决) and forcing a ``start`` would only add a fake timestamp.
- Closing needs either the customer's confirmation or documented failed attempts to reach them
  (``close_unreachable``); a dissatisfied customer reopens, from ``resolved`` or ``closed``.
- ``cancel`` (the customer withdraws, or a duplicate) is refused once the work order is
  resolved: at that point the honest ending is confirmation or reopening, not withdrawal.
- ``pending_customer`` is the only status that pauses the clocks (``is_paused``).
"""

from __future__ import annotations

from enum import StrEnum

from sqm.lib.choices import gettext_noop


class Status(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    PENDING_CUSTOMER = "pending_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"
    CANCELLED = "cancelled"


class Action(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    START = "start"
    WAIT_CUSTOMER = "wait_customer"
    CUSTOMER_REPLIED = "customer_replied"
    RESOLVE = "resolve"
    CONFIRM = "confirm"  # the customer confirmed the resolution -> CLOSED
    CLOSE_UNREACHABLE = "close_unreachable"  # documented failed attempts -> CLOSED
    REOPEN = "reopen"  # the customer is dissatisfied: RESOLVED or CLOSED -> IN_PROGRESS
    CANCEL = "cancel"


# Chinese names for messages: the one list of names (sqm.complaints.choices builds the UI's
# choice sets from it and translates through gettext); these keep the core's own error messages
# readable without Django. ``gettext_noop`` only marks them for makemessages.
STATUS_NAMES_ZH: dict[Status, str] = {
    Status.NEW: gettext_noop("新建"),
    Status.ACKNOWLEDGED: gettext_noop("已受理"),
    Status.IN_PROGRESS: gettext_noop("处理中"),
    Status.PENDING_CUSTOMER: gettext_noop("待用户反馈"),
    Status.RESOLVED: gettext_noop("已解决"),
    Status.CLOSED: gettext_noop("已关闭"),
    Status.CANCELLED: gettext_noop("已撤销"),
}

ACTION_NAMES_ZH: dict[Action, str] = {
    Action.ACKNOWLEDGE: gettext_noop("受理"),
    Action.START: gettext_noop("开始处理"),
    Action.WAIT_CUSTOMER: gettext_noop("等待用户反馈"),
    Action.CUSTOMER_REPLIED: gettext_noop("用户已反馈"),
    Action.RESOLVE: gettext_noop("解决"),
    Action.CONFIRM: gettext_noop("用户确认关闭"),
    Action.CLOSE_UNREACHABLE: gettext_noop("联系不上用户关闭"),
    Action.REOPEN: gettext_noop("重新处理"),
    Action.CANCEL: gettext_noop("撤销"),
}

# The order of each inner dict is the order actions are offered in the UI and the order
# ``action_for`` prefers when two actions reach the same status (confirm before unreachable).
TRANSITIONS: dict[Status, dict[Action, Status]] = {
    Status.NEW: {
        Action.ACKNOWLEDGE: Status.ACKNOWLEDGED,
        Action.CANCEL: Status.CANCELLED,
    },
    Status.ACKNOWLEDGED: {
        Action.START: Status.IN_PROGRESS,
        Action.WAIT_CUSTOMER: Status.PENDING_CUSTOMER,
        Action.RESOLVE: Status.RESOLVED,
        Action.CANCEL: Status.CANCELLED,
    },
    Status.IN_PROGRESS: {
        Action.WAIT_CUSTOMER: Status.PENDING_CUSTOMER,
        Action.RESOLVE: Status.RESOLVED,
        Action.CANCEL: Status.CANCELLED,
    },
    Status.PENDING_CUSTOMER: {
        Action.CUSTOMER_REPLIED: Status.IN_PROGRESS,
        Action.CANCEL: Status.CANCELLED,
    },
    Status.RESOLVED: {
        Action.CONFIRM: Status.CLOSED,
        Action.CLOSE_UNREACHABLE: Status.CLOSED,
        Action.REOPEN: Status.IN_PROGRESS,
    },
    Status.CLOSED: {
        Action.REOPEN: Status.IN_PROGRESS,
    },
    Status.CANCELLED: {},
}

OPEN_STATUSES: frozenset[Status] = frozenset(Status) - {Status.CLOSED, Status.CANCELLED}
TERMINAL_STATUSES: frozenset[Status] = frozenset({Status.CLOSED, Status.CANCELLED})

# TMF621 Trouble Ticket statuses. NEW has no TMF twin: a ticket the API hands out has been
# received, which TMF calls "acknowledged"; the reverse mapping picks our ACKNOWLEDGED so that
# a PATCH status=acknowledged on a NEW work order means the ACKNOWLEDGE action.
_TMF: dict[Status, str] = {
    Status.NEW: "acknowledged",
    Status.ACKNOWLEDGED: "acknowledged",
    Status.IN_PROGRESS: "inProgress",
    Status.PENDING_CUSTOMER: "pending",
    Status.RESOLVED: "resolved",
    Status.CLOSED: "closed",
    Status.CANCELLED: "cancelled",
}
_FROM_TMF: dict[str, Status] = {
    "acknowledged": Status.ACKNOWLEDGED,
    "inProgress": Status.IN_PROGRESS,
    "pending": Status.PENDING_CUSTOMER,
    "resolved": Status.RESOLVED,
    "closed": Status.CLOSED,
    "cancelled": Status.CANCELLED,
}
TMF_STATUSES: tuple[str, ...] = tuple(_FROM_TMF)


def _names(actions: tuple[Action, ...]) -> tuple[str, str]:
    if not actions:
        return "无（终态）", "none (final status)"
    zh = "、".join(ACTION_NAMES_ZH[a] for a in actions)
    en = ", ".join(a.value for a in actions)
    return zh, en


class IllegalTransition(ValueError):
    """The work order cannot take this action (or reach this status) from where it is.

    The message is Chinese first (shown to handlers), English after it (for logs and API
    clients), and always lists what *is* allowed so the user knows the way forward.
    """

    def __init__(
        self, status: Status, action: Action | None = None, *, target: Status | None = None
    ) -> None:
        self.status = status
        self.action = action
        self.target = target
        self.allowed = allowed_actions(status)
        allowed_zh, allowed_en = _names(self.allowed)
        here = STATUS_NAMES_ZH[status]
        if action is not None:
            zh = f"工单当前状态为「{here}」，不能执行「{ACTION_NAMES_ZH[action]}」"
            en = f"cannot {action.value} a work order that is {status.value}"
        else:
            there = STATUS_NAMES_ZH[target] if target is not None else "?"
            zh = f"工单当前状态为「{here}」，不能变更为「{there}」"
            en = f"cannot move a work order from {status.value} to {target}"
        super().__init__(
            f"{zh}；可执行的操作：{allowed_zh}。({en}; allowed actions: {allowed_en}.)"
        )


class UnknownTmfStatus(ValueError):
    """A TMF621 status value this system does not use (e.g. "held", "rejected")."""

    def __init__(self, value: str) -> None:
        self.value = value
        super().__init__(
            f"不支持的TMF工单状态「{value}」；可用：{', '.join(TMF_STATUSES)}。"
            f"(unsupported TMF621 status {value!r}; use one of: {', '.join(TMF_STATUSES)}.)"
        )


def next_status(status: Status, action: Action) -> Status:
    """The status after ``action``; IllegalTransition if the table has no such edge."""
    try:
        return TRANSITIONS[Status(status)][Action(action)]
    except KeyError:
        raise IllegalTransition(Status(status), Action(action)) from None


def allowed_actions(status: Status) -> tuple[Action, ...]:
    return tuple(TRANSITIONS[Status(status)])


def is_open(status: Status) -> bool:
    return status in OPEN_STATUSES


def is_paused(status: Status) -> bool:
    """Waiting for the customer stops the resolution clock: the delay is not ours."""
    return status == Status.PENDING_CUSTOMER


def tmf_status(status: Status) -> str:
    return _TMF[Status(status)]


def from_tmf_status(value: str) -> Status:
    try:
        return _FROM_TMF[value]
    except KeyError:
        raise UnknownTmfStatus(value) from None


def action_for(status: Status, target: Status) -> Action:
    """The action that moves ``status`` to ``target`` (for TMF ``PATCH status=…``).

    When two actions reach the same status the table's order decides: RESOLVED → CLOSED means
    CONFIRM; closing an unreachable customer's work order must be asked for by name because it
    needs the documented attempts. Asking for the current status is not a transition either.
    """
    for action, reached in TRANSITIONS[Status(status)].items():
        if reached == target:
            return action
    raise IllegalTransition(Status(status), target=Status(target))
