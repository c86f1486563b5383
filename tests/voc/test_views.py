"""The satisfaction pages per role: scope decides whose answers a page reads."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client

from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes
from sqm.voc.intake import import_file
from tests.conftest import CAST_PASSWORD
from tests.voc.conftest import synthetic_study

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(data_dir: Path, cast: dict[str, Any], settings: Any) -> dict[str, Any]:
    path = data_dir / "study.csv"
    synthetic_study().to_csv(path, index=False)
    import_file(data_dir, path, ReferenceCodes.from_province(PROVINCE))
    return cast


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_dashboard_shows_index_map_and_tables(seeded: dict[str, Any]) -> None:
    response = _client(seeded["analyst"]).get("/voc/")
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="ipa-chart-data"' in body and 'id="trend-chart-data"' in body
    assert 'data-factor="price_level"' in body and "2026-09" in body
    assert "南京" in body and "无锡" in body  # the analyst may pick any branch
    assert 'hx-get="/voc/provider-gaps/' in body


def test_provider_gap_evidence_is_computed_for_the_scope(seeded: dict[str, Any]) -> None:
    response = _client(seeded["manager_a"]).get("/voc/provider-gaps/")
    gaps = response.context["provider_gaps"]
    assert [g["code"] for g in gaps] == ["knowledge", "standards", "delivery", "communication"]
    assert response.context["month"] == "2026-09"
    # The synthetic store holds only surveys: the operational indicators have no value yet.
    assert all(i["value"] is None for g in gaps for i in g["indicators"])


def test_a_branch_manager_reads_only_their_branch(seeded: dict[str, Any]) -> None:
    manager = _client(seeded["manager_a"])
    mine = manager.get("/voc/").context["index"]["respondents"]
    analyst = _client(seeded["analyst"])
    nj = analyst.get("/voc/?branch=NJ").context["index"]["respondents"]
    everyone = analyst.get("/voc/").context["index"]["respondents"]
    assert mine == nj < everyone
    # Asking for another branch is ignored: the scope wins.
    assert manager.get("/voc/?branch=WX").context["index"]["respondents"] == nj
    body = manager.get("/voc/drivers/?by=branch").content.decode()
    assert 'data-group="NJ"' in body and 'data-group="WX"' not in body


def test_excel_export_has_the_scoped_report(seeded: dict[str, Any]) -> None:
    response = _client(seeded["manager_b"]).get("/voc/export.xlsx?month=2026-09")
    assert response.status_code == 200
    assert "spreadsheetml" in response["Content-Type"]
    book = openpyxl.load_workbook(BytesIO(response.content))
    months = [row[0] for row in book["index"].iter_rows(min_row=2, values_only=True)]
    assert months == ["2026-09"]
    assert book["drivers"].max_row == 20


def test_the_excel_export_fits_chinese_factor_names_and_is_named_in_utf_8(
    seeded: dict[str, Any],
) -> None:
    # The report had its own sheet writer that sized columns by len(): a Chinese name got
    # half the width it takes. The one writer (sqm.lib.excel) counts a CJK character as two.
    response = _client(seeded["analyst"]).get("/voc/export.xlsx?month=2026-09")
    assert "filename*=UTF-8''satisfaction-2026-09.xlsx" in response["Content-Disposition"]
    drivers = openpyxl.load_workbook(BytesIO(response.content))["drivers"]
    names = [row[2] for row in drivers.iter_rows(min_row=2, values_only=True)]
    longest = max(sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in str(n)) for n in names)
    assert longest > max(len(str(n)) for n in names)  # the names are Chinese
    assert drivers.column_dimensions["C"].width == min(longest + 2, 60)
    assert drivers.freeze_panes == "A2"


def test_other_roles_are_refused(seeded: dict[str, Any]) -> None:
    from sqm.org.core.roles import Role
    from sqm.org.users import create_user

    handler = create_user("handler", Role.COMPLAINT_HANDLER, branch="NJ", password=CAST_PASSWORD)
    assert _client(handler).get("/voc/").status_code == 403
    assert _client(handler).get("/voc/export.xlsx").status_code == 403


def test_the_api_report_is_scoped_like_the_page(seeded: dict[str, Any]) -> None:
    manager = _client(seeded["manager_a"])
    page = manager.get("/voc/").context["index"]["respondents"]
    assert manager.get("/api/v1/voc/report?branch=WX").status_code == 403
    api = manager.get("/api/v1/voc/report").json()
    assert api["branches"] == ["NJ"]
    assert api["index"]["respondents"] == page
    drivers = _client(seeded["analyst"]).get("/api/v1/voc/drivers?by=tier").json()
    assert set(drivers) == {"ordinary", "gold"}
