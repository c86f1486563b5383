"""The demo's improvement work: two service meetings of the demo month with their decisions,
~30 action items in every state (some overdue and escalated, some verified late), the next
meeting, not yet held, whose agenda builds itself when opened, two focus projects at different
PDCA stages and one product launch that needed rectifying.

Deterministic and idempotent: a second run finds the meetings and changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from sqm.improvement import actions, meetings, notices, projects
from sqm.improvement.core.actions import Step
from sqm.improvement.models import ActionEvent, ActionItem, Launch, Meeting, Project
from sqm.indicators import services as indicators

if TYPE_CHECKING:
    from sqm.lib.people import Person


ANALYST = "analyst"  # the demo's people (sqm.demo.showcase.DEMO_USERS)
ATTENDING = ("market", "network", "it", "csc", "quality", "group", "data", "internet")


@dataclass(frozen=True)
class DemoImprovement:
    meetings: int
    actions: int
    projects: int
    launches: int
    by_status: dict[str, int]
    overdue: int
    escalated: int


# (title, department, branch, owner username, deadline offset in days from the meeting,
#  the state it reaches: steps, days after the meeting each step happens)
ITEMS: tuple[tuple[str, str, str | None, str | None, int, str], ...] = (
    ("热线高峰时段增派坐席，15秒接通率回到目标以上", "csc", None, None, 12, "verified"),
    ("南京营业厅高峰时段增开两个窗口", "market", "NJ", "manager_nj", 10, "verified"),
    ("无锡宽带装机预约超时整改", "network", "WX", "liaison_network", 14, "done"),
    ("计费系统账单短信延迟排查", "it", None, None, 7, "overdue_started"),
    ("流量包退订流程简化，减少重复投诉", "data", None, None, 21, "in_progress"),
    ("集团客户专线故障修复时限压降", "group", None, None, 18, "open"),
    ("营业厅满意度短板：等候区服务规范", "market", "NJ", "manager_nj", 5, "overdue_open"),
    ("无锡4G弱覆盖小区优化", "network", "WX", "liaison_network", 9, "reopened"),
    ("在线客服转人工等待时长压降", "internet", None, None, 16, "verified_late"),
    ("重复投诉回访机制上线", "csc", None, None, 25, "in_progress"),
    ("营销短信退订口径统一", "data", None, None, 8, "overdue_escalated_vp"),
    ("越级申诉预警规则优化", "quality", None, None, 20, "done"),
    ("南京宽带维修上门预约准时率提升", "network", "NJ", "liaison_network", 30, "open"),
    ("账单解释话术更新并培训", "csc", None, None, 6, "verified"),
    ("无锡营业厅自助终端故障修复", "market", "WX", "manager_wx", 4, "overdue_open"),
    ("基站退服告警与投诉工单联动", "network", None, "liaison_network", 22, "in_progress"),
    ("资费套餐说明页面改版", "internet", None, None, 28, "open"),
    ("集团客户账务争议快速处理通道", "group", None, None, 12, "done"),
    ("携号转网挽留话术合规检查", "quality", None, None, 15, "verified"),
    ("IVR 菜单层级精简", "csc", None, None, 26, "reopened"),
    ("南京营业厅叫号系统升级", "it", "NJ", None, 11, "overdue_started"),
    ("宽带提速承诺兑现核查", "network", None, "liaison_network", 19, "done"),
    ("无锡投诉首问负责落实检查", "quality", "WX", None, 24, "open"),
    ("话费查询短信指令优化", "data", None, None, 33, "open"),
    ("国际漫游资费提醒准确性核查", "it", None, None, 13, "verified"),
    ("热线满意度回访样本扩大", "csc", None, None, 17, "in_progress"),
    ("营业厅业务办理时长压降", "market", None, None, 9, "overdue_escalated_vp"),
    ("家庭宽带故障一次修复率提升", "network", "NJ", "liaison_network", 27, "in_progress"),
    ("线上渠道实名认证失败率排查", "internet", None, None, 14, "done"),
    ("投诉工单分类口径复核", "quality", None, None, 31, "reopened"),
)


def _moment(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 0)).replace(tzinfo=UTC) - timedelta(hours=8)


def _backdate(item: ActionItem, at: datetime) -> None:
    """Move the item's newest event to ``at`` (the demo replays a month in one run)."""
    last = ActionEvent.objects.filter(action=item).order_by("-id").first()
    if last is not None:
        ActionEvent.objects.filter(pk=last.pk).update(at=at)


