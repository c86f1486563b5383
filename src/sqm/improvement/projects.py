"""Focus-problem projects (PDCA with gate reviews) and go-live checklists of new products,
through the rules of ``core.pdca``. Tasks of a project are action items (``actions``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.improvement import access, actions
from sqm.improvement.core import pdca
from sqm.improvement.core.actions import ActionStatus
from sqm.improvement.models import ActionItem, GateReview, Launch, LaunchCase, Project
from sqm.indicators import services as indicators
from sqm.org.audit import record
from sqm.org.models import Branch, Department

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


ImprovementError = actions.ImprovementError
GateRefused = pdca.GateRefused
_MONTH = re.compile(r"^\d{4}-\d{2}$")


def _manager(user: Person) -> None:
    if not access.can_manage_projects(user):
        raise PermissionDenied


def get_project(user: Requester, pk: int) -> Project:
    return access.visible_projects(user).select_related("branch", "department", "owner").get(pk=pk)


def create_project(
    user: Person,
    *,
    title: str,
    indicator: str,
    baseline: float,
    target: float,
    goal_date: date,
    department: str,
    branch: str | None = None,
    owner: Any = None,
    started_on: date | None = None,
    case_number: str = "",
) -> Project:
    _manager(user)
    if not title.strip():
        raise ImprovementError(_("请填写项目名称"))
    try:
        indicators.indicator(indicator)
    except KeyError:
        raise ImprovementError(_("指标库中没有指标 %(id)s") % {"id": indicator}) from None
    if baseline == target:
        raise ImprovementError(_("目标值须不同于基线值"))
    started_on = started_on or timezone.localdate()
    if goal_date <= started_on:
        raise ImprovementError(_("目标日期须晚于启动日期"))
    project = Project.objects.create(
        title=title.strip(),
        indicator=indicator,
        branch=Branch.objects.get(code=branch) if branch else None,
        baseline=baseline,
        target=target,
        goal_date=goal_date,
        started_on=started_on,
        department=Department.objects.get(code=department),
        owner=owner,
        case_number=case_number.strip(),
    )
    record(user, "improvement.project", "project", project.pk, title=project.title)
    return project


def add_task(
    user: Person, pk: int, *, title: str, deadline: date, today: date | None = None
) -> ActionItem:
    """A task of the project's plan: an action item of its leading department."""
    project = get_project(user, pk)
    _manager(user)
    item = actions.create_action(
        user,
        title=title,
        owner_department=project.department,
        owner=project.owner,
        deadline=deadline,
        branch=project.branch,
        case_number=project.case_number,
        today=today,
    )
    ActionItem.objects.filter(pk=item.pk).update(project=project)
    return item


def review(
    user: Person,
    pk: int,
    target: str,
    *,
    note: str,
    approved: bool = False,
    expected_version: int | None = None,
) -> Project:
    """A gate review moving the project one stage (``core.pdca.gate``); a new cycle starts
    when *act* goes back to *plan* (the plan must be approved again)."""
    _manager(user)
    with transaction.atomic():
        project = access.visible_projects(user).select_for_update(of=("self",)).get(pk=pk)
        if expected_version is not None and project.version != expected_version:
            raise ImprovementError(_("项目已被他人修改，请刷新后重试"))
        tasks = list(project.tasks.values_list("status", flat=True))
        open_tasks = sum(
            ActionStatus(s) not in (ActionStatus.DONE, ActionStatus.VERIFIED) for s in tasks
        )
        here = pdca.Stage(project.stage)
        there = pdca.gate(
            here,
            target,
            approved=approved or project.plan_approved,
            open_tasks=open_tasks,
            task_count=len(tasks),
            note=note,
        )
        GateReview.objects.create(
            project=project,
            from_stage=here,
            to_stage=there,
            cycle=project.cycle,
            note=note.strip(),
            reviewer=user.get_username(),
        )
        if here == pdca.Stage.PLAN:
            project.plan_approved = True
        if here == pdca.Stage.ACT and there == pdca.Stage.PLAN:
            project.cycle += 1
            project.plan_approved = False
        project.stage = there
        project.version += 1
        project.save()
        record(user, "improvement.gate", "project", project.pk, to=there, note=note)
    return project


def set_evaluation(user: Person, pk: int, text: str) -> Project:
    _manager(user)
    project = get_project(user, pk)
    project.external_evaluation = text.strip()
    project.version += 1
    project.save(update_fields=["external_evaluation", "version"])
    return project


