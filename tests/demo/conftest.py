"""One tiny demo month, generated once for the whole demo test module set (≈2 s)."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from sqm.demo.core.generator import GenerationReport, generate_month
from sqm.events.core.store import EventStore

MONTH = "2024-03"  # starts on a Friday: bill days 1–7 mix weekdays and a weekend
SEED = int(os.environ.get("SQM_DEMO_TEST_SEED", "2026"))  # try others for robustness


@dataclass(frozen=True)
class Generated:
    data_dir: Path
    report: GenerationReport
    store: EventStore
    manifest: dict[str, Any]

    def read(self, source: str) -> pa.Table:
        return self.store.read(source)

    def incident(self, kind: str) -> dict[str, Any]:
        return next(i for i in self.manifest["incidents"] if i["kind"] == kind)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    data_dir = tmp_path_factory.mktemp("demo-tiny")
    report = generate_month(data_dir, scale="tiny", month=MONTH, seed=SEED)
    manifest = json.loads(report.manifest.read_text(encoding="utf-8"))
    return Generated(data_dir, report, EventStore(data_dir), manifest)
