"""The stages of a tracing case (a problem record) as an explicit rule.

::

    open ─► investigating ─► measures_in_progress ─► evaluating ─► closed
                 ▲                   ▲                   │           │
                 │                   └── not effective ──┘           │
                 └──────────────────────── reopen ───────────────────┘

- A stage changes only through ``next_stage``; the table ``TRANSITIONS`` is the whole truth,
  so the services, the web forms and the TMF656 API cannot drift apart.
- The evaluation may find that the measures did not work: the case goes back to
  ``measures_in_progress`` rather than closing on a hope.
- A closed case can be reopened for investigation when the problem comes back: the same record
  keeps the history, instead of a second case for the same cause.
- Stepping back from ``investigating`` to ``open`` is not a stage change anyone needs: an
  investigation that found nothing is closed with a note.
"""

from __future__ import annotations

from enum import StrEnum

from sqm.lib.choices import gettext_noop


class Stage(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    MEASURES_IN_PROGRESS = "measures_in_progress"
    EVALUATING = "evaluating"
    CLOSED = "closed"


STAGE_NAMES_ZH: dict[Stage, str] = {
    Stage.OPEN: gettext_noop("新建"),
    Stage.INVESTIGATING: gettext_noop("调查中"),
    Stage.MEASURES_IN_PROGRESS: gettext_noop("整改中"),
    Stage.EVALUATING: gettext_noop("效果评估"),
    Stage.CLOSED: gettext_noop("已关闭"),
}

# The order of each tuple is the order the UI offers the moves in: forward first.
TRANSITIONS: dict[Stage, tuple[Stage, ...]] = {
    Stage.OPEN: (Stage.INVESTIGATING, Stage.CLOSED),
    Stage.INVESTIGATING: (Stage.MEASURES_IN_PROGRESS, Stage.CLOSED),
    Stage.MEASURES_IN_PROGRESS: (Stage.EVALUATING, Stage.INVESTIGATING),
    Stage.EVALUATING: (Stage.CLOSED, Stage.MEASURES_IN_PROGRESS),
    Stage.CLOSED: (Stage.INVESTIGATING,),
}

OPEN_STAGES: frozenset[Stage] = frozenset(Stage) - {Stage.CLOSED}


class IllegalStageChange(ValueError):
    """The case cannot move from its stage to the one asked for. The message is Chinese first
    (shown to analysts), English after it, and lists the moves that are allowed."""

    def __init__(self, stage: Stage, target: Stage) -> None:
        self.stage = stage
        self.target = target
        self.allowed = allowed_stages(stage)
        allowed_zh = "、".join(STAGE_NAMES_ZH[s] for s in self.allowed) or "无"
        allowed_en = ", ".join(s.value for s in self.allowed) or "none"
        super().__init__(
            f"溯源单当前阶段为「{STAGE_NAMES_ZH[stage]}」，不能变更为「{STAGE_NAMES_ZH[target]}」；"
            f"可变更为：{allowed_zh}。(cannot move a case from {stage.value} to "
            f"{target.value}; allowed: {allowed_en}.)"
        )


class UnknownStage(ValueError):
    def __init__(self, value: object) -> None:
        self.value = value
        names = ", ".join(s.value for s in Stage)
        super().__init__(f"未知的阶段「{value}」；可用：{names}。(unknown stage {value!r}.)")


def stage_of(value: object) -> Stage:
    try:
        return Stage(str(value))
    except ValueError:
        raise UnknownStage(value) from None


def allowed_stages(stage: Stage) -> tuple[Stage, ...]:
    return TRANSITIONS[Stage(stage)]


def next_stage(stage: Stage, target: Stage) -> Stage:
    """``target`` if the table has the edge ``stage → target``; IllegalStageChange if not."""
    here, there = Stage(stage), Stage(target)
    if there not in TRANSITIONS[here]:
        raise IllegalStageChange(here, there)
    return there


def is_open(stage: Stage) -> bool:
    return Stage(stage) in OPEN_STAGES
