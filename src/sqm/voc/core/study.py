"""The satisfaction study as one row per respondent, read from the `surveys` event source.

The store keeps one row per (respondent, factor); a respondent's rows share the response id
but for its last two digits, the factor's position (the generator and the intake both write
ids that way). This module pivots them to wide: the 19 factors' perceptions (columns named by
factor code), their expectations (`exp_<code>`), overall satisfaction, and who answered.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pandas as pd

from sqm.events.core.store import EventStore
from sqm.org.core.factors import FACTORS

FACTOR_CODES: tuple[str, ...] = tuple(f.code for f in FACTORS)
EXPECTATION_PREFIX = "exp_"
FACTOR_DIGITS = 2  # the response id's suffix that numbers the factor within a respondent


@dataclass(frozen=True)
class StudyFilter:
    operators: frozenset[str] | None = None
    branches: frozenset[str] | None = None  # None = every branch (the caller's scope decides)
    tiers: frozenset[str] | None = None
    months: frozenset[str] | None = None  # "YYYY-MM"


def _in_list(column: str, values: Iterable[str] | None, params: list[object]) -> str:
    if values is None:
        return "TRUE"
    chosen = sorted(values)
    if not chosen:
        return "FALSE"
    params.extend(chosen)
    return f"{column} IN ({', '.join('?' for _ in chosen)})"


def read_study(store: EventStore, where: StudyFilter | None = None) -> pd.DataFrame:
    """Wide study table: respondent, operator, branch, tier, month, overall, factor columns."""
    columns = ["respondent", "operator", "branch", "tier", "month", "overall"]
    wide_columns = columns + list(FACTOR_CODES) + [EXPECTATION_PREFIX + c for c in FACTOR_CODES]
    if not store.has_data("surveys"):
        return pd.DataFrame(columns=wide_columns)
    where = where or StudyFilter()
    params: list[object] = []
    conditions = " AND ".join(
        [
            "kind = 'study'",
            _in_list("operator", where.operators, params),
            _in_list("branch", where.branches, params),
            _in_list("tier", where.tiers, params),
            _in_list("strftime(\"at\", '%Y-%m')", where.months, params),
        ]
    )
    files = [str(f) for f in store.files("surveys")]
    query = f"""
        SELECT left(response_id, length(response_id) - {FACTOR_DIGITS}) AS respondent,
               any_value(operator) AS operator, any_value(branch) AS branch,
               any_value(tier) AS tier, strftime(min("at"), '%Y-%m') AS month,
               avg(overall) AS overall,
               {
        ", ".join(f"max(perception) FILTER (WHERE factor = '{c}') AS {c}" for c in FACTOR_CODES)
    },
               {
        ", ".join(
            f"max(expectation) FILTER (WHERE factor = '{c}') AS {EXPECTATION_PREFIX}{c}"
            for c in FACTOR_CODES
        )
    }
        FROM read_parquet(?, union_by_name = true)
        WHERE {conditions}
        GROUP BY 1
        ORDER BY 1
    """
    with duckdb.connect() as connection:
        frame: pd.DataFrame = connection.execute(query, [files, *params]).df()
    return frame[wide_columns]


def months_in_store(store: EventStore) -> list[str]:
    return sorted({day.strftime("%Y-%m") for day in store.days("surveys")})
