"""Study sheets go through the events ingest: validated, quarantined with reasons, idempotent."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.csv as pcsv
import pytest

from sqm.events.core.store import EventStore
from sqm.org.core.factors import FACTORS
from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes
from sqm.voc.core.study import read_study
from sqm.voc.intake import import_file

CODES = ReferenceCodes.from_province(PROVINCE)


def _sheet(respondents: int = 6, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for r in range(respondents):
        row: dict[str, object] = {
            "respondent_id": f"R{r:05d}",
            "at": "2026-09-14 10:00:00",
            "operator": "us",
            "branch": "NJ",
            "tier": "ordinary",
            "overall": 8,
        }
        for f in FACTORS:
            row[f.code] = int(rng.integers(5, 11))
            row[f"exp_{f.code}"] = 9
        rows.append(row)
    return pd.DataFrame(rows)


def test_a_clean_sheet_is_stored_and_reads_back_as_respondents(tmp_path: Path) -> None:
    sheet = _sheet()
    path = tmp_path / "study.csv"
    sheet.to_csv(path, index=False)
    report = import_file(tmp_path, path, CODES)
    assert report["stored"] == 6 * 19 and report["quarantined"] == 0
    study = read_study(EventStore(tmp_path))
    assert list(study["respondent"]) == list(sheet["respondent_id"])
    assert study["coverage"].tolist() == sheet["coverage"].astype(float).tolist()
    again = import_file(tmp_path, path, CODES)
    assert again["stored"] == 0 and again["duplicates"] == 6 * 19


def test_reversed_items_are_recoded_and_excel_is_read(tmp_path: Path) -> None:
    sheet = _sheet(2).rename(columns={"price_level": "price_level_r"})
    sheet.loc[0, "price_level_r"] = 3  # asked reversed: 3 of 10 worst means 8
    path = tmp_path / "study.xlsx"
    sheet.to_excel(path, index=False)
    import_file(tmp_path, path, CODES)
    study = read_study(EventStore(tmp_path)).set_index("respondent")
    assert study.loc["R00000", "price_level"] == 8.0


def test_bad_respondents_are_quarantined_with_their_reason(tmp_path: Path) -> None:
    sheet = _sheet(4).astype(object)
    sheet.loc[1, [f.code for f in FACTORS[:12]]] = ""  # 12 of 19 unanswered
    sheet.loc[2, "coverage"] = 13  # off the 1-10 scale: only this answer is refused
    sheet.loc[3, "branch"] = "XX"
    path = tmp_path / "study.csv"
    sheet.to_csv(path, index=False)
    report = import_file(tmp_path, path, CODES)
    quarantine = pcsv.read_csv(report["quarantine"]).to_pandas()
    reasons = " | ".join(quarantine["_reason"].astype(str))
    assert "12 of 19 factors unanswered" in reasons
    assert "XX" in reasons
    assert "perception" in reasons
    study = read_study(EventStore(tmp_path)).set_index("respondent")
    assert "R00001" not in study.index and "R00003" not in study.index
    assert np.isnan(study.loc["R00002", "coverage"])
    assert study.loc["R00002", "voice_quality"] == sheet.loc[2, "voice_quality"]
    assert report["stored"] + report["quarantined"] == report["rows"]


def test_a_sheet_without_required_columns_stores_nothing(tmp_path: Path) -> None:
    path = tmp_path / "study.csv"
    _sheet(2).drop(columns=["branch"]).to_csv(path, index=False)
    with pytest.raises(ValueError, match="branch"):
        import_file(tmp_path, path, CODES)
    assert not EventStore(tmp_path).has_data("surveys")
