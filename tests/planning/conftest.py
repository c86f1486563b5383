"""One tiny demo month for the planning tests, generated once per session (≈3 s), and the
events read back with plain pyarrow + pandas: the independent recount the planners' figures
are checked against (never through ``sqm.planning.core.sources``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from sqm.demo.core.generator import generate_month
from sqm.events.core.store import EventStore
from sqm.planning.core import hotline, sources

MONTH = "2026-11"  # 1 November 2026 is a Sunday; the month has 30 days
SEED = 7


@dataclass(frozen=True)
class Month:
    data_dir: Path
    store: EventStore

    def frame(self, source: str) -> pd.DataFrame:
        """Every stored row of ``source``, read straight from the Parquet files."""
        files = sorted((self.data_dir / "events" / source).glob("day=*/*.parquet"))
        assert files, f"the generator wrote no {source}"
        rows: pd.DataFrame = pd.concat(
            [pq.read_table(f).to_pandas() for f in files], ignore_index=True
        )
        return rows

    @property
    def first_day(self) -> date:
        return date(2026, 11, 1)

    @property
    def last_day(self) -> date:
        return date(2026, 11, 30)

    @property
    def next_day(self) -> date:
        return self.last_day + timedelta(days=1)


@pytest.fixture(scope="session")
def month(tmp_path_factory: pytest.TempPathFactory) -> Month:
    data_dir = tmp_path_factory.mktemp("planning-tiny")
    generate_month(data_dir, scale="tiny", month=MONTH, seed=SEED)
    return Month(data_dir, EventStore(data_dir))


@pytest.fixture(scope="session")
def calls_frame(month: Month) -> pd.DataFrame:
    return month.frame("calls")


@pytest.fixture(scope="session")
def visits_frame(month: Month) -> pd.DataFrame:
    return month.frame("hall_visits")


@pytest.fixture(scope="session")
def customers_frame(month: Month) -> pd.DataFrame:
    return month.frame("customers")


@pytest.fixture(scope="session")
def history(month: Month) -> sources.CallHistory:
    """The whole month of queued calls."""
    return sources.call_history(month.store, sources.Window(month.first_day, month.last_day))


@pytest.fixture(scope="session")
def week_plan(history: sources.CallHistory, month: Month) -> hotline.Payload:
    """The hotline plan of the week after the month, default targets (≈1.5 s)."""
    return hotline.plan_hotline(history, month.next_day, 7)


@pytest.fixture
def empty_store(tmp_path: Path) -> EventStore:
    return EventStore(tmp_path / "empty")