@dataclass(frozen=True)
class Trend:
    months: list[str]
    values: list[float | None]
    latest: float | None
    gap_closed: float | None


def trend(user: Requester, project: Project) -> Trend:
    """The bound indicator month by month since the project started (the check stage's
    evidence against the target)."""
    start = f"{project.started_on:%Y-%m}"
    # From the month before the start: the figure the project set out from.
    months = sorted(
        p for p in indicators.periods() if _MONTH.match(p) and p >= _month_before(start)
    )
    values: list[float | None] = []
    code = project.branch.code if project.branch else None
    for month in months:
        if code is not None:
            values.append(indicators.all_branch_values(month, project.indicator).get(code))
        else:
            found = (
                indicators.results_of(user, month, (), indicator=project.indicator, operator="us")
                .values_list("value", flat=True)
                .first()
            )
            values.append(found)
    latest = next((v for v in reversed(values) if v is not None), None)
    return Trend(months, values, latest, pdca.gap_closed(project.baseline, project.target, latest))


def _month_before(month: str) -> str:
    year, number = (int(p) for p in month.split("-"))
    return f"{year - 1}-12" if number == 1 else f"{year}-{number - 1:02d}"


def get_launch(user: Requester, pk: int) -> Launch:
    return access.visible_launches(user).select_related("department", "action").get(pk=pk)


def create_launch(
    user: Person, *, product: str, department: str, planned_on: date, description: str = ""
) -> Launch:
    _manager(user)
    if not product.strip():
        raise ImprovementError(_("请填写产品或资费名称"))
    return Launch.objects.create(
        product=product.strip(),
        description=description.strip(),
        department=Department.objects.get(code=department),
        planned_on=planned_on,
    )


def add_case(user: Person, pk: int, *, title: str, expected: str = "") -> LaunchCase:
    _manager(user)
    launch = get_launch(user, pk)
    if launch.status not in (pdca.LaunchStatus.DRAFT, pdca.LaunchStatus.TESTING):
        raise GateRefused(_("已签收的产品不能再增加测试用例"))
    if not title.strip():
        raise ImprovementError(_("请填写测试用例"))
    return LaunchCase.objects.create(launch=launch, title=title.strip(), expected=expected.strip())


def record_result(
    user: Person, pk: int, case_id: int, *, result: str, observed: str = ""
) -> LaunchCase:
    _manager(user)
    with transaction.atomic():
        launch = access.visible_launches(user).select_for_update().get(pk=pk)
        if launch.status not in (pdca.LaunchStatus.DRAFT, pdca.LaunchStatus.TESTING):
            raise GateRefused(_("已签收的产品不能再修改测试结果"))
        case = launch.cases.get(pk=case_id)
        case.result = pdca.CaseResult(result)
        case.observed = observed.strip()
        case.tester = user.get_username()
        case.tested_at = timezone.now()
        case.save()
        if launch.status == pdca.LaunchStatus.DRAFT:
            launch.status = pdca.LaunchStatus.TESTING
            launch.save(update_fields=["status"])
    return case


def launch_step(
    user: Person,
    pk: int,
    step: str,
    *,
    reason: str = "",
    deadline: date | None = None,
    today: date | None = None,
) -> Launch:
    """``sign_off``, ``launch``, or after launch ``rectify`` (an action item for the
    department) / ``offline``."""
    _manager(user)
    with transaction.atomic():
        launch = (
            access.visible_launches(user)
            .select_for_update(of=("self",))
            .select_related("department")
            .get(pk=pk)
        )
        now = timezone.now()
        if step == "sign_off":
            launch.status = pdca.sign_off(
                launch.status, launch.cases.values_list("result", flat=True)
            )
            launch.signed_off_by, launch.signed_off_at = user.get_username(), now
        elif step == "launch":
            launch.status = pdca.go_live(launch.status)
            launch.launched_at = now
        elif step in ("rectify", "offline"):
            launch.status = pdca.after_launch(launch.status, step, reason)
            launch.decision_reason = reason.strip()
            if step == "rectify":
                launch.action = actions.create_action(
                    user,
                    title=f"{launch.product} 上线后问题整改",
                    owner_department=launch.department,
                    deadline=deadline or (today or timezone.localdate()) + timedelta(days=10),
                    expected_result=reason.strip(),
                    today=today,
                )
        else:
            raise ImprovementError(_("未知的操作 %(step)s") % {"step": step})
        launch.version += 1
        launch.save()
        record(user, f"improvement.launch.{step}", "launch", launch.pk, reason=reason)
    return launch
