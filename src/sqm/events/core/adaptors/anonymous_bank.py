"""The "Anonymous Bank" call-center log (Technion SEE Lab, Mandelbaum et al.) as `calls`.

One TSV row per call: ``vru+line call_id customer_id priority type date vru_entry vru_exit
vru_time q_start q_exit q_time outcome ser_start ser_exit ser_time server``; date is YYMMDD and
times are H:MM:SS on that day, with ``0:00:00`` standing for "did not happen".

Mapping decisions, each forced by the data:
- ``call_id`` repeats across VRU lines (15,516 distinct ids in 33,344 calls), so the key is
  ``{vru+line}-{call_id}``; ``ivr_path`` is the ``vru+line`` value.
- Whether a call queued or was served is read from the whole group (start, exit, duration),
  not from one time alone: a call that reached the queue exactly at midnight has
  ``q_start = 0:00:00`` and a real ``q_time``.
- A time more than 12 h before ``vru_entry`` belongs to the next day (calls over midnight).
- The VRU, queue and agent clocks disagree by a few seconds (up to ~70 s for a handful of
  calls). Times are clamped so that arrived <= queued <= answered/abandoned <= ended, and a
  negative ``vru_time`` becomes 0; the number of clamped calls is reported as a warning.
- AGENT: a queued call is answered at ``q_exit`` (so its wait is the log's ``q_time``), one
  that went straight to an agent at ``ser_start`` with 0 s in queue (queued_at = answered_at,
  never ``vru_exit``, which runs ~1 s ahead of ``ser_start``); ended ``ser_time`` seconds
  after the answer. The 50 AGENT calls without service times are taken as answered
  when they left the queue (or the VRU) and ended then: their talk time is unknown, not long.
- HANG: abandoned and ended at ``q_exit``; a HANG without a queue hung up in the VRU, so it is
  abandoned at ``vru_exit`` and has no ``queued_at``.
- PHANTOM: kept with its arrival and queue times, ``excluded = True`` so indicators skip it.
- priority 2 (the bank's high-priority customers) -> tier ``gold``, 0/1 -> ``ordinary``;
  customer_id 0 (unidentified) -> null; server NO_SERVER -> no agent.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from sqm.events.core.adaptors import AdaptedBatch, Adaptor, AdaptorError
from sqm.org.core.reference import ReferenceCodes

COLUMNS = (
    *("vru+line", "call_id", "customer_id", "priority", "type", "date"),
    *("vru_entry", "vru_exit", "vru_time", "q_start", "q_exit", "q_time", "outcome"),
    *("ser_start", "ser_exit", "ser_time", "server"),
)
PRIORITIES = ("0", "1", "2")  # 2 = the bank's high-priority customers
OUTCOMES = ("AGENT", "HANG", "PHANTOM")
NO_SERVER = "NO_SERVER"
HALF_DAY = 43_200
BLOCK_BYTES = 16 << 20

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


def read(path: Path, codes: ReferenceCodes, options: Mapping[str, str]) -> Iterator[AdaptedBatch]:
    branch = options.get("branch")
    if not branch:
        raise AdaptorError("anonymous-bank needs a branch for the calls (branch=CODE)")
    if branch not in codes.branch:
        raise AdaptorError(f"unknown branch {branch!r}; known: {', '.join(sorted(codes.branch))}")
    with open(path, encoding="utf-8", errors="replace") as handle:
        header = handle.readline().rstrip("\r\n").split("\t")
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise AdaptorError(
            f"{path.name} is not an Anonymous Bank TSV: missing columns {', '.join(missing)}"
        )
    try:
        reader = pcsv.open_csv(
            path,
            read_options=pcsv.ReadOptions(block_size=BLOCK_BYTES),
            parse_options=pcsv.ParseOptions(delimiter="\t"),
            convert_options=pcsv.ConvertOptions(
                column_types={c: pa.string() for c in header}, strings_can_be_null=False
            ),
        )
        first_row = 1
        for batch in reader:
            raw = pa.Table.from_batches([batch])
            yield map_rows(raw, branch, first_row)
            first_row += raw.num_rows
    except (pa.ArrowInvalid, UnicodeDecodeError) as error:
        raise AdaptorError(f"cannot read {path.name} as an Anonymous Bank TSV: {error}") from None


def map_rows(raw: pa.Table, branch: str, first_row: int = 1) -> AdaptedBatch:
    """Map a block of the TSV (every column text) to `calls` columns."""
    n = raw.num_rows
    problems: dict[str, Bools] = {}

    def text(column: str) -> pa.Array:
        return pc.utf8_trim_whitespace(raw[column].combine_chunks())

    def clock(column: str) -> Ints:
        values = text(column)
        ok = _mask(pc.match_substring_regex(values, r"^\d{1,2}:[0-5]\d:[0-5]\d$"))
        safe = pc.if_else(pa.array(ok), values, "0:00:00")
        hms = np.asarray(pc.list_flatten(pc.split_pattern(safe, ":")).cast(pa.int64()))
        seconds = hms.reshape(-1, 3) @ np.array([3600, 60, 1], dtype=np.int64)
        problems[f"{column}: not a time H:MM:SS"] = ~ok | (seconds >= 86_400)
        return np.asarray(seconds, dtype=np.int64)

    def integer(column: str) -> Ints:
        values = text(column)
        ok = _mask(pc.match_substring_regex(values, r"^-?\d{1,9}$"))
        problems[f"{column}: not an integer"] = ~ok
        return np.asarray(pc.if_else(pa.array(ok), values, "0").cast(pa.int64()), np.int64)

    day_ms = _day_start_ms(text("date"), problems)
    entry, vru_exit = clock("vru_entry"), clock("vru_exit")
    q_start, q_exit = clock("q_start"), clock("q_exit")
    s_start, s_exit = clock("ser_start"), clock("ser_exit")
    vru_time, q_time, s_time = integer("vru_time"), integer("q_time"), integer("ser_time")
    outcome = np.asarray(text("outcome").to_numpy(zero_copy_only=False), dtype=object)
    problems["outcome: not AGENT, HANG or PHANTOM"] = ~np.isin(outcome, OUTCOMES)
    priority = text("priority")
    problems["priority: not 0, 1 or 2"] = ~_mask(pc.is_in(priority, pa.array(PRIORITIES)))

    def roll(t: Ints) -> Ints:
        return t + 86_400 * (t < entry - HALF_DAY)

    queued_any = (q_start != 0) | (q_exit != 0) | (q_time > 0)
    served = (s_start != 0) | (s_exit != 0) | (s_time > 0)
    agent, hang, phantom = (outcome == o for o in OUTCOMES)
    left_queue = np.where(queued_any, roll(q_exit), roll(vru_exit))

    # A queued call is answered when it leaves the queue, on the queue's own clock, so waits
    # equal the log's q_time; the agent clock (ser_start) runs ~1 s apart on a third of calls.
    answered = np.where(queued_any | ~served, left_queue, roll(s_start))
    queued = np.where(queued_any, roll(q_start), answered)
    queued = np.where(agent, np.minimum(queued, answered), np.minimum(queued, left_queue))
    has_queued = agent | queued_any
    # Talk time is the log's own ser_time from the answer: durations are the log's measured
    # facts, the three clocks' absolute times are not mutually consistent.
    ended = np.where(
        agent, np.where(served, answered + np.maximum(s_time, 0), answered), left_queue
    )
    ended = np.where(agent, np.maximum(ended, answered), ended)
    arrived = np.where(has_queued, np.minimum(entry, queued), entry)
    ended = np.maximum(ended, arrived)
    skewed = (
        (arrived != entry)
        | (vru_time < 0)
        | (agent & queued_any & (queued != roll(q_start)))
        | (hang & queued_any & (queued != roll(q_start)))
    )

    def stamp(seconds: Ints, present: Bools) -> pa.Array:
        return pa.array(day_ms + seconds * 1000, pa.int64(), mask=~present).cast(pa.timestamp("ms"))

    none = np.zeros(n, dtype=bool)
    customer = text("customer_id")
    server = text("server")
    line = text("vru+line")
    table = pa.table(
        {
            "call_id": pc.binary_join_element_wise(line, text("call_id"), "-"),
            "customer_id": pc.if_else(pc.equal(customer, "0"), None, customer),
            "tier": pc.if_else(pc.equal(priority, "2"), "gold", "ordinary"),
            "branch": pa.repeat(pa.scalar(branch, pa.string()), n),
            "arrived_at": stamp(arrived, ~none),
            "ivr_path": line,
            "ivr_s": pa.array(np.maximum(vru_time, 0).astype(np.float64)),
            "ivr_self_served": pa.array(none),
            "wanted_agent": pa.array(~none),
            "queued_at": stamp(queued, has_queued),
            "answered_at": stamp(answered, agent),
            "abandoned_at": stamp(left_queue, hang),
            "ended_at": stamp(ended, ~none),
            "agent_id": pc.if_else(pc.equal(server, NO_SERVER), None, server),
            "topic": pa.nulls(n, pa.string()),
            "sms_answer": pa.nulls(n, pa.bool_()),
            "survey_offered": pa.nulls(n, pa.bool_()),
            "survey_score": pa.nulls(n, pa.int8()),
            "excluded": pa.array(phantom),
        }
    )
    reasons = _reasons(raw, problems)
    warnings = []
    if skewed.any():
        warnings.append(
            f"anonymous-bank: {int(skewed.sum())} calls had VRU, queue and agent clocks "
            "a few seconds apart; their times were clamped into order"
        )
    return AdaptedBatch(table, first_row, raw, reasons, warnings)


def _day_start_ms(dates: pa.Array, problems: dict[str, Bools]) -> Ints:
    """YYMMDD -> epoch milliseconds of that midnight (years 70-99 are 19xx)."""
    ok = _mask(pc.match_substring_regex(dates, r"^\d{6}$"))
    digits = np.asarray(pc.if_else(pa.array(ok), dates, "700101").cast(pa.int64()), np.int64)
    yy, mm, dd = digits // 10_000, digits // 100 % 100, digits % 100
    year = np.where(yy >= 70, 1900 + yy, 2000 + yy)
    months = (year - 1970) * 12 + np.clip(mm, 1, 12) - 1
    first = months.astype("datetime64[M]").astype("datetime64[D]").astype(np.int64)
    length = (months + 1).astype("datetime64[M]").astype("datetime64[D]").astype(np.int64) - first
    ok &= (mm >= 1) & (mm <= 12) & (dd >= 1) & (dd <= length)
    problems["date: not a date YYMMDD"] = ~ok
    return np.asarray((first + dd - 1) * 86_400_000, dtype=np.int64)


def _reasons(raw: pa.Table, problems: dict[str, Bools]) -> pa.Array:
    """One text per row naming what could not be read (null for clean rows)."""
    column_of = {p: p.split(":")[0] for p in problems}
    any_problem = np.zeros(raw.num_rows, dtype=bool)
    for mask in problems.values():
        any_problem |= mask
    reasons: list[str | None] = [None] * raw.num_rows
    # Only rows with problems are touched in Python; the real file has none.
    for row in np.flatnonzero(any_problem):
        found = [
            f"{problem}: {raw[column_of[problem]][int(row)].as_py()!r}"
            for problem, mask in problems.items()
            if mask[row]
        ]
        reasons[int(row)] = "; ".join(found)
    return pa.array(reasons, pa.string())


def _mask(values: pa.Array) -> Bools:
    return np.asarray(pc.fill_null(values, False).to_numpy(zero_copy_only=False), dtype=np.bool_)


ADAPTOR = Adaptor(
    name="anonymous-bank",
    source="calls",
    options=("branch",),
    read=read,
    description="Anonymous Bank call-center TSV (Mandelbaum et al., 1999) as calls",
)
