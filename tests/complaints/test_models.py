"""The models agree with the core's code sets, and deadlines follow the working calendar kept
in CalendarDay rows (province-wide, overridden per branch)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction

from sqm.complaints.choices import (
    ChannelChoices,
    LevelChoices,
    RefundKindChoices,
    SeverityChoices,
    WorkOrderActionChoices,
    WorkOrderStatusChoices,
)
from sqm.complaints.core.categories import IntakeChannel, Severity
from sqm.complaints.core.escalation import Level
from sqm.complaints.core.money import RefundKind
from sqm.complaints.core.states import Action, Status
from sqm.complaints.models import CalendarDay, WorkOrder
from sqm.complaints.workdays import calendars
from sqm.org.models import Branch, Channel
from tests.complaints.conftest import MakeOrder, at


@pytest.mark.parametrize(
    ("choices", "values"),
    [
        (WorkOrderStatusChoices.choices, Status),
        (WorkOrderActionChoices.choices, Action),
        (ChannelChoices.choices, IntakeChannel),
        (SeverityChoices.choices, Severity),
        (LevelChoices.choices, Level),
        (RefundKindChoices.choices, RefundKind),
    ],
)
def test_model_choices_are_exactly_the_core_code_sets(choices: Any, values: Any) -> None:
    assert [code for code, _ in choices] == [member.value for member in values]


@pytest.mark.django_db
def test_every_intake_channel_is_an_organisation_channel(reference: None) -> None:
    codes = set(Channel.objects.values_list("code", flat=True))
    assert {c.value for c in IntakeChannel} <= codes
    assert Channel.objects.get(code="regulator").name_zh == "管局/工信部转办"


@pytest.mark.django_db
def test_satisfaction_outside_one_to_five_is_refused_by_the_database(
    make_order: MakeOrder,
) -> None:
    wo = make_order()
    with pytest.raises(IntegrityError), transaction.atomic():
        WorkOrder.objects.filter(pk=wo.pk).update(satisfaction=6)


@pytest.mark.django_db
def test_a_province_holiday_moves_the_resolution_deadline(make_order: MakeOrder) -> None:
    assert make_order().resolution_due == at(11, 11)
    CalendarDay.objects.create(date=date(2026, 3, 4), is_workday=False, name="测试假日")
    assert make_order().resolution_due == at(12, 11)


@pytest.mark.django_db
def test_a_branch_keeps_its_own_calendar(make_order: MakeOrder) -> None:
    wuxi = Branch.objects.get(code="WX")
    CalendarDay.objects.create(date=date(2026, 3, 4), is_workday=False)
    # Wuxi works that day after all, and also Saturday the 7th (调休).
    CalendarDay.objects.create(branch=wuxi, date=date(2026, 3, 4), is_workday=True)
    CalendarDay.objects.create(branch=wuxi, date=date(2026, 3, 7), is_workday=True)
    nanjing = make_order(branch="NJ").resolution_due
    wx = make_order(actor="handler_b", branch="WX").resolution_due
    assert nanjing == at(12, 11)
    assert wx == at(10, 11)
    assert not calendars.branch_calendar(None).is_working_day(date(2026, 3, 4))
    assert calendars.branch_calendar(wuxi.pk).is_working_day(date(2026, 3, 7))


@pytest.mark.django_db
def test_an_edited_calendar_reaches_the_next_deadline_at_once(make_order: MakeOrder) -> None:
    assert make_order().resolution_due == at(11, 11)
    day = CalendarDay.objects.create(date=date(2026, 3, 4), is_workday=False)
    assert make_order().resolution_due == at(12, 11)
    day.delete()
    assert make_order().resolution_due == at(11, 11)


def test_working_hours_come_from_settings(settings: Any) -> None:
    settings.SQM_COMPLAINTS_DAY_START = "09:00"
    settings.SQM_COMPLAINTS_DAY_END = "18:00"
    calendar = calendars.base_calendar()
    assert (calendar.day_start.hour, calendar.day_end.hour) == (9, 18)
    settings.SQM_COMPLAINTS_DAY_END = "six"
    with pytest.raises(ValueError, match="HH:MM"):
        calendars.base_calendar()


@pytest.mark.django_db
def test_phases_report_each_clock(make_order: MakeOrder, people: Any) -> None:
    from sqm.complaints import services

    wo = make_order()
    assert services.phases(wo, at(2, 11)) == {"first_reply": "running", "resolution": "running"}
    assert services.phases(wo, at(5, 11))["first_reply"] == "breached"
    services.transition(people["handler_a"], wo.number, "acknowledge", at=at(2, 11))
    services.transition(people["handler_a"], wo.number, "wait_customer", at=at(2, 12))
    wo.refresh_from_db()
    assert services.phases(wo, at(20)) == {"first_reply": "met", "resolution": "paused"}
    appeal = make_order(channel="regulator")
    assert services.phases(appeal, at(3))["appeal"] == "running"


def test_a_raised_level_is_coloured_by_its_choice_and_an_ordinary_one_is_plain() -> None:
    assert WorkOrder(level=Level.ESCALATED.value).level_colour == "chip-escalated"
    assert WorkOrder(level=Level.APPEAL.value).level_colour == "chip-appeal"
    assert WorkOrder(level=Level.ORDINARY.value).level_colour == ""
