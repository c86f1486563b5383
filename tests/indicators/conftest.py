"""Fixtures shared by the engine tests: one event store of hand-built rows (built once per run)
and, for the parity suite, the process's SparkSession (started once: Spark takes seconds)."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.events.core.store import EventStore
from tests.conftest import require
from tests.indicators.factory import Row, build_events, write_store


@pytest.fixture(scope="session")
def events() -> dict[str, list[Row]]:
    return build_events()


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, events: dict[str, list[Row]]) -> EventStore:
    return write_store(tmp_path_factory.mktemp("events"), events)


@pytest.fixture(scope="session")
def dashboard_computations(store: EventStore) -> list[tuple[tuple[str, ...], Any, float]]:
    """Every cut the dashboards read, for January 2024, computed once per run; tests that need
    figures in the database store these (``sqm.indicators.results.store``) in their own
    transaction."""
    from sqm.indicators.results import DASHBOARD_CUTS, compute_cut

    return [(by, *compute_cut(store.data_dir, "2024-01", by)) for by in DASHBOARD_CUTS]


@pytest.fixture
def stored_results(dashboard_computations: list[Any], reference: None) -> None:
    from sqm.indicators.results import store

    for by, computation, seconds in dashboard_computations:
        store("2024-01", by, "duckdb", computation, seconds)


@pytest.fixture(scope="session")
def spark() -> Any:
    """The process-wide SparkSession the engine's spark backend uses (local[2]).

    Skipped on a laptop without Java or pyspark; a failure in CI, where Spark must run.
    """
    from sqm.indicators.core.backends import spark_available, spark_session

    available, reason = spark_available()
    require(available, reason)
    return spark_session()
