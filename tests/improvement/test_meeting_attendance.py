"""Who attends a meeting: the secretary sets the departments and the people on the meeting page,
offered only the attending departments' people and the branch managers within their scope; a
person outside them is refused by name and nothing changes; the minutes name the people."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.urls import reverse
from pypdf import PdfReader

from sqm.improvement import services
from sqm.org.models import Department

pytestmark = pytest.mark.django_db
DAY = date(2027, 1, 19)


@pytest.fixture
def meeting(people: dict[str, Any]) -> Any:
    return services.create_meeting(people["analyst"], day=DAY, departments=["network"])


def _names(found: Any) -> set[str]:
    return {p.username for p in found}


def test_the_people_offered_are_the_attending_departments_and_the_branch_managers(
    people: dict[str, Any], meeting: Any
) -> None:
    # network's liaison, not csc's; branch managers; no handler, no one without a department.
    offered = _names(services.attendee_choices(people["analyst"], meeting))
    assert offered == {"liaison", "manager_a", "manager_b"}
    # A reader bound to NJ is offered no one of WX.
    assert _names(services.attendee_choices(people["manager_a"], meeting)) == {
        "liaison",
        "manager_a",
    }


def test_the_secretary_sets_the_people_and_the_page_and_minutes_name_them(
    client_for: Any, people: dict[str, Any], meeting: Any
) -> None:
    network = Department.objects.get(code="network").name_zh
    client = client_for("analyst")
    answer = client.post(
        reverse("improvement:meeting_attendance", args=[meeting.pk]),
        {
            "departments": ["network"],
            "attendees": [people["liaison"].pk, people["manager_a"].pk],
        },
    )
    assert answer.status_code == 302
    assert _names(meeting.attendees.all()) == {"liaison", "manager_a"}
    page = client.get(reverse("improvement:meeting", args=[meeting.pk])).content.decode()
    assert f"liaison（{network}）" in page and 'id="attendance-form"' in page

    docx = client.get(reverse("improvement:minutes", args=[meeting.pk, "docx"]))
    with zipfile.ZipFile(io.BytesIO(docx.content)) as opened:
        text = opened.read("word/document.xml").decode()
    assert f"参会人员：liaison（{network}）、manager_a（南京）" in text
    pdf = client.get(reverse("improvement:minutes", args=[meeting.pk, "pdf"]))
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert f"参会人员：liaison（{network}）、manager_a（南京）" in pdf_text.replace("\n", "")


def test_a_person_outside_the_attending_departments_is_refused_and_nothing_changes(
    client_for: Any, people: dict[str, Any], meeting: Any
) -> None:
    services.update_meeting(people["analyst"], meeting.pk, attendees=[people["liaison"]])
    answer = client_for("analyst").post(
        reverse("improvement:meeting_attendance", args=[meeting.pk]),
        {"departments": ["network"], "attendees": [people["billing_liaison"].pk]},
    )
    assert answer.status_code == 400
    assert "billing_liaison" in answer.content.decode()
    assert _names(meeting.attendees.all()) == {"liaison"}
    assert list(meeting.attendee_departments.values_list("code", flat=True)) == ["network"]
    # Choosing csc as well admits its liaison in the same step.
    client_for("analyst").post(
        reverse("improvement:meeting_attendance", args=[meeting.pk]),
        {"departments": ["network", "csc"], "attendees": [people["billing_liaison"].pk]},
    )
    assert _names(meeting.attendees.all()) == {"billing_liaison"}


def test_a_person_not_of_the_cast_of_choices_is_an_invalid_choice(
    client_for: Any, people: dict[str, Any], meeting: Any
) -> None:
    answer = client_for("analyst").post(
        reverse("improvement:meeting_attendance", args=[meeting.pk]),
        {"departments": ["network"], "attendees": [people["handler_a"].pk]},
    )
    assert answer.status_code == 400
    assert meeting.attendees.count() == 0


@pytest.mark.parametrize("who", ["liaison", "executive", "manager_a"])
def test_only_the_secretary_sets_who_attends(
    client_for: Any, people: dict[str, Any], meeting: Any, who: str
) -> None:
    answer = client_for(who).post(
        reverse("improvement:meeting_attendance", args=[meeting.pk]),
        {"departments": ["network"], "attendees": [people["liaison"].pk]},
    )
    assert answer.status_code == 403
    assert meeting.attendees.count() == 0
