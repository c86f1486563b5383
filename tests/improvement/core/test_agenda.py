"""Agenda building: what the meeting takes up, each subject once, and the secretary's order."""

from __future__ import annotations

from datetime import date

import pytest

from sqm.improvement.core.agenda import (
    Entry,
    Kind,
    Red,
    Topic,
    actions_for_agenda,
    build,
    merge,
    reorder,
)

MEETING = date(2027, 1, 12)
NEXT = date(2027, 1, 26)


def test_the_agenda_takes_carried_over_items_first_then_reds_signals_cases_and_actions() -> None:
    agenda = build(
        carried_over=[Topic("action:7", "整改营业厅排队", "7", department="market")],
        reds=[Red("hall_queue", "营业厅排队时长", "NT", "market")],
        signals=[Topic("signal:3", "南京 覆盖投诉异动", "3", branch="NJ")],
        cases=[Topic("case:SP1", "无锡宽带断网", "SP1", branch="WX", department="network")],
        actions=[Topic("action:8", "完善工单模板", "8", department="csc", due=NEXT)],
    )
    assert [e.kind for e in agenda] == [
        Kind.CARRIED_OVER,
        Kind.RED_INDICATOR,
        Kind.SIGNAL,
        Kind.CASE,
        Kind.ACTION,
    ]
    red = agenda[1]
    assert (red.indicator, red.branch, red.department) == ("hall_queue", "NT", "market")


def test_a_carried_over_subject_the_records_still_bring_keeps_its_own_kind_once() -> None:
    same = Topic("action:7", "整改营业厅排队", "7", department="market", due=date(2027, 1, 5))
    topic = Topic("added:1", "春节保障", "")
    agenda = build(carried_over=[same, topic], actions=[same])
    assert [(e.kind, e.key) for e in agenda] == [
        (Kind.CARRIED_OVER, "added:1"),
        (Kind.ACTION, "action:7"),
    ]


def test_the_meeting_takes_up_overdue_actions_and_those_due_before_the_next_meeting() -> None:
    overdue = Topic("action:1", "a", "1", due=date(2027, 1, 4))
    this_period = Topic("action:2", "b", "2", due=date(2027, 1, 20))
    later = Topic("action:3", "c", "3", due=NEXT)
    not_overdue_past = Topic("action:4", "d", "4", due=date(2027, 1, 11))
    chosen = actions_for_agenda(
        [later, this_period, overdue, not_overdue_past], {"action:1"}, MEETING, NEXT
    )
    assert [t.key for t in chosen] == ["action:1", "action:2"]


def entry(key: str, kind: Kind = Kind.ACTION, title: str = "") -> Entry:
    return Entry(kind, key, title or key)


def test_a_rebuilt_agenda_keeps_the_secretarys_order_and_additions_and_appends_new_items() -> None:
    stored = [entry("added:1", Kind.ADDED), entry("case:SP1", Kind.CASE, "旧标题")]
    built = [entry("case:SP1", Kind.CASE, "新标题"), entry("action:9")]
    merged = merge(stored, built)
    assert [e.key for e in merged] == ["added:1", "case:SP1", "action:9"]
    assert merged[1].title == "新标题"


def test_a_subject_the_secretary_removed_does_not_come_back_on_rebuild() -> None:
    merged = merge(
        [entry("action:1")], [entry("action:1"), entry("action:2")], removed=["action:2"]
    )
    assert [e.key for e in merged] == ["action:1"]


def test_reordering_puts_the_named_items_first_and_refuses_a_stale_key() -> None:
    entries = [entry("a"), entry("b"), entry("c")]
    assert [e.key for e in reorder(entries, ["c", "a"])] == ["c", "a", "b"]
    with pytest.raises(ValueError, match="议程"):
        reorder(entries, ["z"])
    with pytest.raises(ValueError):
        reorder(entries, ["a", "a"])


def test_a_red_indicator_is_taken_up_once_with_every_place_it_is_red() -> None:
    agenda = build(
        reds=[
            Red("abandon", "呼损率", "NJ", "csc", "南京"),
            Red("abandon", "呼损率", "WX", "csc", "无锡"),
            Red("wait", "等候时长", None, "market"),
            Red("wait", "等候时长", "NT", "market", "南通"),
        ]
    )
    assert [(e.key, e.title, e.branch) for e in agenda] == [
        ("indicator:abandon", "呼损率（南京、无锡）", "NJ,WX"),
        ("indicator:wait", "等候时长（全省、南通）", None),
    ]
