"""Survey intake: study sheets into the `surveys` event source, through the events ingest.

The events ingest already does what intake must: validate every row, quarantine the bad ones
with their reasons, store the good ones idempotently and atomically, log the run. The
`survey-study` adaptor (sqm.events.core.adaptors.survey_study) adds what is particular to a
study sheet: one row a respondent, reversed items, too many unanswered factors.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from sqm.events.core.adaptors.survey_study import read_sheet
from sqm.events.core.ingest import IngestError, ingest_file
from sqm.events.core.store import EventStore
from sqm.org.core.reference import ReferenceCodes

IntakeError = IngestError
STUDY_FORMAT = "survey-study"


def read_table(path: Path) -> pd.DataFrame:
    """A respondents-by-indicators table from CSV or Excel, for `sqm voc pls`."""
    if not path.exists():
        raise OSError(f"no such file: {path}")
    frame = read_sheet(path)
    for column in frame.columns:
        numbers = pd.to_numeric(frame[column].replace("", None), errors="coerce")
        # A column becomes numeric only if every non-blank cell is a number.
        if numbers.notna().sum() == (frame[column] != "").sum():
            frame[column] = numbers
    return frame


def import_file(data_dir: Path, path: Path, codes: ReferenceCodes | None = None) -> dict[str, Any]:
    """Validate and store one study sheet; returns what happened to its rows. Without `codes`
    the reference codes come from the database (the CLI's case)."""
    if codes is None:
        from sqm.bootstrap import setup

        setup(data_dir)
        from sqm.org.reference import ensure_reference_loaded, load_reference_codes

        ensure_reference_loaded()
        codes = load_reference_codes()
    report = ingest_file(path, "surveys", codes, EventStore(data_dir), STUDY_FORMAT)
    return {
        "file": str(path),
        "rows": report.rows,
        "stored": report.accepted,
        "duplicates": report.duplicates,
        "quarantined": report.quarantined,
        "quarantine": str(report.quarantine_path) if report.quarantine_path else None,
        "warnings": report.warnings,
    }
