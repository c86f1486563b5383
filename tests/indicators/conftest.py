"""One event store of hand-built rows, shared by the engine tests (built once per run)."""

from __future__ import annotations

import pytest

from sqm.events.core.store import EventStore
from tests.indicators.factory import Row, build_events, write_store


@pytest.fixture(scope="session")
def events() -> dict[str, list[Row]]:
    return build_events()


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, events: dict[str, list[Row]]) -> EventStore:
    return write_store(tmp_path_factory.mktemp("events"), events)
