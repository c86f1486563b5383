"""The life of an action item (督办) as an explicit rule, and the closure gate.

::

    open ─► in_progress ─► done ─► verified
      │          ▲           │
      └──────────┼───────────┤ (done needs evidence: a note, a file or a link)
                 │           ▼
                 └──────  reopened ─► done …

- ``done`` is the owner's claim; only the verifier (the quality department) makes it
  ``verified``, or sends it back as ``reopened`` with a reason. A reopened item is worked on
  again (``in_progress``) or claimed done again.
- An item bound to an indicator closes only when the indicator meets its target: a verifier
  who closes it anyway must say why (``closure_gate``). The override is recorded, not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqm.lib.choices import gettext_noop


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    VERIFIED = "verified"
    REOPENED = "reopened"


STATUS_NAMES_ZH: dict[ActionStatus, str] = {
    ActionStatus.OPEN: gettext_noop("待办"),
    ActionStatus.IN_PROGRESS: gettext_noop("进行中"),
    ActionStatus.DONE: gettext_noop("已完成待验证"),
    ActionStatus.VERIFIED: gettext_noop("已验证关闭"),
    ActionStatus.REOPENED: gettext_noop("已退回"),
}

# Statuses whose deadline still runs: the sweep reminds and escalates only these.
PENDING: frozenset[ActionStatus] = frozenset(
    {ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.REOPENED}
)
CLOSED: frozenset[ActionStatus] = frozenset({ActionStatus.VERIFIED})


class Step(StrEnum):
    START = "start"
    COMPLETE = "complete"
    VERIFY = "verify"
    REOPEN = "reopen"


STEP_NAMES_ZH: dict[Step, str] = {
    Step.START: gettext_noop("开始处理"),
    Step.COMPLETE: gettext_noop("提交完成"),
    Step.VERIFY: gettext_noop("验证关闭"),
    Step.REOPEN: gettext_noop("退回重办"),
}

# The whole truth of the lifecycle: (status, step) → the status it leads to.
TRANSITIONS: dict[tuple[ActionStatus, Step], ActionStatus] = {
    (ActionStatus.OPEN, Step.START): ActionStatus.IN_PROGRESS,
    (ActionStatus.OPEN, Step.COMPLETE): ActionStatus.DONE,
    (ActionStatus.IN_PROGRESS, Step.COMPLETE): ActionStatus.DONE,
    (ActionStatus.REOPENED, Step.START): ActionStatus.IN_PROGRESS,
    (ActionStatus.REOPENED, Step.COMPLETE): ActionStatus.DONE,
    (ActionStatus.DONE, Step.VERIFY): ActionStatus.VERIFIED,
    (ActionStatus.DONE, Step.REOPEN): ActionStatus.REOPENED,
}

# Which steps belong to the owner's side and which to the verifier's.
OWNER_STEPS: frozenset[Step] = frozenset({Step.START, Step.COMPLETE})
VERIFIER_STEPS: frozenset[Step] = frozenset({Step.VERIFY, Step.REOPEN})


class IllegalStep(ValueError):
    """The step is not open to an item in this status, or lacks what it needs. The message is
    Chinese first (shown to the person who asked), English after it."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        self.message_zh, self.message_en = message_zh, message_en
        super().__init__(f"{message_zh} ({message_en})")


def steps_from(status: ActionStatus) -> tuple[Step, ...]:
    """The steps an item in ``status`` offers, in the order the page shows them."""
    return tuple(step for (source, step) in TRANSITIONS if source == status)


def next_status(
    status: ActionStatus, step: Step, *, evidence_count: int = 0, reason: str = ""
) -> ActionStatus:
    """The status ``step`` leads to; IllegalStep when the rule refuses it.

    Completing needs at least one piece of evidence; reopening needs a reason."""
    target = TRANSITIONS.get((ActionStatus(status), Step(step)))
    if target is None:
        raise IllegalStep(
            f"状态为“{STATUS_NAMES_ZH[ActionStatus(status)]}”的督办事项不能"
            f"“{STEP_NAMES_ZH[Step(step)]}”",
            f"an item in status {status} cannot take the step {step}",
        )
    if step == Step.COMPLETE and evidence_count < 1:
        raise IllegalStep(
            "提交完成前请至少上传一项佐证（说明、文件或链接）",
            "completing needs at least one piece of evidence",
        )
    if step == Step.REOPEN and not reason.strip():
        raise IllegalStep("退回须说明原因", "reopening needs a reason")
    return target


@dataclass(frozen=True, slots=True)
class Binding:
    """An item's promise about an indicator: ``indicator`` in ``branch`` (None: the province)
    reaches ``target`` — "hall queue ≤ 10 min in 南通 by 2027-01-31"."""

    indicator: str
    branch: str | None
    target: float
    direction: str  # "higher" or "lower": which side of the target is good


def target_met(value: float | None, target: float, direction: str) -> bool:
    """Whether ``value`` reaches ``target`` on its good side (a missing value does not)."""
    if value is None:
        return False
    if direction == "higher":
        return value >= target
    if direction == "lower":
        return value <= target
    raise ValueError(f"an indicator with direction {direction!r} has no target side")


@dataclass(frozen=True, slots=True)
class Gate:
    """The closure gate's answer: may the item be verified, and was an override used."""

    passes: bool
    overridden: bool
    message_zh: str = ""


def closure_gate(binding: Binding | None, latest: float | None, override_reason: str = "") -> Gate:
    """May a bound item be verified now? An unbound item always may. A bound one may when its
    indicator's latest figure meets the target, or when the verifier overrides with a reason."""
    if binding is None or target_met(latest, binding.target, binding.direction):
        return Gate(passes=True, overridden=False)
    if override_reason.strip():
        return Gate(passes=True, overridden=True)
    shown = "无数据" if latest is None else f"{latest:g}"
    return Gate(
        passes=False,
        overridden=False,
        message_zh=(
            f"绑定指标 {binding.indicator} 尚未达标（最新值 {shown}，目标 {binding.target:g}），"
            "不能验证关闭；如确需关闭，请填写强制关闭原因"
        ),
    )
