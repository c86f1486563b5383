"""Generation as a whole: valid rows, deterministic, idempotent, and the R6 billing option."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from sqm.demo.core.generator import generate_month
from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.events.core.validation import validate_typed
from sqm.org.core.province import PROVINCE
from sqm.org.core.reference import ReferenceCodes

from .conftest import MONTH, SEED, Generated


def _sorted(table: pa.Table, key: tuple[str, ...]) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in key])


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_generated_row_validates(tiny: Generated, source: str) -> None:
    table = tiny.read(source)
    assert table.num_rows > 0
    result = validate_typed(table, SOURCES[source], ReferenceCodes.from_province(PROVINCE))
    reasons = result.bad.column("_reason").to_pylist()[:5] if result.bad.num_rows else []
    assert result.bad.num_rows == 0, reasons
    assert result.good.num_rows == table.num_rows


def test_keys_are_unique_and_every_day_is_written(tiny: Generated) -> None:
    for name, source in SOURCES.items():
        table = tiny.read(name)
        keys = table.select(list(source.key)).to_pandas()
        assert not keys.duplicated().any(), name
        days = tiny.store.days(name)
        assert len(days) == (1 if name == "customers" else 31), name


def test_report_counts_match_the_store(tiny: Generated) -> None:
    for name in SOURCES:
        assert tiny.report.rows[name] == tiny.store.summary(name).rows
    assert tiny.report.total_events == sum(tiny.report.rows.values())
    assert tiny.report.total_events > 50_000


def test_same_seed_same_data_and_rerun_replaces(tiny: Generated, tmp_path: Path) -> None:
    """Determinism (a second directory) and idempotence (the same directory again)."""
    again = generate_month(tmp_path, scale="tiny", month=MONTH, seed=SEED)
    assert again.rows == tiny.report.rows
    other = EventStore(tmp_path)
    for name, source in SOURCES.items():
        assert _sorted(other.read(name), source.key).equals(_sorted(tiny.read(name), source.key)), (
            name
        )
    manifest = again.manifest.read_text(encoding="utf-8")
    assert manifest == tiny.report.manifest.read_text(encoding="utf-8")
    rerun = generate_month(tmp_path, scale="tiny", month=MONTH, seed=SEED)
    assert rerun.rows == again.rows
    for name in SOURCES:
        assert other.summary(name).rows == again.rows[name]
        assert all(len(other.files(name, day)) == 1 for day in other.days(name))


def test_another_seed_gives_other_data(tiny: Generated, tmp_path: Path) -> None:
    other = generate_month(tmp_path, scale="tiny", month=MONTH, seed=SEED + 1)
    assert other.rows["calls"] != tiny.report.rows["calls"]


def test_staggered_billing_cycles_flatten_the_peak(tiny: Generated, tmp_path: Path) -> None:
    """R6: four bill dates instead of one spread the calls over the month."""
    generate_month(tmp_path, scale="tiny", month=MONTH, seed=SEED, billing_cycles=4)
    staggered = EventStore(tmp_path)

    def peak_ratio(store: EventStore) -> float:
        calls = store.read("calls", ["arrived_at"]).to_pandas()
        per_day = calls.groupby(calls.arrived_at.dt.day).size()
        return float(per_day.max() / per_day.mean())

    assert peak_ratio(staggered) < 0.8 * peak_ratio(tiny.store)
    cycles = staggered.read("customers", ["billing_cycle"]).to_pandas().billing_cycle
    assert sorted(cycles.unique()) == [1, 8, 15, 22]
    bill = staggered.read("reminders").to_pandas()
    assert sorted(bill[bill.kind == "bill"].due_at.dt.day.unique()) == [1, 8, 15, 22]


def test_unknown_scale_and_bad_month_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown scale"):
        generate_month(tmp_path, scale="huge", month=MONTH)
    with pytest.raises(ValueError, match="YYYY-MM"):
        generate_month(tmp_path, scale="tiny", month="March")
