"""`sqm voc pls | drivers | report | import` as a user runs them (real subprocesses)."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from sqm.voc.core.model import shipped_model
from sqm.voc.core.pls import estimate
from tests.conftest import dataset, sqm
from tests.voc.conftest import STRONG_DRIVERS, matrix, synthetic_study


def test_pls_json_matches_the_estimator_on_mobi(tmp_path: Path, mobi) -> None:  # type: ignore[no-untyped-def]
    data = dataset("ecsi_mobi/mobi.csv")
    run = sqm(
        tmp_path,
        "voc",
        "pls",
        "--data",
        str(data),
        "--model",
        "ecsi_mobi",
        "--scheme",
        "factorial",
        "--bootstrap",
        "20",
        "--json",
    )
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout)
    model = shipped_model("ecsi_mobi")
    fit = estimate(model, matrix(mobi, model.columns), "factorial")
    assert {(p["from"], p["to"]): p["value"] for p in out["paths"]} == pytest.approx(fit.paths)
    assert out["r_squared"] == pytest.approx(fit.r_squared)
    assert set(out["indices"]) == set(model.blocks) and out["respondents"] == 250
    assert out["bootstrap"]["resamples"] == 20
    assert "Quality->Satisfaction" in out["bootstrap"]["paths"]


def test_pls_refuses_negative_weights_and_unknown_columns_clearly(tmp_path: Path) -> None:
    data = dataset("ecsi_mobi/mobi.csv")
    reversed_data = tmp_path / "reversed.csv"
    text = data.read_text().splitlines()
    # CUSA1 reversed on its 1-10 scale makes its weight negative in a Mode A block.
    header = text[0].split(",")
    k = header.index('"CUSA1"')
    rows = [
        ",".join(str(11 - int(v)) if i == k else v for i, v in enumerate(line.split(",")))
        for line in text[1:]
    ]
    reversed_data.write_text("\n".join([text[0], *rows]) + "\n")
    run = sqm(tmp_path, "voc", "pls", "--data", str(reversed_data), "--model", "ecsi_mobi")
    assert run.returncode == 2 and "CUSA1" in run.stderr and "negative" in run.stderr
    model = tmp_path / "model.yaml"
    model.write_text("blocks: {A: [NOPE1, NOPE2], B: [CUSA1]}\npaths: [[A, B]]\n")
    run = sqm(tmp_path, "voc", "pls", "--data", str(data), "--model", str(model))
    assert run.returncode == 2 and "NOPE1" in run.stderr


def test_import_drivers_and_report_on_a_study(tmp_path: Path) -> None:
    sheet = tmp_path / "study.csv"
    synthetic_study().to_csv(sheet, index=False)
    run = sqm(tmp_path, "voc", "import", str(sheet), "--json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)[0]["quarantined"] == 0
    run = sqm(tmp_path, "voc", "drivers", "--method", "shapley", "--json")
    assert run.returncode == 0, run.stderr
    factors = json.loads(run.stdout)["factors"]
    assert factors[0]["factor"] in STRONG_DRIVERS
    run = sqm(tmp_path, "voc", "drivers", "--by", "branch", "--json")
    assert set(json.loads(run.stdout)) == {"NJ", "WX"}
    excel = tmp_path / "report.xlsx"
    run = sqm(tmp_path, "voc", "report", "--month", "2026-09", "--excel", str(excel), "--json")
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["months"] == ["2026-09"]
    assert [t["period"] for t in report["competitors"]["trend"]] == ["2026-09"]
    book = openpyxl.load_workbook(excel)
    assert book.sheetnames == ["index", "drivers", "gaps", "competitors", "trend", "provider_gaps"]
    assert book["drivers"].max_row == 20
