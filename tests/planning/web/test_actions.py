"""Making plans on the pages: a plan from the tiny month's events, refused input that saves
nothing, the simulation check, a roster from a hotline plan, and plans side by side."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sqm.planning.models import Plan
from tests.planning.web.conftest import PERIOD, ClientFor, MakePlan, figure_of

pytestmark = pytest.mark.django_db


def _hotline_form(**overrides: str) -> dict[str, str]:
    form = {
        "kind": "hotline",
        "hotline-name": "",
        "hotline-period": PERIOD,
        "hotline-interval_minutes": "30",
        "hotline-vip_target": "85",
        "hotline-vip_threshold_s": "15",
        "hotline-ordinary_target": "80",
        "hotline-ordinary_threshold_s": "20",
        "hotline-max_abandon": "5",
        "hotline-shrinkage": "30",
        "hotline-max_occupancy": "90",
    }
    form.update(overrides)
    return form


def test_a_hotline_plan_is_made_from_the_events_and_opens(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    client = client_for("analyst")
    response = client.post("/planning/", _hotline_form(**{"hotline-name": "十二月第一周"}))
    plan = Plan.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/planning/{plan.pk}/"
    assert (plan.kind, plan.name, plan.branch) == ("hotline", "十二月第一周", None)
    assert plan.created_by == people["analyst"]
    assert plan.parameters == {"period": PERIOD, "interval_minutes": 30}
    assert plan.payload["first_day"] == "2026-12-01" and plan.payload["days"] == 7
    assert plan.payload["targets"]["vip_target"] == pytest.approx(0.85)
    assert plan.summary["calls"] > 0 and plan.summary["peak_agents"] > 0
    page = client.get(response["Location"]).content.decode()
    assert "已生成方案“十二月第一周”" in page and 'data-figure="requirement-chart-data"' in page


def test_a_bad_period_is_shown_on_the_form_and_nothing_is_saved(client_for: ClientFor) -> None:
    client = client_for("analyst")
    for period, message in (
        ("2026-13-01..2026-13-07", "无法识别的周期"),
        ("2026-12-07..2026-12-01", "无法识别的周期"),
        ("2026-12-01..2027-02-01", "规划周期最长 31 天"),
    ):
        response = client.post("/planning/", _hotline_form(**{"hotline-period": period}))
        assert response.status_code == 200
        assert message in response.content.decode(), period
    response = client.post("/planning/", _hotline_form(**{"hotline-vip_target": "150"}))
    assert 'id="hotline-form"' in response.content.decode()
    assert Plan.objects.count() == 0


def test_a_period_without_history_says_so_and_saves_nothing(
    client_for: ClientFor, settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path  # an empty store
    client = client_for("analyst")
    response = client.post("/planning/", _hotline_form())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="hotline-error"' in html and "历史数据不足" in html
    empty = client.post("/planning/", _hotline_form(**{"hotline-period": ""}))
    assert "事件库中还没有历史数据" in empty.content.decode()
    billing = client.post("/planning/", {"kind": "billing", "billing-cycles": "4"})
    assert 'id="billing-error"' in billing.content.decode()
    assert Plan.objects.count() == 0


def test_a_branch_manager_plans_their_own_halls_only(client_for: ClientFor) -> None:
    client = client_for("manager_a")
    response = client.post(
        "/planning/",
        {
            "kind": "halls",
            "halls-period": PERIOD,
            "halls-target": "90",
            "halls-collectors": "2",
            "halls-branch": "WX",  # not a field for them: ignored
        },
    )
    plan = Plan.objects.get()
    assert response["Location"] == f"/planning/{plan.pk}/"
    assert plan.branch is not None and plan.branch.code == "NJ"
    assert {h["branch"] for h in plan.payload["halls"]} == {"NJ"}
    assert client.get(response["Location"]).status_code == 200
    for kind in ("hotline", "billing"):
        assert client.post("/planning/", {"kind": kind}).status_code == 403
    assert client.post("/planning/", {"kind": "nonsense"}).status_code == 400
    assert Plan.objects.count() == 1


def test_the_analyst_makes_a_billing_plan_with_chosen_bill_days(client_for: ClientFor) -> None:
    client = client_for("analyst")
    bad = client.post(
        "/planning/", {"kind": "billing", "billing-cycles": "4", "billing-bill_days": "1,8"}
    )
    assert "每个出账周期一个出账日" in bad.content.decode()
    assert Plan.objects.count() == 0
    client.post(
        "/planning/", {"kind": "billing", "billing-cycles": "4", "billing-bill_days": "1,8,16,23"}
    )
    plan = Plan.objects.get()
    assert plan.payload["bill_days"] == [1, 8, 16, 23]
    assert plan.parameters == {"cycles": 4, "bill_days": [1, 8, 16, 23]}


def test_the_simulation_is_stored_and_shown_beside_the_promise(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("hotline")
    client = client_for("analyst")
    assert client.get(f"/planning/{plan.pk}/simulate/").status_code == 405
    response = client.post(f"/planning/{plan.pk}/simulate/", {"runs": "2", "seed": "3"})
    assert response.status_code == 302 and response["Location"].endswith("#simulation")
    plan.refresh_from_db()
    assert plan.simulation is not None
    assert (plan.simulation["runs"], plan.simulation["seed"]) == (2, 3)
    html = client.get(f"/planning/{plan.pk}/").content.decode()
    assert 'id="simulation-table"' in html and 'data-measure="vip_service_level"' in html
    assert "方案承诺" in html and 'data-figure="simulation-chart-data"' in html
    assert "已仿真" in client.get("/planning/").content.decode()


def test_simulating_a_plan_that_is_not_a_hotline_plan_is_not_found(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    plan = make_plan("billing")
    assert client_for("analyst").post(f"/planning/{plan.pk}/simulate/").status_code == 404


def test_a_roster_is_made_from_a_hotline_plan(client_for: ClientFor, make_plan: MakePlan) -> None:
    hotline = make_plan("hotline", name="十二月热线")
    client = client_for("analyst")
    response = client.post(f"/planning/{hotline.pk}/schedule/", {"time_limit": "5", "agents": ""})
    roster = Plan.objects.get(kind="schedule")
    assert response["Location"] == f"/planning/{roster.pk}/"
    assert roster.based_on == hotline and roster.name == "十二月热线 的排班"
    assert roster.parameters["period"] == PERIOD
    assert roster.summary["agents_working"] > 0
    refused = client.post(f"/planning/{hotline.pk}/schedule/", {"time_limit": "999"})
    assert refused.status_code == 302 and Plan.objects.filter(kind="schedule").count() == 1


def test_two_hotline_plans_side_by_side(client_for: ClientFor, make_plan: MakePlan) -> None:
    first = make_plan("hotline", name="方案甲")
    second = make_plan("hotline", name="方案乙")
    response = client_for("analyst").get("/planning/compare/", {"ids": [first.pk, second.pk]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "方案甲" in html and "方案乙" in html and 'id="compare-error"' not in html
    assert html.count('class="figure-row"') == 6  # the hotline summary figures
    assert "VIP 服务水平目标" in html
    assert 'data-figure="agents-chart-data"' in html
    names = [t["name"] for t in figure_of(html, "agents-chart-data")["data"]]
    assert names == [f"#{first.pk} 方案甲", f"#{second.pk} 方案乙"]


def test_comparing_plans_of_different_kinds_says_why_not(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    hotline = make_plan("hotline")
    halls = make_plan("halls")
    client = client_for("analyst")
    html = client.get("/planning/compare/", {"ids": [hotline.pk, halls.pk]}).content.decode()
    assert 'id="compare-error"' in html and "只能比较同一类型的方案" in html
    one = client.get("/planning/compare/", {"ids": [hotline.pk, "x"]}).content.decode()
    assert "请至少选择两个方案进行比较" in one


def test_comparing_counts_only_the_plans_one_may_see(
    client_for: ClientFor, make_plan: MakePlan
) -> None:
    nj = make_plan("halls", branch="NJ", name="南京方案")
    wx = make_plan("halls", branch="WX", name="无锡方案")
    html = client_for("manager_a").get("/planning/compare/", {"ids": [nj.pk, wx.pk]})
    text = html.content.decode()
    assert "无锡方案" not in text and "请至少选择两个方案进行比较" in text
