"""The improvement app's service API: the only way pages, the CLI and other apps read and
change its records.

Reading (scoped by ``access``: a branch user sees their branch's items, a department liaison
their department's): ``visible_actions(user)``, ``get_action(user, pk)``,
``visible_meetings(user)``, ``get_meeting(user, pk)``.

Action items (every write takes the actor; read-only roles get PermissionDenied):
``create_action``, ``take_step`` (start, complete — needs evidence —, verify — the closure
gate for items bound to an indicator, an override needs a reason —, reopen — needs a
reason), ``add_evidence``, ``add_comment``; ``sweep(now)`` reminds, notifies overdue items and
escalates them (idempotent, safe every minute).

Meetings: ``create_meeting`` (its agenda built), ``update_meeting``, ``agenda_for(day)`` and
``refresh_agenda``, ``add_topic``/``remove_topic``/``reorder``/``move``,
``record_decision`` (a decision and its action item in one step); ``minutes_docx`` /
``minutes_pdf``.

Focus projects and launches (``projects``, rules in ``core.pdca``): ``create_project``,
``add_task`` (an action item of the project), ``review`` (a gate review moving the stage),
``set_evaluation``, ``trend`` (the bound indicator since the start); ``create_launch``,
``add_case``, ``record_result``, ``launch_step`` (sign off, launch, rectify — an action item —,
offline).

For the scorecards: ``department_stats(month)`` — per department, completion rate, overdue
count and mean days to close.

Errors: ``ImprovementError`` (400, Chinese message), ``IllegalStep`` (core; 409: the item's
state forbids the step, or the closure gate refuses), ``ConcurrentEdit`` (409: a stale version).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from sqm.improvement import agendas, minutes
from sqm.improvement.access import (
    can_create,
    can_manage_meetings,
    can_manage_projects,
    can_verify,
    can_view_actions,
    can_view_launches,
    can_view_meetings,
    can_view_projects,
    may_verify,
    may_work,
    visible_actions,
    visible_launches,
    visible_meetings,
    visible_projects,
)
from sqm.improvement.actions import (
    MAX_FILE_BYTES,
    ConcurrentEdit,
    ImprovementError,
    SweepReport,
    Upload,
    add_comment,
    add_evidence,
    binding_of,
    create_action,
    latest_value,
    standing_of,
    sweep,
    take_step,
)
from sqm.improvement.core.actions import IllegalStep, Step
from sqm.improvement.core.agenda import Entry
from sqm.improvement.core.stats import DepartmentStats
from sqm.improvement.meetings import (
    add_topic,
    attendee_candidates,
    attendee_choices,
    attendee_label,
    attendee_labels,
    create_meeting,
    get_meeting,
    move,
    record_decision,
    remove_topic,
    reorder,
    set_resolved,
    update_meeting,
)
from sqm.improvement.models import ActionItem, AgendaItem, Meeting
from sqm.improvement.projects import (
    GateRefused,
    Trend,
    add_case,
    add_task,
    create_launch,
    create_project,
    get_launch,
    get_project,
    launch_step,
    record_result,
    review,
    set_evaluation,
    trend,
)
from sqm.improvement.stats import department_stats
from sqm.lib.language import localized_name
from sqm.org.models import Branch, Department

if TYPE_CHECKING:
    from sqm.lib.people import Requester


def get_action(user: Requester, pk: int) -> ActionItem:
    """The item if ``user`` may see it; ``ActionItem.DoesNotExist`` otherwise."""
    return visible_actions(user).select_related("owner_department", "owner", "branch").get(pk=pk)


def agenda_for(day: date) -> tuple[Meeting | None, list[Entry]]:
    """The agenda of ``day``: the meeting's (the secretary's order and additions, brought up to
    date) when one is held that day, otherwise the one the records build."""
    meeting = Meeting.objects.filter(date=day).order_by("id").first()
    if meeting is not None:
        return meeting, agendas.current(meeting)
    return None, agendas.build(day)


def department_names() -> dict[str, str]:
    """Department code → its name in the active language."""
    return {d.code: localized_name(d) for d in Department.objects.order_by("code")}


def branch_names() -> dict[str, str]:
    """Branch code → its name in the active language."""
    return {b.code: localized_name(b) for b in Branch.objects.order_by("rank", "code")}


def refresh_agenda(meeting: Meeting) -> None:
    agendas.refresh(meeting)


def agenda_json(day: date) -> dict[str, Any]:
    """``sqm improvement agenda --json``: ``{"date", "items": [...]}``."""
    return agendas.as_json(day, agenda_for(day)[1])


def minutes_docx(meeting: Meeting) -> bytes:
    return minutes.docx_bytes(minutes.gather(meeting))


def minutes_pdf(meeting: Meeting) -> bytes:
    return minutes.pdf_bytes(minutes.gather(meeting))


__all__ = [
    "MAX_FILE_BYTES",
    "ActionItem",
    "AgendaItem",
    "ConcurrentEdit",
    "DepartmentStats",
    "Entry",
    "GateRefused",
    "IllegalStep",
    "ImprovementError",
    "Meeting",
    "Step",
    "SweepReport",
    "Trend",
    "Upload",
    "add_case",
    "add_comment",
    "add_evidence",
    "add_task",
    "add_topic",
    "agenda_for",
    "agenda_json",
    "attendee_candidates",
    "attendee_choices",
    "attendee_label",
    "attendee_labels",
    "binding_of",
    "branch_names",
    "can_create",
    "can_manage_meetings",
    "can_manage_projects",
    "can_verify",
    "can_view_actions",
    "can_view_launches",
    "can_view_meetings",
    "can_view_projects",
    "create_action",
    "create_launch",
    "create_meeting",
    "create_project",
    "department_names",
    "department_stats",
    "get_action",
    "get_launch",
    "get_meeting",
    "get_project",
    "latest_value",
    "launch_step",
    "may_verify",
    "may_work",
    "minutes_docx",
    "minutes_pdf",
    "move",
    "record_decision",
    "record_result",
    "refresh_agenda",
    "remove_topic",
    "reorder",
    "review",
    "set_evaluation",
    "set_resolved",
    "standing_of",
    "sweep",
    "take_step",
    "trend",
    "update_meeting",
    "visible_actions",
    "visible_launches",
    "visible_meetings",
    "visible_projects",
]
