"""The snapshot of work orders into the complaints event source: what a row says, that a day
is replaced atomically and idempotently, and that the indicator engine reads it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from sqm.complaints import services
from sqm.complaints.exchange import export
from sqm.events.core.schemas import COMPLAINTS
from sqm.events.core.store import EventStore
from tests.complaints.conftest import MakeOrder, at

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 2)


@pytest.fixture
def store(data_dir: Path) -> EventStore:
    return EventStore(data_dir)


def _rows(store: EventStore) -> dict[str, dict[str, Any]]:
    return {r["complaint_id"]: r for r in store.read("complaints").to_pylist()}


def test_a_work_order_becomes_one_row_of_the_complaints_source(
    store: EventStore, make_order: MakeOrder, people: Any
) -> None:
    handler = people["handler_a"]
    wo = make_order(category="bills.overcharge", tier="gold", severity="high")
    services.transition(handler, wo.number, "acknowledge", at=at(2, 11))
    services.record_refund(handler, wo.number, kind="double_refund", overcharge=12, amount=24)
    services.transition(handler, wo.number, "resolve", at=at(2, 15))
    services.confirm_closure(handler, wo.number, satisfaction=4, confirmed=True, at=at(3, 9))
    run = export.export_days(store, [DAY])
    assert (run.rows, run.rejected, run.kept) == (1, 0, 0)
    row = _rows(store)[wo.number]
    assert row == {
        "complaint_id": wo.number,
        "customer_id": wo.customer_id,
        "branch": "NJ",
        "tier": "gold",
        "channel": "hotline",
        "category": "bills",
        "subcategory": "收费误差",
        "level": "ordinary",
        "severity": "high",
        "department": "finance",
        "created_at": datetime(2026, 3, 2, 10, 0),  # local wall-clock time
        "first_reply_at": datetime(2026, 3, 2, 11, 0),
        "deadline_at": datetime(2026, 3, 3, 17, 0),  # 16 working hours
        "resolved_at": datetime(2026, 3, 2, 15, 0),
        "closed_at": datetime(2026, 3, 3, 9, 0),
        "repeat_of": None,
        "resolved": True,
        "confirmed": True,
        "satisfaction": 4,
        "overcharge": 12.0,
        "refund": 24.0,
        "description": wo.description,
    }


def test_a_vas_refund_first_is_no_overcharge_and_a_reversed_refund_no_refund(
    store: EventStore, make_order: MakeOrder, people: Any
) -> None:
    handler = people["handler_a"]
    vas = make_order(category="bills.vas_dispute")
    services.record_refund(handler, vas.number, kind="refund_first", overcharge=10, amount=10)
    taken_back = make_order(category="bills.vas_dispute")
    refund = services.record_refund(
        handler, taken_back.number, kind="refund_first", overcharge=5, amount=5
    )
    services.reverse_refund(handler, refund.pk, evidence="订购记录显示客户本人确认订购")
    export.export_days(store, [DAY])
    rows = _rows(store)
    assert (rows[vas.number]["overcharge"], rows[vas.number]["refund"]) == (None, 10.0)
    assert rows[taken_back.number]["refund"] is None


def test_repeats_appeals_and_open_work_orders_are_exported_as_they_stand(
    store: EventStore, make_order: MakeOrder
) -> None:
    first = make_order(customer_id="C-X")
    repeat = make_order(customer_id="C-X", created_at=at(2, 16))
    appeal = make_order(channel="regulator")
    export.export_days(store, [DAY])
    rows = _rows(store)
    assert rows[repeat.number]["repeat_of"] == first.number
    assert rows[appeal.number]["level"] == "appeal"
    assert rows[appeal.number]["deadline_at"] == datetime(2026, 4, 1, 10, 0)
    assert rows[first.number]["resolved"] is False and rows[first.number]["closed_at"] is None


def test_exporting_a_day_twice_gives_the_same_partition(
    store: EventStore, make_order: MakeOrder, people: Any
) -> None:
    wo = make_order()
    export.export_days(store, [DAY])
    services.transition(people["handler_a"], wo.number, "acknowledge", at=at(2, 11))
    export.export_days(store, [DAY])
    again = export.export_days(store, [DAY])
    table = store.read("complaints")
    assert table.num_rows == 1 and again.rows == 1
    assert _rows(store)[wo.number]["first_reply_at"] == datetime(2026, 3, 2, 11, 0)
    assert len(store.files("complaints", DAY)) == 1


def test_other_producers_rows_in_the_partition_are_kept(
    store: EventStore, make_order: MakeOrder
) -> None:
    synthetic = pa.Table.from_pylist(
        [
            {
                "complaint_id": "CP000000000000001",
                "branch": "WX",
                "channel": "hotline",
                "category": "coverage",
                "level": "ordinary",
                "created_at": datetime(2026, 3, 2, 9, 0),
            }
        ],
        schema=COMPLAINTS.schema,
    )
    store.append(COMPLAINTS, synthetic)
    wo = make_order()
    run = export.export_days(store, [DAY])
    assert run.kept == 1
    assert set(_rows(store)) == {"CP000000000000001", wo.number}


def test_the_nightly_export_takes_the_days_that_changed(
    store: EventStore, make_order: MakeOrder, people: Any
) -> None:
    old = make_order(created_at=at(2))
    make_order(created_at=at(3))
    assert export.all_days() == [date(2026, 3, 2), date(2026, 3, 3)]
    run = export.export_nightly(store)  # everything was just written
    assert run.days == (date(2026, 3, 2), date(2026, 3, 3))
    later = datetime.now().astimezone() + export.NIGHTLY_LOOKBACK
    assert export.export_nightly(store, now=later).days == ()
    assert export.days_changed_since(at(1)) == [date(2026, 3, 2), date(2026, 3, 3)]
    assert old.number in _rows(store)


def test_the_indicator_engine_computes_complaint_indicators_from_the_export(
    store: EventStore, make_order: MakeOrder, people: Any
) -> None:
    from sqm.indicators.core.catalog import load_catalog
    from sqm.indicators.core.engine import compute

    handler = people["handler_a"]
    replied = make_order()
    services.transition(handler, replied.number, "acknowledge", at=at(2, 12))
    make_order()  # never replied
    services.escalate(people["manager_a"], make_order().number, reason="媒体曝光")
    export.export_days(store, [DAY])
    catalog = load_catalog()
    wanted = {"complaints_count", "complaint_first_reply_48h_rate", "complaint_escalation_rate"}
    table = compute(store, catalog.only(wanted), "2026-03")
    values = {r["indicator"]: r["value"] for r in table.to_pylist()}
    assert values["complaints_count"] == 3
    assert values["complaint_first_reply_48h_rate"] == pytest.approx(100 / 3)
    assert values["complaint_escalation_rate"] == pytest.approx(100 / 3)
