"""The improvement pages per role, with the standing cast: who sees which board, item and
meeting; steps refused with 400/409 and nothing lost; the Excel export."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sqm.improvement import services
from tests.improvement.conftest import MakeAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(people: dict[str, Any], make_action: MakeAction) -> dict[str, Any]:
    return {
        "nj": make_action("南京营业厅增开窗口", branch="NJ", department="market"),
        "wx": make_action("无锡基站扩容", branch="WX", department="network"),
    }


@pytest.mark.parametrize(
    ("who", "sees", "hidden"),
    [
        ("analyst", {"nj", "wx"}, set()),
        ("manager_a", {"nj"}, {"wx"}),
        ("manager_b", {"wx"}, {"nj"}),
        ("liaison", {"wx"}, {"nj"}),
        ("executive", {"nj", "wx"}, set()),
    ],
)
def test_the_board_shows_each_role_its_own_items_and_another_branchs_item_is_a_404(
    client_for: Any, items: dict[str, Any], who: str, sees: set[str], hidden: set[str]
) -> None:
    client = client_for(who)
    page = client.get(reverse("improvement:actions")).content.decode()
    for name in sees:
        assert items[name].title in page
        assert client.get(reverse("improvement:action", args=[items[name].pk])).status_code == 200
    for name in hidden:
        assert items[name].title not in page
        assert client.get(reverse("improvement:action", args=[items[name].pk])).status_code == 404


def test_roles_without_improvement_work_are_refused_and_anonymous_goes_to_login(
    client_for: Any, items: dict[str, Any]
) -> None:
    assert client_for("spam_reviewer").get(reverse("improvement:index")).status_code == 403
    assert client_for("anonymous").get(reverse("improvement:index")).status_code == 302
    assert client_for("manager_a").get(reverse("improvement:meetings")).status_code == 403


def test_the_index_page_speaks_chinese_and_lists_my_departments_items_for_a_liaison(
    client_for: Any, items: dict[str, Any]
) -> None:
    page = client_for("liaison").get(reverse("improvement:index")).content.decode()
    assert "改进管理" in page and "无锡基站扩容" in page and "南京营业厅增开窗口" not in page


def test_my_actions_holds_the_items_i_own(
    client_for: Any, people: dict[str, Any], make_action: MakeAction
) -> None:
    mine = make_action("我的事项", owner=people["manager_a"])
    make_action("别人的事项")
    page = client_for("manager_a").get(reverse("improvement:mine")).content.decode()
    assert mine.title in page and "别人的事项" not in page


def test_the_board_filters_and_exports_what_it_shows_to_excel(
    client_for: Any, items: dict[str, Any]
) -> None:
    client = client_for("analyst")
    page = client.get(reverse("improvement:actions"), {"department": "network"}).content.decode()
    assert "无锡基站扩容" in page and "南京营业厅增开窗口" not in page
    response = client.get(
        reverse("improvement:actions"), {"department": "network", "format": "xlsx"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    titles = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert titles == ["无锡基站扩容"]


def test_completing_without_evidence_answers_409_and_keeps_the_item_open(
    client_for: Any, items: dict[str, Any]
) -> None:
    item = items["nj"]
    response = client_for("manager_a").post(
        reverse("improvement:step", args=[item.pk]), {"step": "complete", "version": item.version}
    )
    assert response.status_code == 409
    assert "佐证" in response.content.decode()
    item.refresh_from_db()
    assert item.status == "open"


def test_a_stale_page_gets_a_conflict_not_a_second_close(
    client_for: Any, people: dict[str, Any], items: dict[str, Any]
) -> None:
    item = items["nj"]
    services.add_evidence(people["manager_a"], item.pk, note="窗口已增开")
    done = services.take_step(people["manager_a"], item.pk, "complete")
    url = reverse("improvement:step", args=[item.pk])
    first = client_for("analyst").post(url, {"step": "verify", "version": done.version})
    assert first.status_code == 302
    second = client_for("admin").post(url, {"step": "verify", "version": done.version})
    assert second.status_code == 409
    assert "已被他人修改" in second.content.decode()


def test_reopening_without_a_reason_is_refused_and_the_reason_typed_is_kept(
    client_for: Any, people: dict[str, Any], items: dict[str, Any]
) -> None:
    item = items["nj"]
    services.add_evidence(people["manager_a"], item.pk, note="x")
    done = services.take_step(people["manager_a"], item.pk, "complete")
    response = client_for("analyst").post(
        reverse("improvement:step", args=[item.pk]),
        {"step": "reopen", "version": done.version, "reason": "  "},
    )
    assert response.status_code == 409 and "原因" in response.content.decode()


def test_evidence_is_uploaded_as_a_file_and_downloaded_only_by_those_who_see_the_item(
    client_for: Any, items: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    item = items["nj"]
    client = client_for("manager_a")
    upload = SimpleUploadedFile("排队记录.csv", "日期,分钟\n".encode(), content_type="text/csv")
    assert (
        client.post(reverse("improvement:evidence", args=[item.pk]), {"file": upload}).status_code
        == 302
    )
    evidence = item.evidence.get()
    url = reverse("improvement:evidence_file", args=[item.pk, evidence.pk])
    assert client.get(url).content == "日期,分钟\n".encode()
    assert client_for("manager_b").get(url).status_code == 404


def test_the_province_view_lists_departments_for_the_quality_department_only(
    client_for: Any, people: dict[str, Any], make_action: MakeAction
) -> None:
    make_action(deadline=date(2027, 1, 10))
    page = client_for("analyst").get(reverse("improvement:province"), {"month": "2027-01"})
    assert page.status_code == 200 and "市场部" in page.content.decode()
    assert client_for("manager_a").get(reverse("improvement:province")).status_code == 403


def test_the_board_speaks_english_when_asked(client_for: Any, items: dict[str, Any]) -> None:
    client = client_for("analyst")
    client.cookies["django_language"] = "en"
    page = client.get(reverse("improvement:actions")).content.decode()
    assert "Action board" in page and "Export to Excel" in page and "督办看板" not in page
