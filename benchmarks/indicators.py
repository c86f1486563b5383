"""Benchmark: the hotline indicators of one month, four ways, on the same Parquet files.

    python benchmarks/indicators.py --events 1M --events 20M [--skip-pandas-above 25M]
        [--repeat 2] [--extrapolate 305M] [--demo province]

For each N it writes N call events (vectorised NumPy → Parquet, the event store's layout:
``events/calls/day=YYYY-MM-DD/part-0.parquet``, the ``calls`` schema, zstd), then runs, each in
its own fresh Python process:

    (a)  SQM's engine: the 20 hotline indicators (``compute(..., by=["branch"])``), and again
         with every indicator of the calls source (23)
    (b)  one hand-written single-pass DuckDB SQL statement for the same 20 indicators
    (c)  a straightforward pandas implementation
    (d)  a straightforward Polars implementation (lazy, default engine)

Time is the computation inside the process (reading Parquet to the final figures; imports and
interpreter start excluded), wall clock and CPU (all threads). Peak memory is the child's
maximum resident set size (``os.wait4`` → ``ru_maxrss``: everything the process ever held,
libraries included). All four must give the same figures (value, numerator, denominator per
indicator and branch; floats to 1e-9 relative) or the run fails. ``--repeat R`` runs each R
times in turn and keeps the best wall time. ``--extrapolate`` fits the measured growth of the
two largest N to a larger one and prints it as an extrapolation. ``--demo SCALE`` generates a
whole demo month (every source; ``province`` is a real province-month, ~306M events) and
times SQM's full catalog on it. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

MONTH = "2026-10"
START = datetime(2026, 10, 1)
END = datetime(2026, 11, 1)
LOOKAHEAD = timedelta(hours=48)  # the calls model's window lookahead (first-contact resolution)
BY = "branch"
SEED = 2026
ROOT = Path(__file__).resolve().parents[1]

Figures = dict[str, dict[str, list[float | None]]]  # indicator → branch → [value, num, den]
Measures = dict[str, dict[str, float | None]]  # branch → measure → number


# -- the indicators, from measures ------------------------------------------------------------
# The hand-written implementations compute these measures per branch; the figures follow by
# the catalog's arithmetic (ratios × 100, means as sum ÷ count; zero denominators → None).
def _count(name: str) -> Callable[[dict[str, float | None]], list[float | None]]:
    return lambda m: [_f(m[name]), _f(m[name]), None]


def _ratio(num: str, den: str) -> Callable[[dict[str, float | None]], list[float | None]]:
    return lambda m: [_div(_f(m[num]) * 100.0, m[den]), _f(m[num]), _f(m[den])]


def _mean(total: str, n: str) -> Callable[[dict[str, float | None]], list[float | None]]:
    return lambda m: [_div(_f(m[total]), m[n]), _f(m[total]), _f(m[n])]


def _single(value: str, n: str) -> Callable[[dict[str, float | None]], list[float | None]]:
    return lambda m: [None if m[value] is None else _f(m[value]), None, _f(m[n])]


def _f(x: float | None) -> float:
    return 0.0 if x is None else float(x)


def _div(num: float, den: float | None) -> float | None:
    return None if not den else num / float(den)


HOTLINE: dict[str, Callable[[dict[str, float | None]], list[float | None]]] = {
    "hotline_offered": _count("offered"),
    "hotline_queued": _count("queued"),
    "hotline_answered": _count("answered"),
    "hotline_ivr_self_service_rate": _ratio("ivr_self_served", "offered"),
    "hotline_agent_connection_rate": _ratio("wanted_answered", "wanted_agent"),
    "hotline_service_level_15s": _ratio("within_15s", "queued"),
    "hotline_service_level_20s": _ratio("within_20s", "queued"),
    "hotline_abandon_rate": _ratio("abandoned", "queued"),
    "hotline_asa_seconds": _mean("wait_sum", "wait_n"),
    "hotline_aht_seconds": _mean("handle_sum", "handle_n"),
    "hotline_occupancy_rate": _ratio("handle_h_sum", "agent_hours"),
    "hotline_first_contact_resolution_rate": _ratio("fcr_num", "fcr_den"),
    "hotline_hangup_satisfaction_rate": _ratio("satisfied", "surveyed"),
    "hotline_survey_response_rate": _ratio("offered_surveyed", "survey_offered"),
    "hotline_missed_call_callback_rate": _ratio("missed_returned", "missed"),
    "hotline_ivr_human_reach_rate": _ratio("wanted_queued", "wanted_agent"),
    "hotline_ivr_mean_seconds": _mean("ivr_sum", "ivr_n"),
    "hotline_sms_answer_share": _ratio("sms", "offered"),
    "hotline_wait_p90_seconds": _single("queue_p90", "queue_n"),
    "hotline_longest_wait_seconds": _single("queue_max", "queue_n"),
}
COLUMNS = [
    "call_id",
    "customer_id",
    "branch",
    "arrived_at",
    "ivr_s",
    "ivr_self_served",
    "wanted_agent",
    "queued_at",
    "answered_at",
    "abandoned_at",
    "ended_at",
    "agent_id",
    "sms_answer",
    "survey_offered",
    "survey_score",
    "excluded",
]


def figures_from(measures: Measures) -> Figures:
    return {
        indicator: {branch: rule(m) for branch, m in measures.items()}
        for indicator, rule in HOTLINE.items()
    }


# -- data ----------------------------------------------------------------------------------------
def parse_count(text: str) -> int:
    units = {"K": 1_000, "M": 1_000_000, "G": 1_000_000_000}
    text = text.strip().upper().replace("_", "")
    if text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def human(n: float) -> str:
    for size, unit in ((1e9, "G"), (1e6, "M"), (1e3, "K")):
        if n >= size:
            return f"{n / size:g}{unit}"
    return str(int(n))


def generate(data_dir: Path, n: int, seed: int = SEED) -> dict[str, Any]:
    """N calls over the month, one Parquet file per day (written chunk by chunk)."""
    import numpy as np

    from sqm.events.core.schemas import CALLS
    from sqm.events.core.store import EventStore

    marker = data_dir / "generated.json"
    if marker.exists():
        info: dict[str, Any] = json.loads(marker.read_text())
        if info.get("events") == n and info.get("seed") == seed:
            return info
    started = time.perf_counter()
    store = EventStore(data_dir)
    store.clear("calls")
    days = [START + timedelta(days=d) for d in range((END - START).days)]
    weights = np.array([0.8 if d.weekday() >= 5 else 1.0 for d in days])
    per_day = np.floor(n * weights / weights.sum()).astype(np.int64)
    per_day[: n - int(per_day.sum())] += 1
    chunk = 2_000_000
    for k, day in enumerate(days):
        rows, offset = int(per_day[k]), 0
        tables = []
        while offset < rows:
            size = min(chunk, rows - offset)
            tables.append(
                _calls_chunk(np.random.default_rng([seed, k, offset]), day, offset, size, n)
            )
            offset += size
        store.replace_partition(CALLS, day.date().isoformat(), tables)
    files = store.files("calls")
    info = {
        "events": n,
        "seed": seed,
        "files": len(files),
        "bytes": sum(f.stat().st_size for f in files),
        "seconds": round(time.perf_counter() - started, 1),
    }
    marker.write_text(json.dumps(info))
    return info


def _calls_chunk(rng: Any, day: datetime, offset: int, size: int, total: int) -> Any:
    """``size`` realistic calls of one day: IVR, queue, answer or abandonment, survey."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from sqm.org.core.factors import FACTOR_CODES
    from sqm.org.core.province import PROVINCE, TIERS

    def strings(prefix: str, numbers: Any, width: int, null: Any = None) -> pa.Array:
        digits = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width=width, padding="0")
        text = pc.binary_join_element_wise(prefix, digits, "")
        return (
            text if null is None else pc.if_else(pa.array(null), pa.scalar(None, pa.string()), text)
        )

    def pick(choices: list[str], p: list[float], null: Any = None) -> pa.Array:
        codes = rng.choice(len(choices), size=size, p=np.array(p) / sum(p)).astype(np.int32)
        indices = pa.array(codes, mask=null)
        return pa.DictionaryArray.from_arrays(indices, pa.array(choices)).cast(pa.string())

    def stamps(ms: Any, null: Any) -> pa.Array:
        return pa.array(ms, type=pa.timestamp("ms"), mask=null)

    day_ms = (day - datetime(1970, 1, 1)) // timedelta(milliseconds=1)  # naive wall-clock
    hourly = np.array(
        [1, 1, 1, 1, 1, 2, 4, 8, 14, 18, 18, 16, 12, 14, 16, 16, 14, 12, 10, 9, 8, 6, 4, 2]
    )
    hour = rng.choice(24, size=size, p=hourly / hourly.sum())
    arrived = np.sort(day_ms + hour * 3_600_000 + rng.integers(0, 3_600_000, size))
    # A tenth of callers are unidentified; a frequent fifth of customers makes most repeats.
    customers = max(1_000, total // 6)
    frequent = rng.random(size) < 0.3
    customer = np.where(
        frequent, rng.integers(0, max(1, customers // 20), size), rng.integers(0, customers, size)
    )
    unknown = rng.random(size) < 0.1
    ivr_s = np.round(rng.lognormal(3.2, 0.6, size), 3)
    ivr_null = rng.random(size) < 0.03
    wanted = rng.random(size) < 0.7
    wanted_null = rng.random(size) < 0.02
    queued = wanted & ~wanted_null & (rng.random(size) < 0.95)
    queued_ms = arrived + np.where(ivr_null, 0, np.round(ivr_s * 1000)).astype(np.int64)
    wait = np.round(rng.exponential(22_000, size)).astype(np.int64)
    patience = np.round(rng.exponential(90_000, size)).astype(np.int64)
    dropped = rng.random(size) < 0.01
    answered = queued & (wait <= patience) & ~dropped
    abandoned = queued & (wait > patience) & ~dropped
    answered_ms = queued_ms + wait
    abandoned_ms = queued_ms + patience
    handle = np.round(rng.lognormal(5.5, 0.6, size) * 1000).astype(np.int64)
    ended = np.where(
        answered,
        answered_ms + handle,
        np.where(abandoned, abandoned_ms, queued_ms + 5_000),
    )
    agents = max(50, total // 3_000)
    offered = answered & (rng.random(size) < 0.65)
    responded = offered & (rng.random(size) < 0.35)
    score = rng.choice(5, size=size, p=[0.04, 0.04, 0.10, 0.30, 0.52]).astype(np.int8) + 1
    self_served = ~queued & (rng.random(size) < 0.6)
    self_null = ~queued & (rng.random(size) < 0.03)
    branches = [b.code for b in PROVINCE.branches]
    branch_weights = [14, 9, 7, 5, 14, 7, 4, 5, 7, 5, 4, 5, 5][: len(branches)]
    seq = np.arange(offset, offset + size)
    columns = {
        "call_id": strings(f"C{day:%Y%m%d}", seq, 8),
        "customer_id": strings("U", customer, 9, null=unknown),
        "tier": pick([t.code for t in TIERS], [2, 5, 13, 10, 70][: len(TIERS)]),
        "branch": pick(branches, branch_weights),
        "arrived_at": stamps(arrived, None),
        "ivr_path": pick(["1", "1-2", "1-3", "2-1", "3-4-1", "0"], [20, 30, 15, 15, 10, 10]),
        "ivr_s": pa.array(ivr_s, mask=ivr_null),
        "ivr_self_served": pa.array(self_served, mask=self_null),
        "wanted_agent": pa.array(wanted, mask=wanted_null),
        "queued_at": stamps(queued_ms, ~queued),
        "answered_at": stamps(answered_ms, ~answered),
        "abandoned_at": stamps(abandoned_ms, ~abandoned),
        "ended_at": stamps(ended, None),
        "agent_id": strings("A", rng.integers(0, agents, size), 5, null=~answered),
        "topic": pick(
            sorted(FACTOR_CODES), [1.0] * len(FACTOR_CODES), null=rng.random(size) < 0.05
        ),
        "sms_answer": pa.array(answered & (rng.random(size) < 0.04)),
        "survey_offered": pa.array(offered),
        "survey_score": pa.array(score, mask=~responded),
        "excluded": pa.array(rng.random(size) < 0.005),
    }
    return pa.table(columns)


def call_files(data_dir: Path) -> list[str]:
    from sqm.events.core.store import EventStore

    return [str(f) for f in EventStore(data_dir).files("calls")]


# -- timing -------------------------------------------------------------------------------------
def clock() -> tuple[float, float]:
    """Wall clock and this process's CPU time (every thread, user + system)."""
    return time.perf_counter(), time.process_time()


def elapsed(started: tuple[float, float]) -> dict[str, float]:
    wall, cpu = clock()
    return {"seconds": wall - started[0], "cpu_seconds": cpu - started[1]}


# -- (a) SQM --------------------------------------------------------------------------------------
def run_sqm(data_dir: Path, every_calls_indicator: bool = False) -> tuple[Figures, dict[str, Any]]:
    import ibis.backends.duckdb  # noqa: F401  (an import, like the others': not timed)

    from sqm.events.core.store import EventStore
    from sqm.indicators.core.catalog import load_catalog
    from sqm.indicators.core.engine import run

    catalog = load_catalog()
    ids = (
        {i.id for i in catalog.indicators if i.source == "calls"}
        if every_calls_indicator
        else set(HOTLINE)
    )
    subset = catalog.only(ids)
    started = clock()
    computation = run(EventStore(data_dir), subset, MONTH, [BY])
    timing = elapsed(started)
    figures: Figures = {}
    for row in computation.table.to_pylist():
        if row["indicator"] in HOTLINE:
            figures.setdefault(row["indicator"], {})[row[BY]] = [
                row["value"],
                row["numerator"],
                row["denominator"],
            ]
    (query,) = computation.queries
    return figures, {**timing, "indicators": len(ids), "sql_seconds": query.seconds}


# -- (b) hand-written DuckDB SQL ----------------------------------------------------------------
HAND_SQL = """
WITH calls AS (
    SELECT call_id, customer_id, branch, arrived_at, ivr_s, ivr_self_served, wanted_agent,
           queued_at, answered_at, abandoned_at, ended_at, agent_id, sms_answer,
           survey_offered, survey_score
    FROM read_parquet({files}, hive_partitioning = false)
    WHERE NOT coalesce(excluded, false)
      AND arrived_at >= TIMESTAMP '{start}' AND arrived_at < TIMESTAMP '{window_end}'
), windowed AS (
    SELECT *,
           lead(arrived_at) OVER w AS next_arrival_at,
           min(answered_at) OVER (w ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)
               AS next_answered_at
    FROM calls
    WINDOW w AS (PARTITION BY customer_id ORDER BY arrived_at, call_id)
), c AS (
    SELECT *,
           date_diff('millisecond', queued_at, answered_at) / 1000.0 AS wait_s,
           date_diff('millisecond', answered_at, ended_at) / 1000.0 AS handle_s,
           date_diff('millisecond', queued_at, coalesce(answered_at, abandoned_at)) / 1000.0
               AS queue_s,
           queued_at IS NOT NULL AND answered_at IS NULL AND abandoned_at IS NOT NULL
               AS abandoned,
           coalesce(next_arrival_at <= arrived_at + INTERVAL 48 HOUR, false) AS repeat_48h
    FROM windowed
    WHERE arrived_at >= TIMESTAMP '{start}' AND arrived_at < TIMESTAMP '{end}'
)
SELECT branch,
    count(*) AS offered,
    count(*) FILTER (queued_at IS NOT NULL) AS queued,
    count(*) FILTER (answered_at IS NOT NULL) AS answered,
    count(*) FILTER (coalesce(ivr_self_served, false)) AS ivr_self_served,
    count(*) FILTER (coalesce(wanted_agent, false)) AS wanted_agent,
    count(*) FILTER (coalesce(wanted_agent, false) AND answered_at IS NOT NULL) AS wanted_answered,
    count(*) FILTER (coalesce(wanted_agent, false) AND queued_at IS NOT NULL) AS wanted_queued,
    count(*) FILTER (answered_at <= queued_at + INTERVAL 15 SECOND) AS within_15s,
    count(*) FILTER (answered_at <= queued_at + INTERVAL 20 SECOND) AS within_20s,
    count(*) FILTER (abandoned) AS abandoned,
    coalesce(sum(wait_s) FILTER (answered_at IS NOT NULL), 0) AS wait_sum,
    count(wait_s) FILTER (answered_at IS NOT NULL) AS wait_n,
    coalesce(sum(handle_s) FILTER (answered_at IS NOT NULL), 0) AS handle_sum,
    count(handle_s) FILTER (answered_at IS NOT NULL) AS handle_n,
    coalesce(sum(handle_s / 3600.0) FILTER (answered_at IS NOT NULL), 0) AS handle_h_sum,
    count(DISTINCT (agent_id, date_trunc('hour', answered_at)))
        FILTER (answered_at IS NOT NULL AND agent_id IS NOT NULL) AS agent_hours,
    count(*) FILTER (answered_at IS NOT NULL AND customer_id IS NOT NULL AND NOT repeat_48h)
        AS fcr_num,
    count(*) FILTER (answered_at IS NOT NULL AND customer_id IS NOT NULL) AS fcr_den,
    count(*) FILTER (survey_score >= 4) AS satisfied,
    count(*) FILTER (survey_score IS NOT NULL) AS surveyed,
    count(*) FILTER (coalesce(survey_offered, false) AND survey_score IS NOT NULL)
        AS offered_surveyed,
    count(*) FILTER (coalesce(survey_offered, false)) AS survey_offered,
    count(*) FILTER (abandoned AND customer_id IS NOT NULL
                     AND next_answered_at <= abandoned_at + INTERVAL 24 HOUR) AS missed_returned,
    count(*) FILTER (abandoned AND customer_id IS NOT NULL) AS missed,
    coalesce(sum(ivr_s), 0) AS ivr_sum,
    count(ivr_s) AS ivr_n,
    count(*) FILTER (coalesce(sms_answer, false)) AS sms,
    quantile_cont(queue_s, 0.9) FILTER (queued_at IS NOT NULL) AS queue_p90,
    count(queue_s) FILTER (queued_at IS NOT NULL) AS queue_n,
    max(queue_s) FILTER (queued_at IS NOT NULL) AS queue_max
FROM c
GROUP BY branch
"""


def hand_sql(files: list[str]) -> str:
    return HAND_SQL.format(
        files="[" + ", ".join(f"'{f}'" for f in files) + "]",
        start=START,
        end=END,
        window_end=END + LOOKAHEAD,
    )


def run_duckdb_sql(data_dir: Path) -> tuple[Figures, dict[str, Any]]:
    import duckdb

    from sqm.indicators.core.backends import duckdb_settings

    started = clock()
    connection = duckdb.connect(config=duckdb_settings())  # SQM's memory cap, like for like
    cursor = connection.execute(hand_sql(call_files(data_dir)))
    names = [d[0] for d in cursor.description]
    measures = {row[0]: dict(zip(names[1:], row[1:], strict=True)) for row in cursor.fetchall()}
    return figures_from(measures), elapsed(started)


# -- (c) pandas -----------------------------------------------------------------------------------
def run_pandas(data_dir: Path) -> tuple[Figures, dict[str, Any]]:
    import numpy as np
    import pandas as pd

    started = clock()
    df = pd.read_parquet(call_files(data_dir), columns=COLUMNS)
    df = df[~df["excluded"].fillna(False).astype(bool)]
    df = df[(df["arrived_at"] >= START) & (df["arrived_at"] < END + LOOKAHEAD)]

    # The same customer's next call, and the earliest answer among their later calls.
    df = df.sort_values(["customer_id", "arrived_at", "call_id"], kind="stable")
    by_customer = df.groupby("customer_id", sort=False)
    df["next_arrival_at"] = by_customer["arrived_at"].shift(-1)
    never = pd.Timestamp("2200-01-01")
    answered_or_never = df["answered_at"].fillna(never)[::-1]
    reversed_customer = df["customer_id"][::-1]
    from_here_on = answered_or_never.groupby(reversed_customer, sort=False).cummin()
    after_this = from_here_on.groupby(reversed_customer, sort=False).shift(1)
    df["next_answered_at"] = after_this.where(after_this != never)

    df = df[(df["arrived_at"] >= START) & (df["arrived_at"] < END)]

    def seconds_between(later: pd.Series, earlier: pd.Series) -> pd.Series:
        return (later - earlier) / np.timedelta64(1, "ms") / 1000.0

    queued = df["queued_at"].notna()
    answered = df["answered_at"].notna()
    known = df["customer_id"].notna()
    wanted = df["wanted_agent"].fillna(False).astype(bool)
    abandoned = queued & ~answered & df["abandoned_at"].notna()
    wait_s = seconds_between(df["answered_at"], df["queued_at"]).where(answered)
    handle_s = seconds_between(df["ended_at"], df["answered_at"]).where(answered)
    queue_s = seconds_between(df["answered_at"].fillna(df["abandoned_at"]), df["queued_at"]).where(
        queued
    )
    repeat = df["next_arrival_at"].notna() & (
        df["next_arrival_at"] <= df["arrived_at"] + pd.Timedelta(hours=48)
    )
    score = df["survey_score"]
    offered_survey = df["survey_offered"].fillna(False).astype(bool)
    missed = abandoned & known
    flags = pd.DataFrame(
        {
            "offered": 1,
            "queued": queued,
            "answered": answered,
            "ivr_self_served": df["ivr_self_served"].fillna(False).astype(bool),
            "wanted_agent": wanted,
            "wanted_answered": wanted & answered,
            "wanted_queued": wanted & queued,
            "within_15s": answered
            & (df["answered_at"] <= df["queued_at"] + pd.Timedelta(seconds=15)),
            "within_20s": answered
            & (df["answered_at"] <= df["queued_at"] + pd.Timedelta(seconds=20)),
            "abandoned": abandoned,
            "fcr_num": answered & known & ~repeat,
            "fcr_den": answered & known,
            "satisfied": score.notna() & (score >= 4),
            "surveyed": score.notna(),
            "offered_surveyed": offered_survey & score.notna(),
            "survey_offered": offered_survey,
            "missed_returned": missed
            & df["next_answered_at"].notna()
            & (df["next_answered_at"] <= df["abandoned_at"] + pd.Timedelta(hours=24)),
            "missed": missed,
            "sms": df["sms_answer"].fillna(False).astype(bool),
        }
    )
    branch = df["branch"]
    table = flags.groupby(branch).sum()
    table["wait_sum"] = wait_s.groupby(branch).sum()
    table["wait_n"] = wait_s.groupby(branch).count()
    table["handle_sum"] = handle_s.groupby(branch).sum()
    table["handle_n"] = handle_s.groupby(branch).count()
    table["handle_h_sum"] = (handle_s / 3600.0).groupby(branch).sum()
    hours = df.loc[answered & df["agent_id"].notna(), ["branch", "agent_id", "answered_at"]]
    hours["hour"] = hours["answered_at"].dt.floor("h")
    table["agent_hours"] = (
        hours.drop_duplicates(["branch", "agent_id", "hour"]).groupby("branch").size()
    )
    table["ivr_sum"] = df["ivr_s"].groupby(branch).sum()
    table["ivr_n"] = df["ivr_s"].groupby(branch).count()
    table["queue_p90"] = queue_s.groupby(branch).quantile(0.9)
    table["queue_n"] = queue_s.groupby(branch).count()
    table["queue_max"] = queue_s.groupby(branch).max()
    measures = {
        str(b): {k: (None if pd.isna(v) else float(v)) for k, v in row.items()}
        for b, row in table.fillna({"agent_hours": 0}).to_dict("index").items()
    }
    return figures_from(measures), elapsed(started)


# -- (d) Polars -----------------------------------------------------------------------------------
def run_polars(data_dir: Path) -> tuple[Figures, dict[str, Any]]:
    import polars as pl

    started = clock()
    c = pl.col
    order = ["arrived_at", "call_id"]
    never = datetime(2200, 1, 1)
    calls = (
        pl.scan_parquet(call_files(data_dir), hive_partitioning=False)
        .select(COLUMNS)
        .filter(
            ~c("excluded").fill_null(False)
            & (c("arrived_at") >= START)
            & (c("arrived_at") < END + LOOKAHEAD)
        )
        .with_columns(
            next_arrival_at=c("arrived_at").shift(-1).over("customer_id", order_by=order),
            next_answered_at=c("answered_at")
            .fill_null(never)
            .cum_min(reverse=True)
            .shift(-1)
            .over("customer_id", order_by=order),
        )
        .filter((c("arrived_at") >= START) & (c("arrived_at") < END))
    )

    def seconds_between(later: pl.Expr, earlier: pl.Expr) -> pl.Expr:
        return (later - earlier).dt.total_milliseconds() / 1000.0

    queued = c("queued_at").is_not_null()
    answered = c("answered_at").is_not_null()
    known = c("customer_id").is_not_null()
    wanted = c("wanted_agent").fill_null(False)
    abandoned = queued & c("answered_at").is_null() & c("abandoned_at").is_not_null()
    repeat = c("next_arrival_at").is_not_null() & (
        c("next_arrival_at") <= c("arrived_at") + timedelta(hours=48)
    )
    next_answer = pl.when(c("next_answered_at") < never).then(c("next_answered_at"))
    score = c("survey_score")
    offered_survey = c("survey_offered").fill_null(False)
    missed = abandoned & known
    wait_s = seconds_between(c("answered_at"), c("queued_at")).filter(answered)
    handle_s = seconds_between(c("ended_at"), c("answered_at")).filter(answered)
    queue_s = seconds_between(
        pl.coalesce(c("answered_at"), c("abandoned_at")), c("queued_at")
    ).filter(queued)
    within = lambda s: answered & (c("answered_at") <= c("queued_at") + timedelta(seconds=s))  # noqa: E731
    result = (
        calls.group_by("branch")
        .agg(
            offered=pl.len(),
            queued=queued.sum(),
            answered=answered.sum(),
            ivr_self_served=c("ivr_self_served").fill_null(False).sum(),
            wanted_agent=wanted.sum(),
            wanted_answered=(wanted & answered).sum(),
            wanted_queued=(wanted & queued).sum(),
            within_15s=within(15).sum(),
            within_20s=within(20).sum(),
            abandoned=abandoned.sum(),
            wait_sum=wait_s.sum(),
            wait_n=wait_s.count(),
            handle_sum=handle_s.sum(),
            handle_n=handle_s.count(),
            handle_h_sum=(handle_s / 3600.0).sum(),
            agent_hours=pl.struct(c("agent_id"), c("answered_at").dt.truncate("1h"))
            .filter(answered & c("agent_id").is_not_null())
            .n_unique(),
            fcr_num=(answered & known & ~repeat).sum(),
            fcr_den=(answered & known).sum(),
            satisfied=(score.is_not_null() & (score >= 4)).sum(),
            surveyed=score.is_not_null().sum(),
            offered_surveyed=(offered_survey & score.is_not_null()).sum(),
            survey_offered=offered_survey.sum(),
            missed_returned=(
                missed
                & next_answer.is_not_null()
                & (next_answer <= c("abandoned_at") + timedelta(hours=24))
            ).sum(),
            missed=missed.sum(),
            ivr_sum=c("ivr_s").sum(),
            ivr_n=c("ivr_s").count(),
            sms=c("sms_answer").fill_null(False).sum(),
            queue_p90=queue_s.quantile(0.9, interpolation="linear"),
            queue_n=queue_s.count(),
            queue_max=queue_s.max(),
        )
        .collect()
    )
    measures = {
        row.pop("branch"): {k: (None if v is None else float(v)) for k, v in row.items()}
        for row in result.to_dicts()
    }
    return figures_from(measures), elapsed(started)


WORKERS: dict[str, tuple[str, Callable[[Path], tuple[Figures, dict[str, Any]]]]] = {
    "sqm": ("(a) SQM engine, 20 hotline indicators", run_sqm),
    "sqm-calls": (
        "(a) SQM engine, all 23 calls indicators",
        lambda d: run_sqm(d, every_calls_indicator=True),
    ),
    "duckdb-sql": ("(b) hand-written DuckDB SQL", run_duckdb_sql),
    "pandas": ("(c) pandas", run_pandas),
    "polars": ("(d) Polars", run_polars),
}


# -- orchestration ------------------------------------------------------------------------------
def worker(name: str, data_dir: Path) -> None:
    import sqm.events.core.store  # noqa: F401  (imported before any clock starts: ~2 s)

    figures, info = WORKERS[name][1](data_dir)
    json.dump({"figures": figures, **info}, sys.stdout)


def run_worker(name: str, data_dir: Path) -> dict[str, Any]:
    """One implementation in a fresh process; its own peak RSS from os.wait4."""
    command = [sys.executable, __file__, "--worker", name, "--data-dir", str(data_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert process.stdout is not None
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{name} failed with exit code {process.returncode}")
    result: dict[str, Any] = json.loads(output)
    result["peak_mb"] = usage.ru_maxrss / 1024.0  # kilobytes on Linux
    return result


def run_repeated(names: list[str], data_dir: Path, repeat: int) -> dict[str, dict[str, Any]]:
    """Each implementation ``repeat`` times, taking turns (load from other processes on the
    machine then hits them alike); the best wall time is kept, with the largest peak RSS."""
    best: dict[str, dict[str, Any]] = {}
    for round_ in range(repeat):
        for name in names:
            result = run_worker(name, data_dir)
            print(
                f"  [{round_ + 1}/{repeat}] {WORKERS[name][0]}: {result['seconds']:.2f} s wall, "
                f"{result['cpu_seconds']:.2f} s CPU, {result['peak_mb']:,.0f} MB",
                flush=True,
            )
            kept = best.get(name)
            if kept is None:
                best[name] = result
                continue
            peak = max(kept["peak_mb"], result["peak_mb"])
            if result["seconds"] < kept["seconds"]:
                best[name] = result
            best[name]["peak_mb"] = peak
    return best


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def compare(reference: Figures, other: Figures) -> list[str]:
    problems = []
    for indicator in HOTLINE:
        want, got = reference.get(indicator, {}), other.get(indicator, {})
        if set(want) != set(got):
            problems.append(f"{indicator}: branches differ {sorted(set(want) ^ set(got))}")
        for branch in set(want) & set(got):
            if not all(same(a, b) for a, b in zip(want[branch], got[branch], strict=True)):
                problems.append(f"{indicator}[{branch}]: {want[branch]} != {got[branch]}")
    return problems


def benchmark(
    n: int, base: Path, names: list[str], skip_above: dict[str, int], repeat: int
) -> dict[str, Any]:
    data_dir = base / f"calls-{human(n)}"
    print(f"\n## N = {n:,} call events ({MONTH}, by {BY}, best of {repeat})", flush=True)
    info = generate(data_dir, n)
    print(
        f"data: {info['files']} day files, {info['bytes'] / 2**20:,.0f} MiB Parquet (zstd), "
        f"generated in {info['seconds']} s",
        flush=True,
    )
    chosen = [name for name in names if skip_above.get(name) is None or n <= skip_above[name]]
    for name in names:
        if name not in chosen:
            print(f"  {WORKERS[name][0]}: skipped (N > {human(skip_above[name])})")
    results = run_repeated(chosen, data_dir, repeat)
    print_table(results)
    return {"events": n, "results": {k: _summary(v) for k, v in results.items()}}


def _summary(result: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "figures"}


def print_table(results: Mapping[str, Mapping[str, Any]]) -> None:
    sqm = results["sqm"]
    header = (
        f"{'implementation':<42} {'wall s':>7} {'CPU s':>7} {'peak MB':>8} "
        f"{'wall/SQM':>9} {'CPU/SQM':>8} {'mem/SQM':>8}  figures"
    )
    print(header)
    print("-" * len(header))
    for name, result in results.items():
        problems = compare(sqm["figures"], result["figures"])
        check = "reference" if name == "sqm" else ("equal" if not problems else "DIFFERENT")
        print(
            f"{WORKERS[name][0]:<42} {result['seconds']:>7.2f} {result['cpu_seconds']:>7.2f} "
            f"{result['peak_mb']:>8,.0f} {result['seconds'] / sqm['seconds']:>8.2f}x "
            f"{result['cpu_seconds'] / sqm['cpu_seconds']:>7.2f}x "
            f"{result['peak_mb'] / sqm['peak_mb']:>7.2f}x  {check}"
        )
        for problem in problems[:10]:
            print(f"    {problem}")
        if problems:
            raise SystemExit(f"{name} disagrees with SQM on {len(problems)} figures")
    groups = len(sqm["figures"]["hotline_offered"])
    print(f"all implementations agree on {len(HOTLINE)} indicators x {groups} branches")
    goals(results)


def goals(results: Mapping[str, Mapping[str, Any]]) -> None:
    sqm = results["sqm"]
    if "duckdb-sql" in results:
        sql = results["duckdb-sql"]
        wall, cpu = sqm["seconds"] / sql["seconds"], sqm["cpu_seconds"] / sql["cpu_seconds"]
        print(
            f"goal: SQM within 1.2x of the hand-written SQL -> {wall:.2f}x wall "
            f"{_ok(wall <= 1.2)}, {cpu:.2f}x CPU {_ok(cpu <= 1.2)}"
        )
    if "pandas" in results:
        speed = results["pandas"]["seconds"] / sqm["seconds"]
        memory = results["pandas"]["peak_mb"] / sqm["peak_mb"]
        print(
            f"goal: SQM >= 5x faster than pandas -> {speed:.1f}x {_ok(speed >= 5)}; "
            f"at <= 1/5 of its memory -> 1/{memory:.1f} {_ok(memory >= 5)}"
        )


def _ok(flag: bool) -> str:
    return "(met)" if flag else "(NOT met)"


def extrapolate(runs: list[dict[str, Any]], target: int) -> None:
    """Fit t = a·N^k (and memory likewise) through the two largest measured sizes."""
    measured = sorted(runs, key=lambda r: r["events"])
    if len(measured) < 2:
        print("\n(extrapolation needs two measured sizes)")
        return
    small, large = measured[-2], measured[-1]
    n1, n2 = small["events"], large["events"]
    print(
        f"\n## EXTRAPOLATION — NOT MEASURED — to N = {target:,} call events: a power law "
        f"N^k fitted through the measured N = {human(n1)} and {human(n2)}"
    )
    print(
        f"{'implementation':<42} {'wall s':>7} {'CPU s':>7} {'peak MB':>8}   k (wall, CPU, memory)"
    )
    for name in large["results"]:
        if name not in small["results"]:
            continue
        row = []
        for key in ("seconds", "cpu_seconds", "peak_mb"):
            v1, v2 = small["results"][name][key], large["results"][name][key]
            k = math.log(v2 / v1) / math.log(n2 / n1)
            row.append((v2 * (target / n2) ** k, k))
        (t, kt), (c, kc), (m, km) = row
        print(
            f"{WORKERS[name][0]:<42} {t:>7.0f} {c:>7.0f} {m:>8,.0f}   {kt:.2f}, {kc:.2f}, {km:.2f}"
        )


# -- a whole demo month, every source, the full catalog -------------------------------------------
def run_sqm_demo(data_dir: Path) -> tuple[Figures, dict[str, Any]]:
    import ibis.backends.duckdb  # noqa: F401

    from sqm.events.core.store import EventStore
    from sqm.indicators.core.catalog import load_catalog
    from sqm.indicators.core.engine import run

    catalog = load_catalog()
    started = clock()
    computation = run(EventStore(data_dir), catalog, MONTH, [BY])
    timing = elapsed(started)
    sources = {q.source: [round(q.seconds, 2), q.groups] for q in computation.queries}
    return {}, {
        **timing,
        "indicators": len(catalog.ids),
        "rows": computation.table.num_rows,
        "sources": sources,
    }


def demo(scale: str, base: Path, repeat: int) -> None:
    from sqm.demo.core.generator import generate_month
    from sqm.events.core.store import EventStore

    data_dir = base / f"demo-{scale}"
    marker = data_dir / "generated.json"
    print(f"\n## A whole demo month ({scale}, {MONTH}): every source, the full catalog, by {BY}")
    if not marker.exists():
        report = generate_month(data_dir, scale=scale, month=MONTH, seed=SEED)
        marker.write_text(json.dumps({"rows": report.rows, "seconds": report.seconds}))
    info = json.loads(marker.read_text())
    store = EventStore(data_dir)
    size = sum(f.stat().st_size for s in info["rows"] for f in store.files(s))
    print(
        f"data: {sum(info['rows'].values()):,} events ("
        + ", ".join(f"{k} {v:,}" for k, v in sorted(info["rows"].items(), key=lambda kv: -kv[1]))
        + f"), {size / 2**20:,.0f} MiB Parquet, generated in {info['seconds']:.0f} s"
    )
    result = run_repeated(["sqm-demo"], data_dir, repeat)["sqm-demo"]
    print(
        f"SQM, {result['indicators']} indicators -> {result['rows']} result rows: "
        f"{result['seconds']:.1f} s wall, {result['cpu_seconds']:.1f} s CPU, "
        f"{result['peak_mb']:,.0f} MB peak RSS"
    )
    print(
        "  per source (s, groups): "
        + ", ".join(
            f"{k} {v[0]}" for k, v in sorted(result["sources"].items(), key=lambda kv: -kv[1][0])
        )
    )
    if scale == "province":
        print(
            f"goal: province-month <= 60 s and <= 8 GB on {os.cpu_count()} cores -> "
            f"{_ok(result['seconds'] <= 60 and result['peak_mb'] <= 8 * 1024)}"
        )


WORKERS["sqm-demo"] = ("(a) SQM engine, full catalog, demo month", run_sqm_demo)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", action="append", help="N call events, e.g. 1M (repeatable)")
    parser.add_argument("--skip-pandas-above", type=parse_count, default=None)
    parser.add_argument("--skip-polars-above", type=parse_count, default=None)
    parser.add_argument("--only", action="append", choices=[w for w in WORKERS if w != "sqm-demo"])
    parser.add_argument("--repeat", type=int, default=1, help="runs per implementation (best)")
    parser.add_argument("--extrapolate", type=parse_count, default=None, help="e.g. 305M")
    parser.add_argument(
        "--demo",
        action="append",
        choices=["tiny", "small", "medium", "province"],
        help="also time the full catalog on a generated demo month of this scale",
    )
    parser.add_argument("--data-dir", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--worker", choices=list(WORKERS), help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="also write the measurements here")
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.data_dir)
        return
    names = args.only or [w for w in WORKERS if w != "sqm-demo"]
    if "sqm" not in names:
        names.insert(0, "sqm")
    print(
        f"# SQM indicator benchmark — {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {_versions()}"
    )
    skip_above = {
        name: limit
        for name, limit in (("pandas", args.skip_pandas_above), ("polars", args.skip_polars_above))
        if limit is not None
    }
    runs = [
        benchmark(parse_count(n), args.data_dir, names, skip_above, args.repeat)
        for n in (args.events or ([] if args.demo else ["1M"]))
    ]
    if args.extrapolate:
        extrapolate(runs, args.extrapolate)
    for scale in args.demo or []:
        demo(scale, args.data_dir, args.repeat)
    if args.json:
        args.json.write_text(json.dumps(runs, indent=2))


def _versions() -> str:
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for package in ("duckdb", "ibis-framework", "pandas", "polars", "pyarrow"):
        try:
            found.append(f"{package} {version(package)}")
        except PackageNotFoundError:
            found.append(f"{package} (not installed)")
    return ", ".join(found)


if __name__ == "__main__":
    main()
