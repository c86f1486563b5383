"""A week's roster from a hotline plan: the weekly requirement folded by weekday, shift
texts, and rosters whose coverage is recounted from the agents' shifts in the test."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from sqm.planning.core import hotline, roster, schedule

WEDNESDAY = date(2026, 12, 2)
MONDAY = date(2026, 12, 7)


def fake_plan(first: date, scheduled: np.ndarray, step: int = 30) -> hotline.Payload:
    """A hotline payload with only what a roster reads: days × intervals scheduled agents."""
    days, per_day = scheduled.shape
    assert per_day == 1440 // step
    starts = pd.date_range(pd.Timestamp(first), periods=days * per_day, freq=f"{step}min")
    return {
        "kind": "hotline",
        "first_day": first.isoformat(),
        "days": days,
        "interval_minutes": step,
        "intervals": {
            "start": [s.isoformat(timespec="minutes") for s in starts],
            "scheduled": scheduled.reshape(-1).astype(int).tolist(),
        },
    }


def minutes(clock: str) -> int:
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def recount_coverage(result: hotline.Payload) -> np.ndarray:
    """Agents on duty per weekday and interval, from the agents' shifts alone (a shift that
    runs past Sunday midnight covers Monday morning: the roster repeats every week)."""
    step = result["interval_minutes"]
    per_day = 1440 // step
    shifts = {s["name"]: s for s in result["shifts"]}
    week = np.zeros(7 * per_day, dtype=np.int64)
    for row in result["agents"]:
        for day, name in enumerate(row):
            if not name:
                continue
            first = day * per_day + minutes(shifts[name]["start"]) // step
            span = round(shifts[name]["hours"] * 60) // step
            week[(first + np.arange(span)) % week.size] += 1
    return week.reshape(7, per_day)


def check_roster(result: hotline.Payload, min_rest_hours: float = 11.0) -> None:
    """Coverage, uncovered intervals, shift counts, cost and rest rules agree."""
    need = np.asarray(result["requirement"])
    coverage = np.asarray(result["coverage"])
    np.testing.assert_array_equal(coverage, recount_coverage(result))
    uncovered = {
        (u["day"], minutes(u["start"]) // result["interval_minutes"]): u["short"]
        for u in result["uncovered"]
    }
    for (day, slot), want in np.ndenumerate(need):
        if (day, slot) in uncovered:
            assert uncovered[(day, slot)] == want - coverage[day, slot] > 0
        else:
            assert coverage[day, slot] >= want, (day, slot)
    assert result["summary"]["short_agent_intervals"] == sum(uncovered.values())
    table = result["agents"]
    for day in range(7):
        working = sum(1 for row in table if row[day])
        assert sum(counts[day] for counts in result["shifts_per_day"].values()) == working
    total = sum(sum(counts) for counts in result["shifts_per_day"].values())
    assert result["summary"]["shifts"] == total == sum(1 for row in table for s in row if s)
    cost = {s["name"]: s["cost"] for s in result["shifts"]}
    assert result["shift_cost"] == sum(
        cost[name] * sum(counts) for name, counts in result["shifts_per_day"].items()
    )
    assert all(any(row) for row in table) and len(table) <= result["roster_size"]
    shifts = {s["name"]: s for s in result["shifts"]}
    for row in table:
        assert sum(1 for s in row if not s) >= result["rules"]["min_days_off"]
        for day in range(7):
            today, tomorrow = row[day], row[(day + 1) % 7]
            if today and tomorrow:
                ends = minutes(shifts[today]["start"]) + shifts[today]["hours"] * 60
                rest = 1440 + minutes(shifts[tomorrow]["start"]) - ends
                assert rest >= min_rest_hours * 60, row


# -- the weekly requirement ------------------------------------------------------------------


def test_the_weekly_requirement_keeps_each_weekdays_largest_need() -> None:
    rng = np.random.default_rng(5)
    scheduled = rng.integers(0, 10, size=(14, 48))
    week = roster.weekly_requirement(fake_plan(WEDNESDAY, scheduled))
    assert week.shape == (7, 48)
    # 2 December 2026 is a Wednesday: day 5 of the plan (7 December) is the first Monday.
    np.testing.assert_array_equal(week[0], np.maximum(scheduled[5], scheduled[12]))
    np.testing.assert_array_equal(week[2], np.maximum(scheduled[0], scheduled[7]))
    np.testing.assert_array_equal(week[6], np.maximum(scheduled[4], scheduled[11]))
    for offset in range(14):
        weekday = (WEDNESDAY + timedelta(days=offset)).weekday()
        assert (week[weekday] >= scheduled[offset]).all()


def test_the_weekly_requirement_follows_the_plans_interval_length() -> None:
    scheduled = np.zeros((7, 96), dtype=np.int64)
    scheduled[0, 33] = 4  # Monday 08:15
    week = roster.weekly_requirement(fake_plan(MONDAY, scheduled, step=15))
    assert week.shape == (7, 96)
    assert week[0, 33] == 4 and week.sum() == 4


def test_the_weekly_requirement_of_a_real_plan_is_its_scheduled_agents_by_weekday(
    week_plan: hotline.Payload,
) -> None:
    week = roster.weekly_requirement(week_plan)
    scheduled = np.asarray(week_plan["intervals"]["scheduled"]).reshape(7, 48)
    first = date.fromisoformat(week_plan["first_day"])
    for offset in range(7):
        weekday = (first + timedelta(days=offset)).weekday()
        np.testing.assert_array_equal(week[weekday], scheduled[offset])


def test_a_roster_is_built_from_a_hotline_plan_only() -> None:
    with pytest.raises(schedule.ScheduleError, match="hotline plan"):
        roster.weekly_requirement({"kind": "halls"})


# -- shift texts ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("night=22:00+9@160", schedule.ShiftType("night", 22 * 60, 9 * 60, 160)),
        ("early=07:30+4.5@60", schedule.ShiftType("early", 7 * 60 + 30, 270, 60)),
        (" day =08:00+8@100", schedule.ShiftType("day", 8 * 60, 8 * 60, 100)),
    ],
)
def test_a_shift_text_gives_name_start_length_and_cost(
    text: str, expected: schedule.ShiftType
) -> None:
    assert roster.parse_shift(text) == expected


@pytest.mark.parametrize(
    "text",
    ["night", "night=22:00", "night=22:00+9", "night=22+9@160", "night=22:00+nine@160",
     "night=22:00+9@high", "night 22:00+9@160"],
)  # fmt: skip
def test_a_bad_shift_text_is_refused_with_the_form_to_write(text: str) -> None:
    with pytest.raises(schedule.ScheduleError) as refused:
        roster.parse_shift(text)
    assert repr(text) in str(refused.value)
    assert "name=HH:MM+hours@cost" in str(refused.value)


# -- solving ----------------------------------------------------------------------------------


def test_a_small_roster_covers_the_need_except_the_intervals_it_reports() -> None:
    """Round the clock one agent, weekdays 09:00–17:00 two more: five agents cannot do it
    all (about 31 shifts for 25 agent-days), so some intervals must be reported short."""
    need = np.ones((7, 48), dtype=np.int64)
    need[:5, 18:34] += 2
    result = roster.roster_week(fake_plan(MONDAY, need), agents=5, time_limit_s=1)
    assert result["kind"] == "schedule" and result["roster_size"] == 5
    np.testing.assert_array_equal(result["requirement"], need)
    check_roster(result)
    assert result["uncovered"], "five agents should not cover this week"


def test_a_roster_with_enough_agents_leaves_nothing_uncovered() -> None:
    need = np.zeros((7, 48), dtype=np.int64)
    need[:, 18:34] = 2  # 09:00–17:00 every day
    result = roster.roster_week(fake_plan(MONDAY, need), agents=6, time_limit_s=5)
    check_roster(result)
    assert result["uncovered"] == [] and result["summary"]["short_agent_intervals"] == 0
    # Two per day for seven days is 14 shifts, the fewest that can do.
    assert result["summary"]["shifts"] == 14


def test_a_night_shift_crossing_midnight_covers_the_next_days_early_hours() -> None:
    need = np.zeros((7, 48), dtype=np.int64)
    need[1, :12] = 1  # Tuesday 00:00–06:00
    night = roster.parse_shift("night=22:00+9@100")
    result = roster.roster_week(fake_plan(MONDAY, need), shifts=(night,), agents=1)
    check_roster(result)
    assert result["uncovered"] == []
    assert result["agents"] == [["night", "", "", "", "", "", ""]]  # Monday's night
    assert np.asarray(result["coverage"])[1, :14].tolist() == [1] * 14  # to 07:00


def test_sundays_night_shift_covers_monday_morning_as_the_week_repeats() -> None:
    need = np.zeros((7, 48), dtype=np.int64)
    need[0, 2:8] = 1  # Monday 01:00–04:00
    night = roster.parse_shift("night=22:00+9@100")
    result = roster.roster_week(fake_plan(MONDAY, need), shifts=(night,), agents=1)
    check_roster(result)
    assert result["uncovered"] == []
    assert result["agents"] == [["", "", "", "", "", "", "night"]]


def test_the_roster_of_the_tiny_months_plan_keeps_coverage_and_rest_rules(
    week_plan: hotline.Payload,
) -> None:
    result = roster.roster_week(week_plan, time_limit_s=10)
    check_roster(result)
    need = roster.weekly_requirement(week_plan)
    assert result["roster_size"] >= need.max()
    assert result["hotline_plan"] == {"first_day": week_plan["first_day"], "days": 7}
