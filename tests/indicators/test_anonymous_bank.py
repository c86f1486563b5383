"""Real data: the hotline indicators of the Anonymous Bank log (February 1999), two ways.

The engine reads the calls the ingest adaptor wrote; the plain-Python side reads the TSV
itself with the csv module and the data set's own documented fields (outcome, q_time,
ser_time), sharing no code with the adaptor or the engine.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest

from sqm.events.core.ingest import ingest_file
from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute
from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes
from tests.conftest import dataset

BANK = "callcenter_anonymous_bank/anonymous_bank_february_1999.tsv"
HOTLINE = {
    "hotline_offered",
    "hotline_queued",
    "hotline_answered",
    "hotline_abandon_rate",
    "hotline_service_level_15s",
    "hotline_service_level_20s",
    "hotline_asa_seconds",
    "hotline_aht_seconds",
}


def from_the_tsv(path: Path) -> dict[str, float]:
    """The definitions of docs/indicators.md applied to the TSV's own fields."""
    offered = queued = answered = abandoned = within_15 = within_20 = 0
    waited = handled = 0
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["outcome"] == "PHANTOM":  # excluded: not a real call
                continue
            offered += 1
            reached_queue = row["q_start"] != "0:00:00" or int(row["q_time"]) > 0
            if row["outcome"] == "AGENT":
                # Served straight away or after q_time seconds in the queue: either way the
                # call entered the agent queue.
                queued += 1
                answered += 1
                wait = int(row["q_time"])
                waited += wait
                handled += int(row["ser_time"])
                within_15 += wait <= 15
                within_20 += wait <= 20
            elif row["outcome"] == "HANG" and reached_queue:
                queued += 1
                abandoned += 1
    return {
        "hotline_offered": offered,
        "hotline_queued": queued,
        "hotline_answered": answered,
        "hotline_abandon_rate": 100 * abandoned / queued,
        "hotline_service_level_15s": 100 * within_15 / queued,
        "hotline_service_level_20s": 100 * within_20 / queued,
        "hotline_asa_seconds": waited / answered,
        "hotline_aht_seconds": handled / answered,
    }


@pytest.fixture(scope="module")
def figures(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, float]]:
    path = dataset(BANK)
    store = EventStore(tmp_path_factory.mktemp("bank"))
    codes = ReferenceCodes.from_province(PROVINCE)
    ingest_file(path, "calls", codes, store, "anonymous-bank", branch="NJ")
    table = compute(store, load_catalog().only(HOTLINE), "1999-02")
    engine = {r["indicator"]: r for r in table.to_pylist()}
    return engine, from_the_tsv(path)


def test_the_counts_match_the_tsv_exactly(figures: tuple[dict[str, Any], dict[str, float]]) -> None:
    engine, tsv = figures
    for name in ("hotline_offered", "hotline_queued", "hotline_answered"):
        assert engine[name]["value"] == tsv[name], name
    assert (tsv["hotline_offered"], tsv["hotline_queued"]) == (33_066, 31_125)


def test_abandonment_and_handling_time_match_the_tsv_exactly(
    figures: tuple[dict[str, Any], dict[str, float]],
) -> None:
    engine, tsv = figures
    for name in ("hotline_abandon_rate", "hotline_aht_seconds"):
        assert engine[name]["value"] == pytest.approx(tsv[name], rel=1e-12), name


def test_waiting_figures_match_the_tsv_exactly(
    figures: tuple[dict[str, Any], dict[str, float]],
) -> None:
    """Waits come from the log's own queue clock (q_start to q_exit = q_time)."""
    engine, tsv = figures
    for name in ("hotline_asa_seconds", "hotline_service_level_15s", "hotline_service_level_20s"):
        assert engine[name]["value"] == pytest.approx(tsv[name], rel=1e-12), name