def _play(
    user: Person, owner: Person | None, item: ActionItem, state: str, start: date, today: date
) -> None:
    """Take the steps that bring ``item`` to ``state``, each dated after the meeting."""

    def at(days: int) -> datetime:
        return _moment(min(start + timedelta(days=days), today - timedelta(days=1)), 15)

    worker = owner or user
    if state.startswith("overdue_") and state != "overdue_started":
        return  # never touched: the sweep finds it overdue
    actions.take_step(worker, item.pk, Step.START, now=at(1))
    _backdate(item, at(1))
    if state in ("in_progress", "overdue_started"):
        return
    actions.add_evidence(worker, item.pk, note="已按决议完成整改，附整改前后对比数据")
    _backdate(item, at(3))
    done_on = item.deadline - start - timedelta(days=2)
    if state == "verified_late":
        done_on = item.deadline - start + timedelta(days=4)
    actions.take_step(worker, item.pk, Step.COMPLETE, now=at(done_on.days))
    _backdate(item, at(done_on.days))
    if state == "done":
        return
    if state == "reopened":
        actions.take_step(
            user,
            item.pk,
            Step.REOPEN,
            reason="佐证不足：请补充整改后一周的投诉量",
            now=at(done_on.days + 1),
        )
        _backdate(item, at(done_on.days + 1))
        return
    # A bound item's indicator may still be red in the demo month: the verifier overrides.
    override = "指标口径调整，经分管副总同意关闭"
    actions.take_step(
        user, item.pk, Step.VERIFY, now=at(done_on.days + 1), override_reason=override
    )
    _backdate(item, at(done_on.days + 1))


def _meeting_days(month: str) -> tuple[date, date]:
    year, number = (int(p) for p in month.split("-"))
    return date(year, number, 10), date(year, number, 24)


def seed_improvement(month: str, today: date | None = None) -> DemoImprovement:
    """The demo month's two meetings and their action items, then one sweep as of now."""
    today = today or timezone.localdate()
    users = {u.username: u for u in get_user_model().objects.all()}
    analyst = users.get(ANALYST)
    series = meetings.default_series()
    if analyst is None or Meeting.objects.filter(series=series).exists():
        return _summary()
    first, second = _meeting_days(month)
    reds = [m for m in indicators.missed_targets(month) if m.branch][:4]
    with notices.without_mail():
        held = []
        for day, chair in ((first, "王副总"), (second, "王副总")):
            meeting = meetings.create_meeting(
                analyst, day=day, chair_name=chair, departments=ATTENDING
            )
            held.append(meeting)
        half = len(ITEMS) // 2
        for n, (title, department, branch, owner, offset, state) in enumerate(ITEMS):
            meeting = held[0] if n < half else held[1]
            topic = meeting.agenda.filter(kind="red_indicator", resolved=False).first()
            bound = reds[n % len(reds)] if reds and n % 7 == 0 else None
            target = None
            if bound is not None:
                entry = indicators.indicator(bound.indicator)
                target = bound.target if bound.target is not None else bound.province
                if entry.direction == "neutral" or target is None:
                    bound = None
            if bound is not None:
                owner = None  # a branch person owns only their own branch's items
            item = meetings.record_decision(
                analyst,
                meeting.pk,
                text=f"会议议定：{title}，由{department}牵头落实",
                agenda_item_id=topic.pk if topic is not None and bound is not None else None,
                title=title if bound is None else f"{title}（{bound.name}达标）",
                owner_department=department,
                owner=users.get(owner) if owner else None,
                deadline=meeting.date + timedelta(days=offset),
                expected_result="指标回到目标以内，投诉量下降",
                branch=bound.branch if bound is not None else branch,
                indicator=bound.indicator if bound is not None else "",
                target=target if bound is not None else None,
                today=meeting.date,
            )
            ActionItem.objects.filter(pk=item.pk).update(created_at=_moment(meeting.date))
            _backdate(item, _moment(meeting.date))
            _play(analyst, users.get(owner) if owner else None, item, state, meeting.date, today)
        for meeting in held:
            meetings.update_meeting(
                analyst,
                meeting.pk,
                held=True,
                minutes=(
                    f"{meeting.date:%m月%d日}，王副总主持召开客户服务例会，"
                    "通报上月红灯指标和溯源单进展，逐项督办超期事项，形成决议如下表。"
                ),
            )
        upcoming = max(today + timedelta(days=3), second + timedelta(days=14))
        meetings.create_meeting(analyst, day=upcoming, chair_name="王副总", departments=ATTENDING)
        _seed_projects(analyst, users, first, today)
        actions.sweep(timezone.now())
    return _summary()


