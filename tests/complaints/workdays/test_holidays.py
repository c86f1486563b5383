"""The province calendar comes with the official holidays and 调休 working weekends, deadlines
respect them, and a changed day moves the deadlines of the open work orders it touches."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from sqm.complaints import services
from sqm.complaints.core.calendar import working_seconds_between
from sqm.complaints.models import CalendarDay, WorkOrder
from sqm.complaints.workdays import calendars, holidays
from sqm.org.models import Branch
from tests.complaints.conftest import SHANGHAI, MakeOrder, at
from tests.conftest import sqm

pytestmark = pytest.mark.django_db

SPRING_FESTIVAL_2026 = [date(2026, 2, 15) + timedelta(days=n) for n in range(9)]  # 15–23 Feb
WORKED_SATURDAY = date(2026, 2, 28)  # 调休: worked for the Spring Festival


def sh(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def official_2026() -> None:
    """The province calendar as a fresh install has it, whatever migrate already seeded."""
    CalendarDay.objects.all().delete()
    holidays.refresh_year(2026)


def test_a_year_is_seeded_from_the_official_schedule_and_a_refresh_again_changes_nothing() -> None:
    CalendarDay.objects.filter(branch__isnull=True, date__year=2026).delete()
    report = holidays.refresh_year(2026)
    assert (report.added, report.changed) == (report.holidays + report.workdays, 0)
    rows = {r.date: (r.is_workday, r.name) for r in CalendarDay.objects.filter(branch=None)}
    for day in SPRING_FESTIVAL_2026:
        assert rows[day] == (False, "春节")
    assert rows[date(2026, 2, 14)] == (True, "春节调休上班")
    assert rows[WORKED_SATURDAY] == (True, "春节调休上班")
    assert rows[date(2026, 10, 1)] == (False, "国庆节")
    again = holidays.refresh_year(2026)
    assert (again.added, again.changed, again.recomputed) == (0, 0, 0)


def test_a_year_the_package_does_not_carry_is_refused_with_what_to_do() -> None:
    missing = holidays.covered_years().stop
    with pytest.raises(holidays.CalendarDataMissing, match="make lock-upgrade"):
        holidays.refresh_year(missing)
    assert not CalendarDay.objects.filter(date__year=missing).exists()


def test_a_refresh_corrects_a_province_day_and_keeps_the_branch_days(
    reference: None, official_2026: None
) -> None:
    wuxi = Branch.objects.get(code="WX")
    CalendarDay.objects.filter(branch=None, date=date(2026, 2, 16)).update(is_workday=True)
    CalendarDay.objects.create(branch=wuxi, date=date(2026, 2, 17), is_workday=True, name="值班")
    report = holidays.refresh_year(2026)
    assert (report.added, report.changed) == (0, 1)
    assert not calendars.branch_calendar(None).is_working_day(date(2026, 2, 16))
    assert not calendars.branch_calendar(None).is_working_day(date(2026, 2, 17))
    assert calendars.branch_calendar(wuxi.pk).is_working_day(date(2026, 2, 17))


def test_a_fresh_database_gets_the_official_days_around_today() -> None:
    CalendarDay.objects.all().delete()
    reports = holidays.seed_official_years(today=date(2026, 6, 1))
    assert [r.year for r in reports] == [2025, 2026]  # 2027: not published in the package
    assert CalendarDay.objects.filter(date=date(2025, 1, 29), is_workday=False).exists()
    assert CalendarDay.objects.filter(date=date(2026, 2, 16), is_workday=False).exists()
    edited = CalendarDay.objects.get(date=date(2026, 2, 16))
    edited.name = "春节（省公司）"
    edited.save()
    assert holidays.seed_official_years(today=date(2026, 6, 1))[1].added == 0
    assert CalendarDay.objects.get(date=date(2026, 2, 16)).name == "春节（省公司）"

    CalendarDay.objects.all().delete()
    call_command("migrate", verbosity=0)  # what every `sqm` command, `sqm demo` too, runs
    year = timezone.localdate().year
    expected = any(y in holidays.covered_years() for y in (year - 1, year, year + 1))
    assert CalendarDay.objects.filter(branch=None).exists() == expected


def test_a_complaint_before_the_spring_festival_is_owed_its_first_reply_after_it(
    official_2026: None, make_order: MakeOrder
) -> None:
    wo = make_order(created_at=sh(2, 13, 10))  # Friday before the festival
    # 38 h to the end of Saturday 14th (a 调休 working day), nine days off, 10 h on the 24th.
    assert wo.first_reply_due == sh(2, 24, 10)
    assert wo.first_reply_warn_at == sh(2, 24, 0, 24)  # 80 % of 48 h: 38.4 h
    assert wo.resolution_due > sh(2, 24, 8, 30)


def test_a_tiaoxiu_saturday_counts_as_a_working_day(
    official_2026: None, make_order: MakeOrder
) -> None:
    calendar = calendars.branch_calendar(Branch.objects.get(code="NJ").pk)
    assert calendar.is_working_day(WORKED_SATURDAY)
    assert working_seconds_between(calendar, sh(2, 27, 17, 30), sh(3, 2, 8, 30)) == 9 * 3600
    # 2 h on the 调休 Saturday, then 62 of the 64 working hours from Monday: 6 days and 8 h
    # (were the Saturday off, 64 h from Monday would end on the 11th at 09:30).
    assert make_order(created_at=sh(2, 28, 15, 30)).resolution_due == sh(3, 10, 16, 30)


def _close(people: dict[str, Any], wo: Any) -> Any:
    for action, moment in (("acknowledge", at(2, 11)), ("start", at(2, 12)), ("resolve", at(3))):
        services.transition(people["handler_a"], wo.number, action, at=moment)
    return services.confirm_closure(
        people["handler_a"], wo.number, satisfaction=5, confirmed=True, at=at(3, 11)
    )


def test_a_changed_day_moves_the_deadlines_of_open_work_orders_and_leaves_closed_ones(
    make_order: MakeOrder, people: dict[str, Any]
) -> None:
    open_nj = make_order()
    closed_nj = _close(people, make_order())
    open_wx = make_order(actor="handler_b", branch="WX")
    assert open_nj.resolution_due == open_wx.resolution_due == at(11, 11)

    nanjing = Branch.objects.get(code="NJ")
    day = CalendarDay.objects.create(branch=nanjing, date=date(2026, 3, 4), is_workday=False)
    moved = WorkOrder.objects.get(pk=open_nj.pk)
    assert moved.resolution_due == at(12, 11) and moved.version == open_nj.version + 1
    assert moved.resolution_warn_at > open_nj.resolution_warn_at
    assert WorkOrder.objects.get(pk=closed_nj.pk).resolution_due == closed_nj.resolution_due
    assert WorkOrder.objects.get(pk=closed_nj.pk).version == closed_nj.version
    assert WorkOrder.objects.get(pk=open_wx.pk).resolution_due == at(11, 11)  # not its branch

    # A province day reaches every branch; the 48 h promise skips it too.
    CalendarDay.objects.create(date=date(2026, 3, 3), is_workday=False, name="测试假日")
    assert WorkOrder.objects.get(pk=open_wx.pk).resolution_due == at(12, 11)
    assert WorkOrder.objects.get(pk=open_wx.pk).first_reply_due == at(5, 10)
    assert WorkOrder.objects.get(pk=open_nj.pk).resolution_due == at(13, 11)

    day.delete()
    assert WorkOrder.objects.get(pk=open_nj.pk).resolution_due == at(12, 11)


def test_the_calendar_command_refreshes_a_year_and_refuses_one_it_cannot_know(
    tmp_path: Path,
) -> None:
    done = sqm(tmp_path, "calendar", "refresh", "--year", "2026")
    assert done.returncode == 0, done.stderr
    assert "calendar 2026: " in done.stdout and "official days off" in done.stdout
    shown = sqm(tmp_path, "calendar", "show", "--year", "2026")
    assert "2026-02-28  Sat  workday  province  春节调休上班" in shown.stdout
    missing = holidays.covered_years().stop
    refused = sqm(tmp_path, "calendar", "refresh", "--year", str(missing))
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"error: chinesecalendar {holidays.version('chinesecalendar')}"
    )
