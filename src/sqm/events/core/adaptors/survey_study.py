"""A satisfaction-study answer sheet (CSV or Excel, one row a respondent) as `surveys` rows.

Layout, one header row: ``respondent_id, at, operator, branch`` (required), ``tier,
customer_id, kind`` (optional; kind defaults to ``study``), ``overall`` and, per factor code
(sqm.org.core.factors), the perception column ``<code>`` and the expectation column
``exp_<code>``. A column named with the suffix ``_r`` (``price_level_r``, ``exp_price_level_r``)
was asked reversed (10 = worst) and is recoded as 11 - answer.

Each respondent becomes one row per answered factor; the response id is the respondent id
followed by the factor's two-digit position, so the study reader can put respondents back
together. Rows of a respondent who left more than half of the factors unanswered, or who has no
respondent id, are quarantined with the reason; answers off the 1-10 scale, unknown branches
and the like are caught by the ordinary `surveys` validation.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from sqm.events.core.adaptors import AdaptedBatch, Adaptor, AdaptorError
from sqm.org.core.factors import FACTORS
from sqm.org.core.reference import ReferenceCodes

REQUIRED = ("respondent_id", "at", "operator", "branch")
REVERSED_SUFFIX = "_r"
EXPECTATION_PREFIX = "exp_"
SCALE = (1.0, 10.0)
MAX_UNANSWERED_SHARE = 0.5


def read_sheet(path: Path) -> pd.DataFrame:
    """Every cell as text (so nothing is silently coerced); Excel through openpyxl."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return pd.read_excel(path, dtype=str, engine="openpyxl").fillna("")
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (ValueError, UnicodeDecodeError, KeyError) as error:
        raise AdaptorError(f"cannot read {path.name} as a study sheet: {error}") from None


def _answers(sheet: pd.DataFrame, column: str, problems: list[list[str]]) -> np.ndarray:
    """The column's answers as floats (NaN if blank), reversed items recoded."""
    low, high = SCALE
    for name, reversed_item in ((column, False), (column + REVERSED_SUFFIX, True)):
        if name in sheet.columns:
            text = sheet[name].astype(str).str.strip()
            values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
            for row in np.flatnonzero(np.isnan(values) & (text != "").to_numpy()):
                problems[row].append(f"{name}: not a number ({text.iloc[row]!r})")
            return low + high - values if reversed_item else values
    return np.full(len(sheet), np.nan)


def map_sheet(sheet: pd.DataFrame, first_row: int = 1) -> AdaptedBatch:
    missing = [c for c in REQUIRED if c not in sheet.columns]
    if missing:
        raise AdaptorError(f"the study sheet lacks column(s) {', '.join(missing)}")
    n = len(sheet)
    problems: list[list[str]] = [[] for _ in range(n)]
    perception = np.column_stack([_answers(sheet, f.code, problems) for f in FACTORS])
    expectation = np.column_stack(
        [_answers(sheet, EXPECTATION_PREFIX + f.code, problems) for f in FACTORS]
    )
    overall = _answers(sheet, "overall", problems)
    unanswered = np.isnan(perception).sum(axis=1)
    respondent = sheet["respondent_id"].astype(str).str.strip().to_numpy()
    for row in range(n):
        if not respondent[row]:
            problems[row].append("respondent_id: missing")
        if unanswered[row] > MAX_UNANSWERED_SHARE * len(FACTORS):
            problems[row].append(f"{unanswered[row]} of {len(FACTORS)} factors unanswered")
        if np.isnan(overall[row]):
            problems[row].append("overall: missing")
    answered = ~np.isnan(perception) | ~np.isnan(expectation)
    # Respondents refused as a whole still leave one row behind, so their reason is kept.
    answered[np.array([bool(p) for p in problems]) & ~answered.any(axis=1), 0] = True
    rows, factor = np.nonzero(answered)

    def text(column: str, default: str | None = None) -> list[str | None]:
        if column not in sheet.columns:
            return [default] * len(rows)
        values = sheet[column].astype(str).str.strip().to_numpy()
        return [str(values[r]) or default for r in rows]

    def numbers(values: np.ndarray) -> pa.Array:
        return pa.array(values, pa.float64(), mask=np.isnan(values))

    at = pd.to_datetime(pd.Series(text("at")), errors="coerce")
    at_ms = at.to_numpy(dtype="datetime64[ms]")
    table = pa.table(
        {
            "response_id": pa.array(
                [f"{respondent[r]}{k:02d}" for r, k in zip(rows, factor, strict=True)], pa.string()
            ),
            "kind": pa.array(text("kind", "study"), pa.string()),
            "at": pa.array(at_ms, pa.timestamp("ms"), mask=at.isna().to_numpy()),
            "customer_id": pa.array(text("customer_id"), pa.string()),
            "branch": pa.array(text("branch"), pa.string()),
            "tier": pa.array(text("tier"), pa.string()),
            "operator": pa.array(text("operator"), pa.string()),
            "factor": pa.array([FACTORS[k].code for k in factor], pa.string()),
            "expectation": numbers(expectation[rows, factor]),
            "perception": numbers(perception[rows, factor]),
            "overall": numbers(overall[rows]),
        }
    )
    bad_time = at.isna().to_numpy()
    reasons = [
        "; ".join(problems[r] + (["at: not a date and time"] if bad_time[i] else [])) or None
        for i, r in enumerate(rows)
    ]
    originals = pa.Table.from_pandas(sheet.iloc[rows].astype(str), preserve_index=False)
    return AdaptedBatch(table, first_row, originals, pa.array(reasons, pa.string()))


def read(path: Path, codes: ReferenceCodes, options: Mapping[str, str]) -> Iterator[AdaptedBatch]:
    yield map_sheet(read_sheet(path))


ADAPTOR = Adaptor(
    name="survey-study",
    source="surveys",
    options=(),
    read=read,
    description="satisfaction-study sheet (CSV/Excel), one row a respondent, 19 factors",
)
