"""Service meetings through the services: the agenda that builds itself from red figures,
signals, cases and action items, the secretary's order and topics, decisions that become
action items in one step, carried-over items, the minutes."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from sqm.improvement import services
from sqm.tracing import services as tracing
from tests.improvement.conftest import MakeAction
from tests.tracing.conftest import MONTH as SIGNAL_MONTH
from tests.tracing.conftest import finding

pytestmark = pytest.mark.django_db
DAY = date(2027, 1, 12)


@pytest.fixture
def records(
    people: dict[str, Any], make_action: MakeAction, red_month: None, data_dir: Any
) -> dict[str, Any]:
    tracing.store_signals([finding(branch="WX", category="billing")], SIGNAL_MONTH)
    case = tracing.open_case(
        people["analyst"], title="无锡宽带断网", branches=["WX"], lead_department="network"
    )
    return {
        "overdue": make_action("逾期未办", deadline=date(2027, 1, 8)),
        "due": make_action("本期到期", deadline=date(2027, 1, 20), department="csc"),
        "later": make_action("下月到期", deadline=date(2027, 2, 20)),
        "case": case,
    }


def kinds(entries: list[Any]) -> list[tuple[str, str]]:
    return [(e.kind.value, e.title) for e in entries]


def test_the_agenda_holds_the_months_red_figures_new_signals_open_cases_and_due_actions(
    records: dict[str, Any],
) -> None:
    _, agenda = services.agenda_for(DAY)
    found = kinds(agenda)
    assert [k for k, _ in found] == ["red_indicator", "signal", "case", "action", "action"]
    red = agenda[0]
    assert (red.indicator, red.branch, red.department) == ("hall_mean_wait_minutes", "NJ", "market")
    assert found[2][1].endswith("无锡宽带断网")
    assert [a.title.split(" ", 1)[1] for a in agenda[3:]] == ["逾期未办", "本期到期"]


def test_the_cli_json_has_exactly_the_issues_shape(records: dict[str, Any]) -> None:
    payload = services.agenda_json(DAY)
    assert set(payload) == {"date", "items"} and payload["date"] == "2027-01-12"
    for item in payload["items"]:
        assert set(item) == {"kind", "indicator", "branch", "department", "title", "due"}
    assert payload["items"][-1]["due"] == "2027-01-20"


def test_a_decision_creates_its_action_item_in_one_step_and_settles_its_topic(
    people: dict[str, Any], records: dict[str, Any]
) -> None:
    meeting = services.create_meeting(people["analyst"], day=DAY, departments=["market"])
    red = meeting.agenda.get(kind="red_indicator")
    item = services.record_decision(
        people["analyst"],
        meeting.pk,
        text="南京营业厅高峰时段增开窗口",
        agenda_item_id=red.pk,
        title="南京营业厅排队时长降到 10 分钟以内",
        owner_department="market",
        deadline=date(2027, 1, 31),
        indicator="hall_mean_wait_minutes",
        target=10.0,
        today=DAY,
    )
    assert item.meeting == meeting and item.decision.agenda_item == red
    assert item.branch.code == "NJ"  # taken from the topic
    red.refresh_from_db()
    assert red.resolved


def test_a_refused_decision_leaves_no_half_record(
    people: dict[str, Any], records: dict[str, Any]
) -> None:
    meeting = services.create_meeting(people["analyst"], day=DAY)
    with pytest.raises(services.ImprovementError):
        services.record_decision(
            people["analyst"],
            meeting.pk,
            text="决议",
            title="x",
            owner_department="market",
            deadline=date(2027, 1, 31),
            indicator="hall_mean_wait_minutes",  # no target
            today=DAY,
        )
    assert not meeting.decisions.exists()


def test_the_secretarys_order_and_topics_survive_a_rebuild_and_removed_subjects_stay_out(
    people: dict[str, Any], records: dict[str, Any]
) -> None:
    analyst = people["analyst"]
    meeting = services.create_meeting(analyst, day=DAY)
    topic = services.add_topic(analyst, meeting.pk, "春节保障方案")
    services.move(analyst, meeting.pk, topic.pk, -1)
    signal = meeting.agenda.get(kind="signal")
    services.remove_topic(analyst, meeting.pk, signal.pk)
    services.refresh_agenda(meeting)
    keys = list(meeting.agenda.filter(removed=False).values_list("key", flat=True))
    assert "added:1" in keys and keys.index("added:1") == len(keys) - 2
    assert signal.key not in keys


def test_unsettled_topics_are_carried_over_to_the_next_meeting(
    people: dict[str, Any], records: dict[str, Any]
) -> None:
    first = services.create_meeting(people["analyst"], day=DAY)
    services.add_topic(people["analyst"], first.pk, "营业厅服务规范修订")
    _, agenda = services.agenda_for(date(2027, 1, 26))
    carried = [e for e in agenda if e.kind.value == "carried_over"]
    assert "营业厅服务规范修订" in [e.title for e in carried]
    assert agenda[0].kind.value == "carried_over"


def test_only_the_quality_department_runs_meetings(
    people: dict[str, Any], records: dict[str, Any]
) -> None:
    with pytest.raises(PermissionDenied):
        services.create_meeting(people["liaison"], day=DAY)
    with pytest.raises(services.ImprovementError, match="已有"):
        services.create_meeting(people["analyst"], day=DAY)
        services.create_meeting(people["analyst"], day=DAY)


def test_the_minutes_export_as_a_word_document_with_the_decisions_and_owners(
    people: dict[str, Any], records: dict[str, Any]
) -> None:
    meeting = services.create_meeting(people["analyst"], day=DAY, chair_name="王副总")
    services.record_decision(
        people["analyst"],
        meeting.pk,
        text="网络部牵头无锡宽带整改",
        title="无锡宽带断网整改",
        owner_department="network",
        owner=people["liaison"],
        deadline=date(2027, 1, 31),
        today=DAY,
    )
    body = services.minutes_docx(meeting)
    with zipfile.ZipFile(io.BytesIO(body)) as docx:
        xml = docx.read("word/document.xml").decode()
    for text in ("王副总", "网络部牵头无锡宽带整改", "网络部", "liaison", "2027-01-31"):
        assert text in xml


def test_the_minutes_render_as_a_pdf(people: dict[str, Any], records: dict[str, Any]) -> None:
    meeting = services.create_meeting(people["analyst"], day=DAY)
    assert services.minutes_pdf(meeting).startswith(b"%PDF")


def test_an_item_due_after_the_next_meeting_waits_until_it_is_overdue(
    people: dict[str, Any], make_action: MakeAction
) -> None:
    make_action("周五到期", deadline=date(2027, 1, 8), today=date(2026, 12, 1))
    _, early = services.agenda_for(date(2026, 12, 20))  # the next meeting is before the deadline
    assert early == []
    _, late = services.agenda_for(date(2027, 1, 11))
    assert [e.title.split(" ", 1)[1] for e in late] == ["周五到期"]
