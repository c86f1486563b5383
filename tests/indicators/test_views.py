"""The indicator pages and API with figures in the database, for the standing cast: the analyst
sees the province, each branch manager only their own branch and the province's figures."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from sqm.indicators.models import Result
from sqm.org.core.province import PROVINCE

PERIOD = "2024-01"
SL15 = "hotline_service_level_15s"

pytestmark = pytest.mark.django_db


def _name(code: str) -> str:
    return next(b.name_zh for b in PROVINCE.branches if b.code == code)


@pytest.fixture
def client_of(cast: dict[str, Any], stored_results: None) -> Any:
    def make(who: str) -> Client:
        client = Client()
        client.force_login(cast[who])
        return client

    return make


def _html(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_the_analyst_matrix_lights_every_branch_with_events_and_the_province(
    client_of: Any,
) -> None:
    html = _html(client_of("analyst"), reverse("indicators:overview"))
    for code in ("NJ", "WX", "SZ"):
        assert f'data-row="{code}"' in html
        assert _name(code) in html
    assert 'data-row="province"' in html
    assert (
        html.count('data-light="green"')
        + html.count('data-light="amber"')
        + html.count('data-light="red"')
        >= 3 * 4
    )  # at least the province and three branches are lit in every group
    assert f'data-indicator="{SL15}"' in html


def test_a_branch_managers_matrix_has_their_branch_and_the_province_only(
    client_of: Any,
) -> None:
    html = _html(client_of("manager_a"), reverse("indicators:overview"))
    assert 'data-row="NJ"' in html and 'data-row="province"' in html
    assert 'data-row="WX"' not in html and _name("WX") not in html
    assert 'data-row="SZ"' not in html


def test_the_indicator_page_shows_definition_numerator_denominator_and_each_breakdown(
    client_of: Any,
) -> None:
    province = Result.objects.get(result_set__cut="", indicator=SL15, operator="us")
    html = _html(client_of("analyst"), reverse("indicators:indicator", args=[SL15]))
    assert "进入人工队列后15秒内" in html  # the catalog's definition
    assert f"{province.numerator:,.0f}" in html and f"{province.denominator:,.0f}" in html
    assert 'id="trend-chart"' in html and 'id="branch-chart"' in html
    assert 'id="by-branch"' in html and 'id="by-tier"' in html
    assert "Unicom conference 2010" in html  # where the target comes from
    for code in ("NJ", "WX", "SZ"):
        assert f'data-code="{code}"' in html


def test_the_indicator_page_names_tiers_department_and_source_in_words_not_codes(
    client_of: Any,
) -> None:
    html = _html(client_of("analyst"), reverse("indicators:indicator", args=[SL15]))
    assert "(钻石卡、金卡、银卡)" in html and "diamond,gold" not in html
    assert "<dd>热线来电</dd>" in html and "<dd>客户服务中心</dd>" in html
    assert ">csc<" not in html and ">calls<" not in html
    overview = _html(client_of("analyst"), reverse("indicators:overview"))
    assert f">{SL15}<" not in overview  # the id stays in the markup, out of sight


def test_a_branch_manager_sees_only_their_branch_in_an_indicator_breakdown(
    client_of: Any,
) -> None:
    html = _html(client_of("manager_b"), reverse("indicators:indicator", args=[SL15]))
    assert 'data-code="WX"' in html
    assert 'data-code="NJ"' not in html and 'data-code="SZ"' not in html
    assert _name("NJ") not in html


def test_the_branch_page_ranks_the_branch_among_all_without_showing_the_others(
    client_of: Any,
) -> None:
    ranked = {
        r.branch: r.value
        for r in Result.objects.filter(
            result_set__cut="branch", indicator="hotline_abandon_rate", operator="us"
        ).exclude(branch=None)
        if r.value is not None
    }
    # Independent of the code under test: lower abandonment is better.
    order = sorted(ranked, key=lambda code: ranked[code])
    expected_rank = order.index("NJ") + 1
    html = _html(client_of("manager_a"), reverse("indicators:branch", args=["NJ"]))
    row = html[html.index('data-indicator="hotline_abandon_rate"') :]
    row = row[: row.index("</tr>")]
    assert f"{expected_rank}/{len(ranked)}" in row
    assert _name("WX") not in html


def test_a_branch_manager_cannot_open_another_branchs_page(client_of: Any) -> None:
    _html(client_of("manager_a"), reverse("indicators:branch", args=["WX"]), status=403)
    _html(client_of("manager_b"), reverse("indicators:branch", args=["WX"]))
    _html(client_of("analyst"), reverse("indicators:branch", args=["XX"]), status=404)


def test_competitor_view_gives_a_verdict_for_each_survey_indicator(client_of: Any) -> None:
    html = _html(client_of("analyst"), reverse("indicators:competitors"))
    assert 'data-indicator="satisfaction_overall_score"' in html
    assert "R3.4" not in html  # no requirement ids on the page
    verdicts = [html.count(f'data-verdict="{v}"') for v in ("lead", "par", "lag")]
    assert sum(verdicts) >= 10
    _html(client_of("manager_a"), reverse("indicators:competitors") + "?branch=NJ")
    _html(client_of("manager_a"), reverse("indicators:competitors") + "?branch=WX", status=403)


def test_every_table_downloads_as_excel_with_the_figures_of_the_page(client_of: Any) -> None:
    response = client_of("analyst").get(reverse("indicators:overview") + "?format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    province = Result.objects.get(result_set__cut="", indicator=SL15, operator="us")
    assert rows[SL15][4] == pytest.approx(province.value)
    assert rows[SL15][6] == province.denominator

    matrix = client_of("manager_b").get(
        reverse("indicators:overview") + "?format=xlsx&table=matrix"
    )
    lines = list(load_workbook(io.BytesIO(matrix.content)).active.iter_rows(values_only=True))
    assert [line[0] for line in lines[1:]] == ["全省", "无锡"]
    assert len(lines[0]) == 1 + 3 * 4

    branch = client_of("manager_a").get(
        reverse("indicators:indicator", args=[SL15]) + "?format=xlsx&table=branch"
    )
    codes = [
        r[0]
        for r in load_workbook(io.BytesIO(branch.content)).active.iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert codes == ["NJ"]


def test_an_unknown_period_or_indicator_is_not_found(client_of: Any) -> None:
    client = client_of("analyst")
    _html(client, reverse("indicators:overview") + "?period=2031-01", status=404)
    _html(client, reverse("indicators:indicator", args=["no_such_indicator"]), status=404)


def test_the_results_api_is_scoped_like_the_pages(client_of: Any) -> None:
    url = reverse("api:indicator_results") + f"?period={PERIOD}&by=branch&indicator={SL15}"
    analyst = client_of("analyst").get(url).json()
    assert {r["dimensions"]["branch"] for r in analyst} >= {"NJ", "WX", "SZ"}
    manager = client_of("manager_b").get(url).json()
    assert [r["dimensions"]["branch"] for r in manager] == ["WX"]
    wx = next(r for r in analyst if r["dimensions"]["branch"] == "WX")
    assert manager[0] == wx
    bad = client_of("analyst").get(reverse("api:indicator_results") + "?period=2024-01&by=x")
    assert bad.status_code == 400


def test_the_pages_speak_english_with_the_catalogs_english_names(client_of: Any) -> None:
    client = client_of("analyst")
    client.cookies["django_language"] = "en"
    overview = _html(client, reverse("indicators:overview"))
    assert "Traffic-light matrix" in overview and "红黄绿灯矩阵" not in overview
    assert "Service level within 15 s" in overview
    assert "within 2% is green" in overview and "%%" not in overview
    page = _html(client, reverse("indicators:competitors"))
    assert "Competitor benchmark" in page and "within 1% of the scale" in page