def _seed_projects(analyst: Any, users: dict[str, Any], start: date, today: date) -> None:
    """Two focus projects at different stages and one product launch that failed after it."""
    queue = projects.create_project(
        analyst,
        title="南京营业厅排队时长焦难问题",
        indicator="hall_mean_wait_minutes",
        baseline=16.0,
        target=10.0,
        goal_date=start + timedelta(days=120),
        department="market",
        branch="NJ",
        owner=users.get("manager_nj"),
        started_on=start,
    )
    for title, days in (("高峰时段弹性排班", 20), ("自助终端分流", 30)):
        projects.add_task(
            analyst, queue.pk, title=title, deadline=start + timedelta(days=days), today=start
        )
    projects.review(
        analyst, queue.pk, "do", note="计划经分管副总批准，按两项任务实施", approved=True
    )
    billing = projects.create_project(
        analyst,
        title="账单费用争议投诉压降",
        indicator="complaints_per_10k_customers",
        baseline=3.2,
        target=2.4,
        goal_date=start + timedelta(days=90),
        department="quality",
        started_on=start - timedelta(days=40),
    )
    task = projects.add_task(
        analyst,
        billing.pk,
        title="账单解释话术上线",
        deadline=start,
        today=start - timedelta(days=40),
    )
    actions.add_evidence(analyst, task.pk, note="话术已上线并完成全员培训")
    actions.take_step(analyst, task.pk, Step.COMPLETE)
    actions.take_step(
        analyst, task.pk, Step.VERIFY, override_reason="项目任务，由项目检查阶段评估效果"
    )
    projects.review(analyst, billing.pk, "do", note="计划批准", approved=True)
    projects.review(analyst, billing.pk, "check", note="任务全部完成，进入效果检查")
    projects.set_evaluation(analyst, billing.pk, "第三方满意度测评：账单类不满意率较上季度下降")
    launch = projects.create_launch(
        analyst,
        product="5G 畅享融合套餐 169 元",
        department="market",
        planned_on=start + timedelta(days=5),
        description="含宽带、两张副卡；上线前完成营业厅、热线、账单三类体验测试",
    )
    for title, expected in (
        ("营业厅办理全流程", "15 分钟内办结，协议条款讲解完整"),
        ("热线咨询资费口径", "坐席口径与宣传一致"),
        ("首月账单展示", "套餐名称、优惠明细正确"),
    ):
        case = projects.add_case(analyst, launch.pk, title=title, expected=expected)
        projects.record_result(analyst, launch.pk, case.pk, result="passed")
    projects.launch_step(analyst, launch.pk, "sign_off")
    projects.launch_step(analyst, launch.pk, "launch")
    projects.launch_step(
        analyst,
        launch.pk,
        "rectify",
        reason="上线后副卡流量共享计费错误，账单投诉增加",
        today=today,
    )


def _summary() -> DemoImprovement:
    by_status: dict[str, int] = {}
    overdue = 0
    now = timezone.now()
    items = list(ActionItem.objects.all())
    for item in items:
        by_status[item.status] = by_status.get(item.status, 0) + 1
        overdue += actions.standing_of(item, now) == "overdue"
    return DemoImprovement(
        meetings=Meeting.objects.count(),
        actions=len(items),
        projects=Project.objects.count(),
        launches=Launch.objects.count(),
        by_status=by_status,
        overdue=overdue,
        escalated=sum(1 for i in items if i.level > 0),
    )
