"""Each role's home is a work list: every item links to where the work is done, and a branch
person never sees another branch's items (the standing cast, tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sqm.web.homes import figures, supervision, work
from tests.web.homes_data import (
    COVERAGE,
    E_CHANNELS,
    MONTH,
    SERVICE_LEVEL,
    order,
    store_figures,
    store_two_months,
)

pytestmark = pytest.mark.django_db
ClientFor = Callable[[str], Client]


def _home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def _section(sections: list[Any], key: str) -> Any:
    return next(s for s in sections if s.key == key)


# -- complaint handler ------------------------------------------------------------------------


def test_a_handler_sees_their_overdue_orders_vip_first_each_a_link_to_the_order(
    people: dict[str, Any],
) -> None:
    ordinary = order(people["handler_a"], "NJ", days_ago=30)
    diamond = order(people["handler_a"], "NJ", days_ago=29, tier="diamond")
    fresh = order(people["handler_a"], "NJ", days_ago=0.01)
    wuxi = order(people["handler_b"], "WX", days_ago=30)
    sections = work.handler_sections(people["handler_a"], timezone.now())
    overdue = _section(sections, "overdue")
    assert [i.url for i in overdue.items] == [
        reverse("complaints:detail", args=[diamond.number]),
        reverse("complaints:detail", args=[ordinary.number]),
    ]
    assert overdue.items[0].mark == "VIP" and overdue.items[0].tone == "danger"
    assert "逾期" in overdue.items[0].detail
    waiting = _section(sections, "awaiting-reply")
    assert {i.url for i in waiting.items} >= {reverse("complaints:detail", args=[fresh.number])}
    every_url = {i.url for s in sections for i in s.items}
    assert reverse("complaints:detail", args=[wuxi.number]) not in every_url


def test_the_handler_s_home_page_links_to_their_work_and_not_to_branch_b_s(
    people: dict[str, Any], client_for: ClientFor
) -> None:
    mine = order(people["handler_a"], "NJ", days_ago=30, tier="gold")
    theirs = order(people["handler_b"], "WX", days_ago=30, tier="gold")
    html = _home(client_for("handler_a"))
    assert f'href="/complaints/{mine.number}/"' in html
    assert theirs.number not in html
    for key in ("overdue", "due-soon", "callbacks", "awaiting-reply"):
        assert f'id="home-{key}"' in html
    assert 'href="/complaints/callbacks/"' in html


# -- branch manager ---------------------------------------------------------------------------


def test_a_manager_sees_the_branch_s_red_figures_against_province_and_last_month(
    people: dict[str, Any],
) -> None:
    store_two_months()
    reds = figures.branch_reds(people["manager_a"], "NJ", MONTH)
    assert [i.label for i in reds.items] == ["网络覆盖/信号强度感知得分"]
    (red,) = reds.items
    assert (red.value, red.target, red.reference, red.previous) == (6.0, 8.0, "province", 7.5)
    assert red.url == reverse("indicators:indicator", args=[COVERAGE]) + "?branch=NJ"


def test_a_manager_sees_only_their_own_rank_among_the_13(people: dict[str, Any]) -> None:
    store_figures()
    rank = figures.branch_rank("NJ", MONTH)
    # NJ and WX have one red each, the 11 others none: both share rank 12 of 13.
    assert rank.items[0].figure == "第 12 / 13 名"
    service_level = next(i for i in rank.items if SERVICE_LEVEL in i.url)
    assert service_level.figure == "第 1 / 2 名"  # 90.0 beats 86.0; no other figure shown
    assert all("WX" not in i.url for i in rank.items)


def test_branch_a_s_manager_never_sees_branch_b_s_items(
    people: dict[str, Any], client_for: ClientFor
) -> None:
    store_two_months()
    own = order(people["handler_a"], "NJ", days_ago=30)
    other = order(people["handler_b"], "WX", days_ago=30)
    html = _home(client_for("manager_a"))
    assert "网络覆盖/信号强度感知得分" in html and f"/complaints/{own.number}/" in html
    assert "电子渠道服务感知得分" not in html  # WX's red figure
    assert other.number not in html and "无锡" not in html
    assert f'href="/indicators/i/{COVERAGE}/?branch=NJ"' in html
    wuxi = _home(client_for("manager_b"))
    assert "电子渠道服务感知得分" in wuxi and own.number not in wuxi and "南京" not in wuxi


# -- analyst, liaison, executive ----------------------------------------------------------------


def test_the_analyst_sees_red_figures_by_branch_each_a_link_to_the_branch(
    people: dict[str, Any], client_for: ClientFor
) -> None:
    store_figures()
    section = figures.reds_by_branch(MONTH)
    assert {i.url for i in section.items} == {
        reverse("indicators:branch", args=["NJ"]),
        reverse("indicators:branch", args=["WX"]),
    }
    html = _home(client_for("analyst"))
    assert 'id="home-reds-by-branch"' in html and 'href="/indicators/branch/WX/"' in html


def test_a_liaison_sees_the_reds_of_indicators_their_department_answers_for(
    people: dict[str, Any], client_for: ClientFor
) -> None:
    store_figures()
    network = figures.department_reds(people["liaison"], "network", MONTH)
    assert [i.url for i in network.items] == [
        reverse("indicators:indicator", args=[COVERAGE]) + "?branch=NJ"
    ]
    html = _home(client_for("liaison"))
    assert "网络覆盖/信号强度感知得分" in html and "电子渠道服务感知得分" not in html
    assert 'id="home-open-orders"' in html and 'id="home-open-cases"' in html


def test_the_executive_sees_key_figures_the_ranking_and_the_three_worst_problems(
    client_for: ClientFor,
) -> None:
    store_figures()
    html = _home(client_for("executive"))
    for key in ("key-figures", "ranking", "worst"):
        assert f'id="home-{key}"' in html
    assert f'href="/indicators/i/{SERVICE_LEVEL}/"' in html
    assert html.count('href="/indicators/branch/') == 13  # the ranking of the 13 branches
    worst = figures.worst_problems(MONTH)
    assert [i.url for i in worst.items] == [
        reverse("indicators:indicator", args=[COVERAGE]) + "?branch=NJ",
        reverse("indicators:indicator", args=[E_CHANNELS]) + "?branch=WX",
    ]


def test_without_computed_figures_the_homes_say_so_instead_of_failing(
    client_for: ClientFor,
) -> None:
    for who in ("analyst", "manager_a", "liaison", "executive"):
        assert "还没有计算过的指标月份" in _home(client_for(who)), who


# -- supervisor and spam reviewer ---------------------------------------------------------------


def test_the_supervisor_sees_the_latest_day_against_the_day_before(
    people: dict[str, Any], client_for: ClientFor, data_dir: Path
) -> None:
    from tests.web.supervision_data import write_calls

    write_calls(data_dir)
    day = supervision.latest_day(supervision.EventStore(data_dir), "calls", timezone.localdate())
    assert str(day) == "2026-10-02"
    found = {
        f.label: f
        for f in supervision.day_figures(supervision.EventStore(data_dir), day, frozenset({"NJ"}))
    }
    abandon = found["呼损率(排队放弃率)"]
    assert (abandon.today, abandon.yesterday) == (50.0, 0.0)
    diamond = found["15秒服务水平 · 钻石卡"]
    assert (diamond.today, diamond.target, diamond.missed) == (50.0, 85.0, True)
    hours = supervision.worst_hours(supervision.EventStore(data_dir), day, frozenset({"NJ"}))
    assert hours == [(9, 50.0, 20)]
    html = _home(client_for("supervisor_a"))
    assert 'id="home-day-figures"' in html and f'href="/indicators/i/{SERVICE_LEVEL}/"' in html


def test_a_spam_reviewer_sees_the_waiting_cases_oldest_first_four_eyes_marked(
    people: dict[str, Any], client_for: ClientFor
) -> None:
    from tests.web.supervision_data import spam_case

    newer = spam_case("13900000001", days_ago=1)
    older = spam_case("13900000002", days_ago=3, high_impact=True)
    sections = work.spam_sections(people["spam_reviewer"], timezone.now())
    waiting = _section(sections, "spam-waiting")
    assert [i.url for i in waiting.items] == [
        reverse("spam:case", args=[older.pk]),
        reverse("spam:case", args=[newer.pk]),
    ]
    assert [i.mark for i in waiting.items] == ["双人复核", ""]
    html = _home(client_for("spam_reviewer"))
    assert f'href="/spam/cases/{older.pk}/"' in html and 'href="/spam/appeals/"' in html


# -- improvement actions ------------------------------------------------------------------------


def test_overdue_improvement_actions_show_in_the_scope_of_whoever_sees_them(
    people: dict[str, Any], client_for: ClientFor
) -> None:
    from datetime import timedelta

    from sqm.improvement import services as improvement

    long_ago = timezone.localdate() - timedelta(days=30)
    late = improvement.create_action(
        people["analyst"],
        title="南京营业厅排队治理",
        owner_department="csc",
        branch="NJ",
        deadline=long_ago + timedelta(days=10),
        today=long_ago,
    )
    improvement.create_action(
        people["analyst"],
        title="按期事项",
        owner_department="csc",
        branch="NJ",
        deadline=timezone.localdate() + timedelta(days=5),
    )
    section = figures.overdue_actions(people["analyst"], timezone.now())
    assert section is not None
    assert [i.url for i in section.items] == [reverse("improvement:action", args=[late.pk])]
    assert "逾期 20天" in section.items[0].detail
    assert f'href="/improvement/actions/{late.pk}/"' in _home(client_for("manager_a"))
    assert "南京营业厅排队治理" not in _home(client_for("manager_b"))
    assert figures.overdue_actions(people["spam_reviewer"], timezone.now()) is None
