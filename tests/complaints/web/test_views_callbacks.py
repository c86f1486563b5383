"""The 来电必复 page: each branch's callback tasks, their deadlines, and recording a callback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from sqm.complaints.models import Callback
from sqm.org.models import AuditLog, Branch
from tests.complaints.web.conftest import ClientFor

URL = "/complaints/callbacks/"
PHONE = "13912345678"


@pytest.fixture
def tasks(people: dict[str, Any]) -> dict[str, Callback]:
    abandoned = datetime.now(UTC) - timedelta(hours=5)

    def make(call_id: str, branch: str, due_in_hours: float) -> Callback:
        return Callback.objects.create(
            call_id=call_id,
            customer_id=f"C-{call_id}",
            phone=PHONE,
            branch=Branch.objects.get(code=branch),
            abandoned_at=abandoned,
            due_at=datetime.now(UTC) + timedelta(hours=due_in_hours),
        )

    return {
        "nj_late": make("CALL-NJ-1", "NJ", -3),
        "nj_due": make("CALL-NJ-2", "NJ", 1),
        "wx_due": make("CALL-WX-1", "WX", 1),
    }


def test_a_branch_manager_sees_only_their_branchs_callbacks(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    page = client_for("manager_a").get(URL, {"state": "all"}).content.decode()
    assert "CALL-NJ-1" in page and "CALL-NJ-2" in page
    assert "CALL-WX-1" not in page


def test_the_analyst_sees_every_branchs_callbacks(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    page = client_for("analyst").get(URL, {"state": "all"}).content.decode()
    assert all(t.call_id in page for t in tasks.values())


def test_the_overdue_tab_lists_only_late_open_callbacks(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    page = client_for("handler_a").get(URL, {"state": "overdue"}).content.decode()
    assert "CALL-NJ-1" in page
    assert "CALL-NJ-2" not in page


def test_phone_numbers_are_masked_on_the_callback_page(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    page = client_for("handler_a").get(URL).content.decode()
    assert PHONE not in page
    assert "139****5678" in page


def test_recording_a_callback_completes_it_and_is_audited(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    task = tasks["nj_due"]
    response = client_for("handler_a").post(
        f"{URL}{task.pk}/complete/", {"outcome": "reached", "note": "已回电解释"}
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.completed_at is not None and task.outcome == "reached"
    assert AuditLog.objects.filter(action="complaints.callback", object_id=task.call_id).exists()
    page = client_for("handler_a").get(URL, {"state": "done"}).content.decode()
    assert "CALL-NJ-2" in page


def test_an_unreachable_callback_without_the_attempts_is_refused(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    task = tasks["nj_due"]
    client_for("handler_a").post(f"{URL}{task.pk}/complete/", {"outcome": "unreachable"})
    task.refresh_from_db()
    assert task.completed_at is None


def test_another_branchs_callback_cannot_be_completed(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    task = tasks["wx_due"]
    response = client_for("handler_a").post(f"{URL}{task.pk}/complete/", {"outcome": "reached"})
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.completed_at is None


def test_the_executive_reads_callbacks_but_cannot_complete_them(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    client = client_for("executive")
    page = client.get(URL, {"state": "all"}).content.decode()
    assert "CALL-WX-1" in page and "登记回呼" not in page
    client.post(f"{URL}{tasks['nj_due'].pk}/complete/", {"outcome": "reached"})
    tasks["nj_due"].refresh_from_db()
    assert tasks["nj_due"].completed_at is None


def test_the_summary_counts_owed_and_overdue_callbacks(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    page = client_for("analyst").get(URL).content.decode()
    assert 'id="callbacks-total">3<' in page
    assert 'id="callbacks-overdue">1<' in page


def test_the_on_time_share_reads_as_a_percentage(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    client_for("handler_a").post(
        f"{URL}{tasks['nj_due'].pk}/complete/", {"outcome": "reached", "note": "已回电"}
    )
    page = client_for("analyst").get(URL).content.decode()
    assert 'id="callbacks-on-time">1 (33.3%)<' in page  # one of the three owed


@pytest.mark.parametrize("who", ["anonymous", "spam_reviewer", "liaison"])
def test_people_without_callback_duties_cannot_open_the_page(
    client_for: ClientFor, tasks: dict[str, Callback], who: str
) -> None:
    response = client_for(who).get(URL)
    assert response.status_code in (302, 403)
    assert "CALL-NJ-1" not in response.content.decode()


@pytest.mark.parametrize(
    "next_url",
    ["https://elsewhere.example/", "//elsewhere.example/", "/\\elsewhere.example", "javascript:x"],
)
def test_recording_a_callback_never_sends_the_user_off_site(
    next_url: str, client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    task = tasks["nj_due"]
    response = client_for("handler_a").post(
        f"{URL}{task.pk}/complete/", {"outcome": "reached", "note": "已回电", "next": next_url}
    )
    assert response.status_code == 302
    assert response["Location"] == URL


def test_recording_a_callback_returns_to_the_page_it_came_from(
    client_for: ClientFor, tasks: dict[str, Callback]
) -> None:
    task = tasks["nj_due"]
    back = f"{URL}?state=overdue"
    response = client_for("handler_a").post(
        f"{URL}{task.pk}/complete/", {"outcome": "reached", "note": "已回电", "next": back}
    )
    assert response["Location"] == back
