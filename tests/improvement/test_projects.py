"""Focus projects and launches through the services and their pages: gate reviews that refuse
what is missing, tasks as action items, the bound indicator since the start, scoping per role;
a launch signed off only when every case passed, and a failing product rectified or taken
offline."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from sqm.improvement import services
from tests.improvement.conftest import store_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(people: dict[str, Any]) -> Any:
    return services.create_project(
        people["analyst"],
        title="南京营业厅排队焦难问题",
        indicator="hall_mean_wait_minutes",
        baseline=16.0,
        target=10.0,
        goal_date=date(2027, 3, 31),
        department="market",
        branch="NJ",
        started_on=date(2026, 12, 1),
    )


def test_a_project_runs_plan_do_check_act_with_a_gate_review_at_each_step(
    people: dict[str, Any], project: Any
) -> None:
    analyst = people["analyst"]
    with pytest.raises(services.GateRefused, match="任务"):
        services.review(analyst, project.pk, "do", note="计划评审", approved=True)
    task = services.add_task(
        analyst,
        project.pk,
        title="高峰增开窗口",
        deadline=date(2027, 1, 31),
        today=date(2027, 1, 1),
    )
    with pytest.raises(services.GateRefused, match="批准"):
        services.review(analyst, project.pk, "do", note="计划评审")
    services.review(analyst, project.pk, "do", note="计划评审通过", approved=True)
    with pytest.raises(services.GateRefused, match="1 项任务未完成"):
        services.review(analyst, project.pk, "check", note="检查")
    services.add_evidence(analyst, task.pk, note="已增开")
    services.take_step(analyst, task.pk, "complete")
    services.review(analyst, project.pk, "check", note="任务完成")
    services.review(analyst, project.pk, "act", note="排队时长下降但未达标")
    moved = services.review(analyst, project.pk, "plan", note="开始第二轮")
    assert (moved.stage, moved.cycle, moved.plan_approved) == ("plan", 2, False)
    assert [r.to_stage for r in moved.reviews.all()] == ["do", "check", "act", "plan"]


def test_the_project_charts_its_indicator_since_the_month_before_it_started(
    people: dict[str, Any], project: Any
) -> None:
    store_results("2026-10", [("hall_mean_wait_minutes", "NJ", 17.0, None)])
    store_results("2026-11", [("hall_mean_wait_minutes", "NJ", 16.0, None)])
    store_results("2026-12", [("hall_mean_wait_minutes", "NJ", 13.0, None)])
    trend = services.trend(people["analyst"], project)
    assert trend.months == ["2026-11", "2026-12"] and trend.values == [16.0, 13.0]
    assert trend.gap_closed == pytest.approx(0.5)
    response = _client(people, "analyst").get(reverse("improvement:project", args=[project.pk]))
    assert response.status_code == 200 and "trend-figure-data" in response.content.decode()


def _client(people: dict[str, Any], who: str) -> Any:
    from django.test import Client

    client = Client()
    client.force_login(people[who])
    return client


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("analyst", 200),
        ("executive", 200),
        ("manager_a", 200),
        ("manager_b", 404),
        ("liaison", 404),
    ],
)
def test_a_branch_project_is_seen_by_its_branch_and_department_and_the_province(
    people: dict[str, Any], project: Any, who: str, status: int
) -> None:
    assert (
        _client(people, who).get(reverse("improvement:project", args=[project.pk])).status_code
        == status
    )


def test_a_refused_gate_review_answers_409_with_the_reason(
    people: dict[str, Any], project: Any
) -> None:
    response = _client(people, "analyst").post(
        reverse("improvement:review", args=[project.pk]), {"stage": "do", "note": "评审"}
    )
    assert response.status_code == 409 and "任务" in response.content.decode()


def test_a_launch_is_signed_off_only_when_every_case_passed_and_a_failure_is_rectified(
    people: dict[str, Any],
) -> None:
    analyst = people["analyst"]
    launch = services.create_launch(
        analyst, product="5G 畅享套餐 129 元", department="market", planned_on=date(2027, 1, 20)
    )
    first = services.add_case(analyst, launch.pk, title="营业厅办理", expected="10 分钟内办完")
    second = services.add_case(analyst, launch.pk, title="账单展示", expected="套餐名称正确")
    services.record_result(analyst, launch.pk, first.pk, result="passed")
    services.record_result(analyst, launch.pk, second.pk, result="failed", observed="名称缺失")
    with pytest.raises(services.GateRefused, match="1 个用例不通过"):
        services.launch_step(analyst, launch.pk, "sign_off")
    services.record_result(analyst, launch.pk, second.pk, result="passed")
    services.launch_step(analyst, launch.pk, "sign_off")
    services.launch_step(analyst, launch.pk, "launch")
    done = services.launch_step(analyst, launch.pk, "rectify", reason="上线后账单投诉突增")
    assert done.status == "rectifying" and done.action is not None
    assert done.action.owner_department.code == "market"


def test_launch_pages_refuse_a_sign_off_with_failures_and_hide_from_branch_people(
    people: dict[str, Any],
) -> None:
    launch = services.create_launch(
        people["analyst"], product="宽带提速包", department="network", planned_on=date(2027, 1, 20)
    )
    url = reverse("improvement:launch_action", args=[launch.pk])
    refused = _client(people, "analyst").post(url, {"what": "sign_off"})
    assert refused.status_code == 409 and "至少" in refused.content.decode()
    assert (
        _client(people, "liaison").get(reverse("improvement:launch", args=[launch.pk])).status_code
        == 200
    )
    assert _client(people, "manager_a").get(reverse("improvement:launches")).status_code == 403
