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
def spark() -> Any:
    """The process-wide SparkSession the engine's spark backend uses (local[2]).

    Skipped on a laptop without Java or pyspark; a failure in CI, where Spark must run.
    """
    from sqm.indicators.core.backends import spark_available, spark_session

    available, reason = spark_available()
    require(available, reason)
    return spark_session()
