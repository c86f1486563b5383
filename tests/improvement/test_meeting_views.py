"""The meeting pages per role: who sees and who runs them, a refused decision that keeps what
was typed, the htmx reorder, the minutes downloads."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from sqm.improvement import services

pytestmark = pytest.mark.django_db
DAY = date(2027, 1, 12)


@pytest.fixture
def meeting(people: dict[str, Any], red_month: None) -> Any:
    made = services.create_meeting(people["analyst"], day=DAY, chair_name="王副总")
    services.add_topic(people["analyst"], made.pk, "春节服务保障")
    return made


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("analyst", 200),
        ("executive", 200),
        ("liaison", 200),
        ("manager_a", 403),
        ("handler_a", 403),
    ],
)
def test_meetings_are_the_provinces_branch_people_do_not_see_them(
    client_for: Any, meeting: Any, who: str, status: int
) -> None:
    assert (
        client_for(who).get(reverse("improvement:meeting", args=[meeting.pk])).status_code == status
    )


def test_a_liaison_reads_the_agenda_but_is_offered_no_secretarys_controls(
    client_for: Any, meeting: Any
) -> None:
    page = (
        client_for("liaison")
        .get(reverse("improvement:meeting", args=[meeting.pk]))
        .content.decode()
    )
    assert "平均等候时长" in page and "春节服务保障" in page
    assert 'id="decision-form"' not in page and "hx-post" not in page
    refused = client_for("liaison").post(
        reverse("improvement:add_topic", args=[meeting.pk]), {"title": "x"}
    )
    assert refused.status_code == 403


def test_a_refused_decision_answers_400_and_keeps_what_was_typed(
    client_for: Any, meeting: Any
) -> None:
    response = client_for("analyst").post(
        reverse("improvement:decide", args=[meeting.pk]),
        {
            "text": "南京营业厅增开窗口",
            "title": "排队时长达标",
            "owner_department": "market",
            "deadline": "2020-01-01",
            "branch": "NJ",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "完成时限不能早于今天" in page and "南京营业厅增开窗口" in page
    assert not meeting.decisions.exists()


def test_moving_a_topic_over_htmx_answers_the_agenda_fragment_in_its_new_order(
    client_for: Any, meeting: Any
) -> None:
    topic = meeting.agenda.get(kind="added")
    response = client_for("analyst").post(
        reverse("improvement:move_topic", args=[meeting.pk]),
        {"item": topic.pk, "direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<ol class="agenda"')
    assert page.index("春节服务保障") < page.index("平均等候时长")
    bad = client_for("analyst").post(
        reverse("improvement:move_topic", args=[meeting.pk]),
        {"item": "x", "direction": "up"},
        HTTP_HX_REQUEST="true",
    )
    assert bad.status_code == 400


def test_the_minutes_download_as_word_and_pdf_with_chinese_file_names(
    client_for: Any, meeting: Any
) -> None:
    client = client_for("executive")
    docx = client.get(reverse("improvement:minutes", args=[meeting.pk, "docx"]))
    assert "filename*=UTF-8''" in docx["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(docx.content)) as opened:
        assert "春节服务保障" in opened.read("word/document.xml").decode()
    pdf = client.get(reverse("improvement:minutes", args=[meeting.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(reverse("improvement:minutes", args=[meeting.pk, "odt"])).status_code == 404
