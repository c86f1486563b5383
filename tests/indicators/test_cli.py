"""`sqm compute` and `sqm indicators` run as a user runs them: a separate process."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest
from openpyxl import load_workbook

from sqm.events.core.store import EventStore
from sqm.indicators.core import docs
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute
from sqm.indicators.results import DASHBOARD_CUTS
from tests.conftest import require, sqm

PERIOD = "2024-01"


@pytest.fixture
def data_with_events(store: EventStore, tmp_path: Path) -> Path:
    shutil.copytree(store.root, tmp_path / "events")
    return tmp_path


def _figures(
    rows: list[dict[str, object]], by: tuple[str, ...]
) -> dict[tuple[object, ...], object]:
    return {(r["indicator"], *(r[d] for d in by)): r["value"] for r in rows}


def test_compute_writes_the_engines_rows_to_parquet_with_the_documented_columns(
    data_with_events: Path, store: EventStore
) -> None:
    out = data_with_events / "out" / "branch.parquet"
    done = sqm(data_with_events, "compute", "--period", PERIOD, "--by", "branch", "--out", str(out))
    assert done.returncode == 0, done.stderr
    table = pq.read_table(out)
    assert table.column_names[:7] == [
        "indicator",
        "branch",
        "period",
        "value",
        "numerator",
        "denominator",
        "target",
    ]
    expected = compute(store, load_catalog(), PERIOD, ("branch",)).to_pylist()
    ours = [r for r in table.to_pylist() if "@" not in r["indicator"]]
    got, want = _figures(ours, ("branch",)), _figures(expected, ("branch",))
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == (None if value is None else pytest.approx(value, rel=1e-12)), key
    assert "wrote" in done.stdout


def test_compute_without_by_fills_every_dashboard_cut_and_reports_each(
    data_with_events: Path,
) -> None:
    out = data_with_events / "all.csv"
    done = sqm(data_with_events, "compute", "--period", PERIOD, "--json", "--out", str(out))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert [c["cut"] for c in summary["cuts"]] == [
        ",".join(c) or "province" for c in DASHBOARD_CUTS
    ]
    assert all(c["rows"] > 0 for c in summary["cuts"])
    table = pacsv.read_csv(out)
    assert sum(c["rows"] for c in summary["cuts"]) == table.num_rows
    assert {"cut", "indicator", "branch", "tier", "channel", "day"} <= set(table.column_names)
    again = sqm(data_with_events, "compute", "--period", PERIOD, "--by", "tier", "--json")
    assert json.loads(again.stdout)["cuts"][0]["rows"] == next(
        c["rows"] for c in summary["cuts"] if c["cut"] == "tier"
    )


def test_compute_writes_excel_that_opens_with_numbers_as_numbers(data_with_events: Path) -> None:
    out = data_with_events / "province.xlsx"
    done = sqm(data_with_events, "compute", "--period", PERIOD, "--by", "", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("indicator", "period", "value", "numerator", "denominator")
    offered = next(r for r in rows if r[0] == "hotline_offered")
    assert isinstance(offered[2], int | float) and offered[2] > 0  # a number, not text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2024-13"], "invalid period"),
        (["--period", PERIOD, "--engine", "flink"], "unknown engine"),
        (["--period", PERIOD, "--out", "x.json"], "cannot write x.json"),
        (["--period", PERIOD, "--by", "region"], "unknown dimensions"),
        (["--period", "2019-01"], "no events for 2019-01"),
    ],
)
def test_compute_errors_exit_2_with_one_line(
    data_with_events: Path, args: list[str], message: str
) -> None:
    done = sqm(data_with_events, "compute", *args)
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_indicators_lists_the_catalog_and_regenerates_the_reference(tmp_path: Path) -> None:
    listed = sqm(tmp_path, "indicators")
    assert listed.returncode == 0, listed.stderr
    assert f"{len(load_catalog().indicators)} indicators" in listed.stdout
    assert "hotline_service_level_15s" in listed.stdout
    target = tmp_path / "indicators.md"
    written = sqm(tmp_path, "indicators", "--docs", "--docs-path", str(target))
    assert written.returncode == 0, written.stderr
    assert target.read_text(encoding="utf-8") == docs.render(load_catalog())


@pytest.mark.spark
def test_compute_on_spark_gives_the_duckdb_figures(data_with_events: Path) -> None:
    from sqm.indicators.core.backends import spark_available

    available, reason = spark_available()
    require(available, reason)
    duck, spark = data_with_events / "duck.parquet", data_with_events / "spark.parquet"
    for engine, out in (("duckdb", duck), ("spark", spark)):
        done = sqm(
            data_with_events,
            "compute",
            "--period",
            PERIOD,
            "--by",
            "tier",
            "--engine",
            engine,
            "--out",
            str(out),
        )
        assert done.returncode == 0, done.stderr
    got = _figures(pq.read_table(spark).to_pylist(), ("tier",))
    want = _figures(pq.read_table(duck).to_pylist(), ("tier",))
    assert got.keys() == want.keys() and len(got) > 50
    for key, value in want.items():
        assert got[key] == (None if value is None else pytest.approx(value, rel=1e-9)), key
