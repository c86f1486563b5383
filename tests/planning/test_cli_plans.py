"""`sqm plan hotline | schedule | halls | billing-cycles` and `sqm simulate hotline`, run in
process on the tiny month. The commands start Django through ``sqm.bootstrap.setup`` (which
migrates the test database: a no-op) and read the event store of ``settings.DATA_DIR``,
which the test points at the generated month; saved plans land in the test database, so
these tests run on SQLite and again on PostgreSQL."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner, Result

from sqm.cli import app
from tests.planning.conftest import Month

ONE_DAY = "2026-12-01..2026-12-01"


@pytest.fixture
def month_dir(month: Month, settings: Any, db: None) -> Iterator[Path]:
    """The generated month as the data dir; ``--data-dir`` also sets SQM_DATA_DIR, put back."""
    settings.DATA_DIR = month.data_dir
    old = os.environ.get("SQM_DATA_DIR")
    yield month.data_dir
    if old is None:
        os.environ.pop("SQM_DATA_DIR", None)
    else:
        os.environ["SQM_DATA_DIR"] = old


def sqm(month_dir: Path, *args: str) -> Result:
    return CliRunner().invoke(app, [*args, "--data-dir", str(month_dir)])


def sqm_json(month_dir: Path, *args: str) -> dict[str, Any]:
    result = sqm(month_dir, *args, "--json")
    assert result.exit_code == 0, result.output
    payload: dict[str, Any] = json.loads(result.stdout)
    return payload


def test_a_hotline_plan_has_48_half_hours_per_day_of_its_period(month_dir: Path) -> None:
    payload = sqm_json(month_dir, "plan", "hotline", "--period", "2026-12-01..2026-12-03")
    assert payload["kind"] == "hotline" and payload["days"] == 3
    assert payload["history"]["last"] == "2026-11-30"
    for column in payload["intervals"].values():
        assert len(column) == 3 * 48
    assert "plan_id" not in payload


def test_the_hotline_command_passes_its_targets_on(month_dir: Path) -> None:
    payload = sqm_json(
        month_dir, "plan", "hotline", "--period", ONE_DAY, "--vip-target", "90",
        "--shrinkage", "0.25", "--interval-minutes", "15", "--patience-seconds", "120",
    )  # fmt: skip
    assert payload["targets"]["vip_target"] == 0.9  # 90 is read as a percentage
    assert payload["targets"]["shrinkage"] == 0.25
    assert payload["patience_s"] == 120.0
    assert len(payload["intervals"]["start"]) == 96


def test_saving_a_hotline_plan_stores_it_under_its_name(month_dir: Path) -> None:
    from sqm.planning.models import Plan

    result = sqm(month_dir, "plan", "hotline", "--period", ONE_DAY, "--save", "十二月一日")
    assert result.exit_code == 0, result.output
    plan = Plan.objects.get()
    assert (plan.name, plan.kind, plan.branch) == ("十二月一日", "hotline", None)
    assert f"hotline plan #{plan.pk}" in result.stdout
    assert plan.parameters == {"period": ONE_DAY, "interval_minutes": 30, "weeks": 8}
    assert len(plan.payload["intervals"]["agents"]) == 48
    assert plan.summary["peak_agents"] == max(plan.payload["intervals"]["agents"])
    assert "forecast WAPE on 2026-11-24..2026-11-30" in result.stdout


def test_simulating_a_saved_plan_records_the_result_on_it(month_dir: Path) -> None:
    from sqm.planning.models import Plan

    saved = sqm(month_dir, "plan", "hotline", "--period", ONE_DAY, "--save", "checked")
    assert saved.exit_code == 0, saved.output
    plan = Plan.objects.get()
    result = sqm_json(month_dir, "simulate", "hotline", "--plan", str(plan.pk), "--runs", "3")
    plan.refresh_from_db()
    assert plan.simulation == result
    assert result["kind"] == "simulation" and result["runs"] == 3
    offered = sum(plan.payload["intervals"]["vip_calls"]) + sum(
        plan.payload["intervals"]["ordinary_calls"]
    )
    assert result["calls"] == pytest.approx(3 * offered, abs=5 * np.sqrt(3 * offered))


def test_simulating_prints_what_callers_live_through_beside_the_promise(month_dir: Path) -> None:
    saved = sqm(month_dir, "plan", "hotline", "--period", ONE_DAY, "--save", "shown")
    assert saved.exit_code == 0, saved.output
    from sqm.planning.models import Plan

    result = sqm(month_dir, "simulate", "hotline", "--plan", str(Plan.objects.get().pk))
    assert result.exit_code == 0, result.output
    assert "vip service level" in result.stdout and "promised" in result.stdout


def test_a_schedule_is_built_from_a_plan_file_written_with_output(
    month_dir: Path, tmp_path: Path
) -> None:
    from sqm.planning.models import Plan

    written = tmp_path / "hotline.json"
    made = sqm(month_dir, "plan", "hotline", "--period", "2026-12-01..2026-12-07",
               "--output", str(written))  # fmt: skip
    assert made.exit_code == 0, made.output
    hotline_plan = json.loads(written.read_text(encoding="utf-8"))
    roster = sqm_json(month_dir, "plan", "schedule", "--plan", str(written), "--time-limit", "2")
    assert roster["kind"] == "schedule"
    assert roster["hotline_plan"] == {"first_day": "2026-12-01", "days": 7}
    starts = pd.DatetimeIndex(hotline_plan["intervals"]["start"])
    scheduled = np.asarray(hotline_plan["intervals"]["scheduled"]).reshape(7, 48)
    requirement = np.asarray(roster["requirement"])
    for day in range(7):
        assert requirement[starts[day * 48].day_of_week].tolist() == scheduled[day].tolist()
    coverage = np.asarray(roster["coverage"])
    short = sum(u["short"] for u in roster["uncovered"])
    assert np.maximum(requirement - coverage, 0).sum() == short
    assert not Plan.objects.exists()


def test_a_saved_schedule_is_based_on_the_saved_hotline_plan(month_dir: Path) -> None:
    from sqm.planning.models import Plan

    made = sqm(month_dir, "plan", "hotline", "--period", ONE_DAY, "--save", "day one")
    assert made.exit_code == 0, made.output
    hotline_plan = Plan.objects.get()
    result = sqm(month_dir, "plan", "schedule", "--plan", str(hotline_plan.pk), "--save", "roster",
                 "--shift", "day=08:00+8@100", "--shift", "night=20:00+12@150")  # fmt: skip
    assert result.exit_code == 0, result.output
    roster = Plan.objects.get(kind="schedule")
    assert roster.based_on == hotline_plan
    assert [s["name"] for s in roster.payload["shifts"]] == ["day", "night"]


def test_a_bad_period_exits_2_with_the_forms_and_saves_nothing(month_dir: Path) -> None:
    from sqm.planning.models import Plan

    result = sqm(month_dir, "plan", "hotline", "--period", "soon", "--save", "never")
    assert result.exit_code == 2
    assert "error: period 'soon'" in result.stderr
    assert "YYYY-MM-DD..YYYY-MM-DD" in result.stderr
    assert result.stdout == ""
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("plan", "hotline", "--period", ONE_DAY, "--vip-target", "150"), "--vip-target"),
        (("plan", "hotline", "--period", ONE_DAY, "--shrinkage", "1"), "shrinkage"),
        (("simulate", "hotline", "--plan", "999999"), "no saved plan #999999"),
        (("simulate", "hotline", "--plan", "missing.json"), "neither a saved plan"),
        (("plan", "billing-cycles", "--bill-days", "1,x"), "--bill-days"),
    ],
)
def test_bad_options_exit_2_with_a_clear_message(
    month_dir: Path, args: tuple[str, ...], message: str
) -> None:
    result = sqm(month_dir, *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr


def test_a_bad_shift_text_exits_2_naming_the_form(month_dir: Path) -> None:
    made = sqm(month_dir, "plan", "hotline", "--period", ONE_DAY, "--save", "day one")
    assert made.exit_code == 0, made.output
    from sqm.planning.models import Plan

    result = sqm(month_dir, "plan", "schedule", "--plan", str(Plan.objects.get().pk),
                 "--shift", "night")  # fmt: skip
    assert result.exit_code == 2
    assert "name=HH:MM+hours@cost" in result.stderr


def test_simulating_a_plan_that_is_not_a_hotline_plan_exits_2(
    month_dir: Path, tmp_path: Path
) -> None:
    halls = tmp_path / "halls.json"
    halls.write_text(json.dumps({"kind": "halls"}), encoding="utf-8")
    result = sqm(month_dir, "simulate", "hotline", "--plan", str(halls))
    assert result.exit_code == 2
    assert "needs a hotline plan" in result.stderr
    not_a_plan = tmp_path / "list.json"
    not_a_plan.write_text("[1, 2]", encoding="utf-8")
    result = sqm(month_dir, "simulate", "hotline", "--plan", str(not_a_plan))
    assert result.exit_code == 2 and "is not a plan" in result.stderr


def test_the_halls_command_plans_every_active_hall_in_the_store(
    month_dir: Path, month: Month
) -> None:
    result = sqm(month_dir, "plan", "halls", "--period", ONE_DAY)
    assert result.exit_code == 0, result.output
    halls = month.frame("hall_visits")["hall_id"].nunique()
    lines = result.stdout.splitlines()
    assert lines[0] == "halls plan"
    assert any(line.split() == ["halls", str(halls)] for line in lines)
    assert any("residential" in line and "workday" in line for line in lines)


def test_the_billing_cycles_command_prints_a_billing_plan(
    month_dir: Path, customers_frame: pd.DataFrame
) -> None:
    payload = sqm_json(
        month_dir, "plan", "billing-cycles", "--bill-days", "1,11,21", "--cycles", "3"
    )
    assert payload["kind"] == "billing" and payload["bill_days"] == [1, 11, 21]
    latest = customers_frame[customers_frame["snapshot_at"] == customers_frame["snapshot_at"].max()]
    assert sum(s["customers"] for s in payload["segments"]) == int(
        (latest["status"] == "active").sum()
    )
    assert payload["summary"]["peak_after"] <= payload["summary"]["peak_before"]
