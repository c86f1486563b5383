"""Who sees which plans, and what each kind's page shows (sqm.planning.access is the rule)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from sqm.org.core.roles import Role
from sqm.planning.models import Plan
from tests.planning.web.conftest import ClientFor, MakePlan, figure_of

pytestmark = pytest.mark.django_db


def test_the_analyst_sees_every_kind_and_may_make_each(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    hotline = make_plan("hotline", name="十二月第一周热线")
    make_plan("halls", branch="NJ", name="南京营业厅十二月")
    page = client_for("analyst").get("/planning/").content.decode()
    assert "十二月第一周热线" in page and "南京营业厅十二月" in page
    assert f'href="/planning/{hotline.pk}/"' in page
    for form in ('id="hotline-form"', 'id="halls-form"', 'id="billing-form"'):
        assert form in page
    assert 'name="ids"' in page and 'id="compare-submit"' in page
    assert "2026-12-01..2026-12-07" in page


def test_every_kind_of_plan_renders_its_page_for_the_analyst(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    hotline = make_plan("hotline")
    plans = {
        "hotline": hotline,
        "schedule": make_plan("schedule", based_on=hotline),
        "halls": make_plan("halls"),
        "billing": make_plan("billing"),
    }
    client = client_for("analyst")
    charts = {
        "hotline": ("requirement-chart-data", "error-chart-data"),
        "schedule": ("coverage-chart-data",),
        "halls": ("heatmap-chart-data", "profile-chart-data"),
        "billing": ("load-chart-data",),
    }
    for kind, plan in plans.items():
        response = client.get(f"/planning/{plan.pk}/")
        assert response.status_code == 200, kind
        html = response.content.decode()
        assert f'data-kind="{kind}"' in html
        assert "/assets/plotly-" in html
        for chart in charts[kind]:
            assert figure_of(html, chart)["data"], (kind, chart)


def test_the_hotline_page_shows_tiers_agents_and_the_forecast_check(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("hotline")
    html = client_for("analyst").get(f"/planning/{plan.pk}/").content.decode()
    figure = figure_of(html, "requirement-chart-data")
    names = [trace["name"] for trace in figure["data"]]
    assert names == ["普通来电", "VIP 来电", "在线座席(接电话)", "排班座席(含折损)"]
    assert [t.get("yaxis", "y") for t in figure["data"]] == ["y", "y", "y2", "y2"]
    assert figure["layout"]["barmode"] == "stack"
    assert len(figure["data"][2]["y"]) == 7 * 48
    assert "季节性朴素预测 WAPE" in html
    # The forecast by queue: one row per IVR main-menu branch, the busiest first, and the
    # calls of all queues add up to the plan's forecast.
    queues = plan.payload["queues"]
    assert len(queues) >= 2 and 'id="queue-table"' in html
    rows = re.findall(r'<tr data-queue="([^"]+)"><td>[^<]*</td><td class="num">([\d,]+)</td>', html)
    assert [key for key, _ in rows] == sorted(queues, key=lambda k: -sum(queues[k]))
    assert sum(int(calls.replace(",", "")) for _, calls in rows) == pytest.approx(
        plan.payload["summary"]["calls"], abs=len(rows)
    )
    assert 'id="simulate-form"' in html and 'id="schedule-form"' in html
    assert 'id="no-simulation"' in html


def test_the_schedule_page_lists_agents_by_weekday(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    hotline = make_plan("hotline")
    roster = make_plan("schedule", based_on=hotline, name="排班")
    html = client_for("analyst").get(f"/planning/{roster.pk}/").content.decode()
    assert "座席排班表" in html and "周日" in html and "早班" in html
    assert f'href="/planning/{hotline.pk}/" id="based-on"' in html
    figure = figure_of(html, "coverage-chart-data")
    assert len(figure["data"][0]["y"]) == 7 * 48
    # The hotline plan links to the roster made from it.
    assert f'href="/planning/{roster.pk}/" class="derived"' in (
        client_for("analyst").get(f"/planning/{hotline.pk}/").content.decode()
    )


def test_the_hall_heatmap_follows_the_chosen_day(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("halls")
    client = client_for("analyst")
    first = figure_of(client.get(f"/planning/{plan.pk}/").content.decode(), "heatmap-chart-data")
    html = client.get(f"/planning/{plan.pk}/", {"day": "5"}).content.decode()
    sixth = figure_of(html, "heatmap-chart-data")
    halls = plan.payload["halls"]
    grid = halls[0]["grid"]
    for figure, day in ((first, 0), (sixth, 5)):
        servers = zip(grid["counters"][day], grid["collectors"][day], strict=True)
        assert figure["data"][0]["z"][0] == [c + k for c, k in servers]
    assert 'href="?day=5#heatmap" class="is-active"' in html
    assert "建议营业时间" in html and 'data-day-type="weekend"' in html
    # A day outside the plan falls back to the first.
    assert client.get(f"/planning/{plan.pk}/", {"day": "99"}).status_code == 200


def test_the_billing_page_shows_before_and_after(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("billing")
    html = client_for("analyst").get(f"/planning/{plan.pk}/").content.decode()
    figure = figure_of(html, "load-chart-data")
    lines = [t for t in figure["data"] if t["mode"] == "lines+markers"]
    assert [t["name"] for t in lines] == ["现行出账(调整前)", "分期出账(调整后)"]
    assert max(lines[0]["y"]) == plan.summary["peak_before"]
    assert "各客户群分配到的出账周期" in html and "节省柜台" in html


def test_a_branch_manager_sees_only_their_branch_s_hall_plans(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    nj = make_plan("halls", branch="NJ", name="南京营业厅方案")
    wx = make_plan("halls", branch="WX", name="无锡营业厅方案")
    hotline = make_plan("hotline", name="全省热线方案")
    billing = make_plan("billing", name="全省分期出账")
    manager_a = client_for("manager_a")
    index = manager_a.get("/planning/").content.decode()
    assert "南京营业厅方案" in index
    assert "无锡营业厅方案" not in index and "全省热线方案" not in index
    assert "全省分期出账" not in index
    # Only a hall plan may be made, and only for NJ (no branch to choose).
    assert 'id="halls-form"' in index
    assert 'id="hotline-form"' not in index and 'id="billing-form"' not in index
    assert 'name="halls-branch"' not in index
    assert manager_a.get(f"/planning/{nj.pk}/").status_code == 200
    for other in (wx, hotline, billing):
        assert manager_a.get(f"/planning/{other.pk}/").status_code == 404
    assert client_for("manager_b").get(f"/planning/{wx.pk}/").status_code == 200
    assert client_for("manager_b").get(f"/planning/{nj.pk}/").status_code == 404
    assert client_for("supervisor_a").get(f"/planning/{nj.pk}/").status_code == 200


def test_someone_with_no_business_here_is_refused(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("hotline")
    reviewer = client_for("spam_reviewer")
    assert reviewer.get("/planning/").status_code == 403
    assert reviewer.get(f"/planning/{plan.pk}/").status_code == 403
    assert reviewer.get("/planning/compare/", {"ids": [plan.pk, plan.pk]}).status_code == 403
    assert reviewer.post(f"/planning/{plan.pk}/simulate/").status_code == 403
    assert reviewer.post("/planning/", {"kind": "billing"}).status_code == 403
    anonymous = client_for("anonymous").get(f"/planning/{plan.pk}/")
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]


def test_an_executive_reads_plans_but_makes_none(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("hotline", name="全省热线方案")
    executive = client_for("executive")
    index = executive.get("/planning/").content.decode()
    assert "全省热线方案" in index and 'id="new-plans"' not in index
    page = executive.get(f"/planning/{plan.pk}/").content.decode()
    assert 'id="simulate-form"' not in page and 'id="schedule-form"' not in page
    before = Plan.objects.count()
    for kind in ("hotline", "halls", "billing"):
        response = executive.post(
            "/planning/", {"kind": kind, f"{kind}-period": "2026-12-01..2026-12-07"}
        )
        assert response.status_code == 403, kind
    assert executive.post(f"/planning/{plan.pk}/simulate/").status_code == 403
    assert executive.post(f"/planning/{plan.pk}/schedule/").status_code == 403
    assert Plan.objects.count() == before
    plan.refresh_from_db()
    assert plan.simulation is None


def test_the_english_pages_read_in_english(
    client_for: ClientFor, make_plan: MakePlan, settings: Any
) -> None:
    plan = make_plan("hotline")
    client = client_for("analyst")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    index = client.get("/planning/").content.decode()
    for label in ("Capacity planning", "New hotline staffing plan", "Compare the chosen plans"):
        assert label in index, label
    page = client.get(f"/planning/{plan.pk}/").content.decode()
    for label in ("Staff needed per interval", "Forecast error", "Run the simulation"):
        assert label in page, label
    assert "每时段人力需求" not in page and "仿真验证" not in page
    figure = figure_of(page, "requirement-chart-data")
    assert figure["data"][1]["name"] == "VIP calls"


def test_the_admin_lists_plans_and_shows_them_read_only(
    make_plan: MakePlan, demo_data: Any, reference: None
) -> None:
    from django.test import Client

    from sqm.org.users import create_user

    plan = make_plan("hotline", name="全省热线方案")
    client = Client()
    client.force_login(create_user("admin", Role.ADMINISTRATOR, password="x-admin-123456"))
    listing = client.get("/admin/planning/plan/")
    assert listing.status_code == 200 and "全省热线方案" in listing.content.decode()
    page = client.get(f"/admin/planning/plan/{plan.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.get("/admin/planning/plan/add/").status_code == 403


def test_a_plan_named_like_a_link_is_shown_as_text_in_the_comparison_chart(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    link = '<a href="https://elsewhere.example/">x</a>'
    named = make_plan("hotline", name=link)
    other = make_plan("hotline", name="对照方案")
    page = client_for("analyst").get("/planning/compare/", {"ids": [named.pk, other.pk]})
    figure = figure_of(page.content.decode(), "agents-chart-data")
    names = [trace["name"] for trace in figure["data"]]
    assert names[0] == f'#{named.pk} &lt;a href="https://elsewhere.example/"&gt;x&lt;/a&gt;'
    assert not [n for n in names if "<a" in n]


def test_the_billing_plan_says_how_it_was_solved_in_words_and_agent_axes_tick_whole_numbers(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("billing")
    html = client_for("analyst").get(f"/planning/{plan.pk}/").content.decode()
    assert "cp-sat" not in html and "greedy" not in html
    assert re.search(r"(最优解|可行解|近似解)", html)
    hotline = make_plan("hotline")
    html = client_for("analyst").get(f"/planning/{hotline.pk}/").content.decode()
    axis = figure_of(html, "requirement-chart-data")["layout"]["yaxis2"]
    assert axis["tickformat"] == ",d" and isinstance(axis["dtick"], int)
