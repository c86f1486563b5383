"""`sqm assess` and `sqm accountability`, run as a user runs them, on one tiny demo month."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from sqm.demo.core.generator import generate_month
from tests.conftest import sqm

MONTH = "2026-03"


@pytest.fixture(scope="module")
def computed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny month generated and computed (the dashboards' cuts hold the ones scores read)."""
    folder = tmp_path_factory.mktemp("assess-tiny")
    generate_month(folder, scale="tiny", month=MONTH, seed=17)
    done = sqm(folder, "compute", "--period", MONTH)
    assert done.returncode == 0, done.stderr
    return folder


@pytest.fixture
def fresh_dir(computed_dir: Path, tmp_path: Path) -> Path:
    for entry in computed_dir.iterdir():
        copy = shutil.copytree if entry.is_dir() else shutil.copy2
        copy(entry, tmp_path / entry.name)
    return tmp_path


def test_assess_prints_every_unit_whose_score_is_its_points_plus_bonus_minus_penalty(
    fresh_dir: Path,
) -> None:
    done = sqm(fresh_dir, "assess", "--month", MONTH, "--json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["month"] == MONTH
    branches = [u for u in payload["units"] if u["kind"] == "branch"]
    departments = [u for u in payload["units"] if u["kind"] == "department"]
    assert len(branches) == 13 and len(departments) >= 8
    assert [u["rank"] for u in branches] == sorted(u["rank"] for u in branches)
    assert [u["score"] for u in branches] == sorted((u["score"] for u in branches), reverse=True)
    for unit in payload["units"]:
        assert unit["veto"] is None
        total = sum(i["points"] for i in unit["items"]) + unit["bonus"] - unit["penalty"]
        assert unit["score"] == pytest.approx(total, abs=1e-9)
        assert all(
            set(i) >= {"indicator", "value", "target", "weight", "points"} for i in unit["items"]
        )
    assert sum(i["weight"] for i in branches[0]["items"]) == pytest.approx(100)
    table = sqm(fresh_dir, "assess", "--month", MONTH)
    assert table.returncode == 0 and "南京" in table.stdout


def test_assess_refuses_a_bad_month_and_a_month_without_figures(fresh_dir: Path) -> None:
    bad = sqm(fresh_dir, "assess", "--month", "2026-3")
    assert bad.returncode == 2 and "YYYY-MM" in bad.stderr
    empty = sqm(fresh_dir, "assess", "--month", "2026-05", "--json")
    assert empty.returncode == 2 and "sqm compute --period 2026-05" in empty.stderr


def test_the_map_exports_and_imports_as_yaml_from_an_open_month_keeping_the_past(
    fresh_dir: Path,
) -> None:
    exported = sqm(fresh_dir, "accountability", "export", "--month", MONTH)
    assert exported.returncode == 0, exported.stderr
    document = yaml.safe_load(exported.stdout)
    assert document["accountable"]["hall_mean_wait_minutes"] == "market"
    document["accountable"]["hall_mean_wait_minutes"] = "csc"
    edited = fresh_dir / "map.yaml"
    edited.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    this_month = date.today().strftime("%Y-%m")
    done = sqm(fresh_dir, "accountability", "import", str(edited), "--effective-from", this_month)
    assert done.returncode == 0, done.stderr
    assert "1 changed" in done.stdout
    after = yaml.safe_load(sqm(fresh_dir, "accountability", "export", "--month", this_month).stdout)
    assert after["accountable"]["hall_mean_wait_minutes"] == "csc"
    # The past keeps its map (tests/assessment/test_rules.py: what an import refuses).
    assert sqm(fresh_dir, "assess", "--month", MONTH, "--json").returncode == 0
