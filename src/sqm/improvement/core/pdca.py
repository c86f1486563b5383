"""Focus-problem projects (焦难问题) run as PDCA, with a gate review at each stage change, and
go-live checklists of new products (上线测试).

PDCA::

    plan ──(plan approved)──► do ──(every task done)──► check ──► act ──► standardised
      ▲                                                   │        │
      │                                                   │        └─(new cycle)─┐
      └───────────────────────────────────────────────────┴──────────────────────┘

- Leaving *plan* needs the plan approved at a gate review; leaving *do* needs every task (an
  action item of the project) done or verified; *check* judges the bound indicator's trend
  against the target (and the tracing case's before/after effect where one is linked) and
  records the verdict; *act* standardises what worked (the project ends) or starts a new
  cycle at *plan*. Check can also send the project back to *do* when the work is not finished.
- Every move is a gate review with a reviewer and a note; a refused move says why.

A launch: ``draft → testing → signed_off → launched``; sign-off needs at least one test case
and every case passed; after launch a failing product gets a decision: ``rectified`` (an action
item) or ``offline``.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from sqm.lib.choices import gettext_noop


class Stage(StrEnum):
    PLAN = "plan"
    DO = "do"
    CHECK = "check"
    ACT = "act"
    STANDARDISED = "standardised"


STAGE_NAMES_ZH: dict[Stage, str] = {
    Stage.PLAN: gettext_noop("计划（P）"),
    Stage.DO: gettext_noop("实施（D）"),
    Stage.CHECK: gettext_noop("检查（C）"),
    Stage.ACT: gettext_noop("处置（A）"),
    Stage.STANDARDISED: gettext_noop("已固化"),
}

MOVES: dict[Stage, tuple[Stage, ...]] = {
    Stage.PLAN: (Stage.DO,),
    Stage.DO: (Stage.CHECK,),
    Stage.CHECK: (Stage.ACT, Stage.DO),
    Stage.ACT: (Stage.STANDARDISED, Stage.PLAN),
    Stage.STANDARDISED: (),
}


class GateRefused(ValueError):
    """The gate review refuses the move; the message (Chinese) says what is missing."""


def gate(
    stage: Stage | str,
    target: Stage | str,
    *,
    approved: bool,
    open_tasks: int,
    task_count: int,
    note: str,
) -> Stage:
    """The stage the project moves to, or GateRefused with the reason."""
    here, there = Stage(stage), Stage(target)
    if there not in MOVES[here]:
        raise GateRefused(f"项目不能从“{STAGE_NAMES_ZH[here]}”转到“{STAGE_NAMES_ZH[there]}”")
    if not note.strip():
        raise GateRefused("阶段评审须填写评审意见")
    if here == Stage.PLAN and not approved:
        raise GateRefused("计划须经评审批准才能进入实施")
    if here == Stage.PLAN and task_count == 0:
        raise GateRefused("计划中至少要有一项任务（督办事项）")
    if here == Stage.DO and open_tasks:
        raise GateRefused(f"还有 {open_tasks} 项任务未完成，不能进入检查")
    return there


def gap_closed(baseline: float, target: float, latest: float | None) -> float | None:
    """Share of the way from baseline to target the latest figure has come (may exceed 1, or
    be negative when it went the wrong way); None without a figure or a gap."""
    if latest is None or baseline == target:
        return None
    return (latest - baseline) / (target - baseline)


class LaunchStatus(StrEnum):
    DRAFT = "draft"
    TESTING = "testing"
    SIGNED_OFF = "signed_off"
    LAUNCHED = "launched"
    RECTIFYING = "rectifying"
    OFFLINE = "offline"


LAUNCH_NAMES_ZH: dict[LaunchStatus, str] = {
    LaunchStatus.DRAFT: gettext_noop("待测试"),
    LaunchStatus.TESTING: gettext_noop("测试中"),
    LaunchStatus.SIGNED_OFF: gettext_noop("已签收"),
    LaunchStatus.LAUNCHED: gettext_noop("已上线"),
    LaunchStatus.RECTIFYING: gettext_noop("整改中"),
    LaunchStatus.OFFLINE: gettext_noop("已下线"),
}


class CaseResult(StrEnum):
    PENDING = "pending"
    PASSED = "passed"
    FAILED = "failed"


RESULT_NAMES_ZH: dict[CaseResult, str] = {
    CaseResult.PENDING: gettext_noop("待测"),
    CaseResult.PASSED: gettext_noop("通过"),
    CaseResult.FAILED: gettext_noop("不通过"),
}


def sign_off(status: LaunchStatus | str, results: Iterable[CaseResult | str]) -> LaunchStatus:
    """Sign-off of the customer-experience tests: every case run and passed."""
    if LaunchStatus(status) not in (LaunchStatus.DRAFT, LaunchStatus.TESTING):
        raise GateRefused("只有测试中的产品可以签收")
    found = [CaseResult(r) for r in results]
    if not found:
        raise GateRefused("至少要有一个测试用例")
    failed = sum(r == CaseResult.FAILED for r in found)
    pending = sum(r == CaseResult.PENDING for r in found)
    if failed or pending:
        raise GateRefused(f"还有 {failed} 个用例不通过、{pending} 个用例待测，不能签收")
    return LaunchStatus.SIGNED_OFF


def go_live(status: LaunchStatus | str) -> LaunchStatus:
    if LaunchStatus(status) != LaunchStatus.SIGNED_OFF:
        raise GateRefused("产品须先通过测试签收才能上线")
    return LaunchStatus.LAUNCHED


def after_launch(status: LaunchStatus | str, decision: str, reason: str) -> LaunchStatus:
    """The decision on a product failing after launch: rectify (an action item) or offline."""
    if LaunchStatus(status) != LaunchStatus.LAUNCHED:
        raise GateRefused("只有已上线的产品需要整改或下线决定")
    if not reason.strip():
        raise GateRefused("请填写决定的理由")
    if decision == "rectify":
        return LaunchStatus.RECTIFYING
    if decision == "offline":
        return LaunchStatus.OFFLINE
    raise GateRefused(f"未知的决定 {decision!r}（rectify 或 offline）")
