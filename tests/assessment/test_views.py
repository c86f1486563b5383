"""The ranking and scorecard pages, per role: a branch manager sees their own branch's
scorecard and rank among the 13, never another branch's score or items."""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.conftest import ANONYMOUS, ClientFor

pytestmark = pytest.mark.usefixtures("scored_months")


def test_the_analyst_sees_all_13_branches_ranked_and_the_departments(
    client_for: ClientFor,
) -> None:
    page = client_for("analyst").get("/assessment/?month=2026-02")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-rank="') == 13
    assert 'data-unit="WX" data-rank="1"' in html and 'data-unit="NJ" data-rank="2"' in html
    assert "96.67" in html
    departments = client_for("analyst").get("/assessment/?month=2026-02&kind=department")
    assert 'data-unit="quality" data-rank="1"' in departments.content.decode()


def test_a_branch_manager_sees_only_their_own_branch_and_its_rank_among_13(
    client_for: ClientFor,
) -> None:
    html = client_for("manager_a").get("/assessment/?month=2026-02").content.decode()
    assert 'data-unit="NJ" data-rank="2"' in html and "2/13" in html
    assert 'data-unit="WX"' not in html and "96.67" not in html  # WX's score
    assert 'data-kind="department"' not in html
    assert client_for("manager_a").get("/assessment/branch/NJ/?month=2026-02").status_code == 200
    assert client_for("manager_a").get("/assessment/branch/WX/?month=2026-02").status_code == 403
    assert (
        client_for("manager_a").get("/assessment/department/csc/?month=2026-02").status_code == 403
    )
    workbook = load_workbook(
        io.BytesIO(client_for("manager_a").get("/assessment/?month=2026-02&format=xlsx").content)
    )
    rows = [row for sheet in workbook for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert [row[2] for row in rows] == ["NJ"]


def test_a_scorecard_shows_every_item_what_cost_most_and_links_to_the_indicator(
    client_for: ClientFor,
) -> None:
    page = client_for("manager_a").get("/assessment/branch/NJ/?month=2026-03")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-indicator="hotline_first_contact_resolution_rate"' in html
    assert 'data-indicator="satisfaction_overall_score"' in html
    assert "/indicators/i/hotline_first_contact_resolution_rate/?period=2026-03" in html
    assert 'id="score">99.00<' in html and 'id="rank">1/13<' in html
    assert 'data-adjustment="escalated_complaints"' in html
    assert "+12.00" in html  # against February's 87
    february = client_for("manager_a").get("/assessment/branch/NJ/?month=2026-02").content.decode()
    costliest = february.split('id="costliest"')[1].split("</section>")[0]
    assert "hotline_first_contact_resolution_rate" in costliest  # 12 points lost, the only loss


def test_the_scorecard_exports_its_items_and_adjustments_to_excel(client_for: ClientFor) -> None:
    response = client_for("analyst").get("/assessment/department/csc/?month=2026-02&format=xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    items = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
    assert [(row[1], row[8]) for row in items] == [("hotline_first_contact_resolution_rate", 73.33)]


def test_the_ranking_answers_htmx_with_the_table_only(client_for: ClientFor) -> None:
    fragment = client_for("analyst").get(
        "/assessment/?month=2026-03&kind=branch", headers={"HX-Request": "true"}
    )
    html = fragment.content.decode()
    assert html.lstrip().startswith('<div id="ranking">') and "<html" not in html


@pytest.mark.parametrize("who", ["liaison", "executive", "handler_a"])
def test_other_roles_see_the_ranking_within_their_scope(client_for: ClientFor, who: str) -> None:
    html = client_for(who).get("/assessment/?month=2026-02").content.decode()
    expected = 1 if who == "handler_a" else 13
    assert html.count('data-rank="') == expected


def test_strangers_are_sent_to_sign_in_and_unknown_months_are_not_found(
    client_for: ClientFor, people: dict[str, Any]
) -> None:
    assert client_for(ANONYMOUS).get("/assessment/").status_code == 302
    assert client_for("analyst").get("/assessment/?month=2025-01").status_code == 404
    assert client_for("analyst").get("/assessment/branch/NOPE/?month=2026-02").status_code == 404


def test_the_pages_speak_english_when_asked(client_for: ClientFor) -> None:
    client = client_for("analyst")
    client.cookies["django_language"] = "en"
    ranking = client.get("/assessment/?month=2026-03").content.decode()
    assert "13+N ranking" in ranking and "Year to date" in ranking
    scorecard = client.get("/assessment/branch/NJ/?month=2026-03").content.decode()
    assert "Nanjing" in scorecard and "What cost the most points" not in scorecard  # nothing lost
    assert "Score and rank by month" in scorecard


def test_branch_b_s_manager_sees_wx_and_never_nanjing(client_for: ClientFor) -> None:
    client = client_for("manager_b")
    html = client.get("/assessment/?month=2026-02").content.decode()
    assert 'data-unit="WX" data-rank="1"' in html and "1/13" in html
    assert 'data-unit="NJ"' not in html and "南京" not in html
    assert client.get("/assessment/branch/NJ/?month=2026-02").status_code == 403
    scorecard = client.get("/assessment/branch/WX/?month=2026-02").content.decode()
    assert 'id="score">96.67<' in scorecard and "南京" not in scorecard


def test_a_month_whose_results_hold_none_of_the_scored_figures_says_so(
    client_for: ClientFor,
) -> None:
    from sqm.indicators.models import ResultSet
    from tests.assessment.conftest import NOW

    ResultSet.objects.create(
        period="2026-04", cut="channel", engine="duckdb", computed_at=NOW, seconds=1, rows=0
    )
    page = client_for("analyst").get("/assessment/?month=2026-04")
    assert page.status_code == 200 and "sqm compute --period" in page.content.decode()
    card = client_for("analyst").get("/assessment/branch/NJ/?month=2026-04")
    assert card.status_code == 200 and "sqm compute --period" in card.content.decode()
