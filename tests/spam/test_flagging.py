"""From the event store to the queue: reports and gateway samples scored by sender."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
from django.utils import timezone

from sqm.events.core.schemas import SOURCES
from sqm.events.core.store import EventStore
from sqm.spam import flagging, learning, services
from sqm.spam.models import SenderCase

pytestmark = pytest.mark.django_db
DAY = datetime(2026, 3, 2)
INVOICE = "您好!本公司长期代开各类发票,税点低,可验证后付款,联系{}经理1391234{:04d}"
LOAN = "无抵押信用贷款,最高{}万,当天放款,详询1380000{:04d}"
HAM = ("晚上一起吃饭吗?我7点下班", "快递放在门卫了,记得去拿", "会议改到明天上午9点,请准时参加")


def _row(i: int, sender: str, at: datetime, text: str, **fields: Any) -> dict[str, Any]:
    return {
        "report_id": f"SR{i:06d}",
        "reporter": fields.get("reporter"),
        "sender": sender,
        "at": at,
        "branch": fields.get("branch", "NJ"),
        "origin": fields.get("origin", "gateway_sample"),
        "text": text,
    }


def _store(data_dir: Path) -> EventStore:
    rows = []
    # A spammer reported by six customers, at night, over two days.
    for i in range(6):
        at = DAY + timedelta(days=i % 2, hours=1, minutes=i)
        rows.append(
            _row(
                i,
                "13912345678",
                at,
                INVOICE.format("王李张刘陈杨"[i], i),
                origin="customer_report",
                reporter=f"1370000{i:04d}",
            )
        )
    # An enterprise port sending loan adverts, seen by the gateway in Wuxi.
    for i in range(5):
        rows.append(
            _row(
                100 + i,
                "10690001111",
                DAY + timedelta(hours=10, minutes=i),
                LOAN.format(10 + i, i),
                branch="WX",
            )
        )
    # A group customer's number that also advertises.
    for i in range(3):
        rows.append(
            _row(
                200 + i,
                "13600000000",
                DAY + timedelta(hours=14, minutes=i),
                INVOICE.format("赵", i),
            )
        )
    # Ordinary customers texting each other.
    for i in range(30):
        rows.append(
            _row(300 + i, f"1350000{i:04d}", DAY + timedelta(hours=9, minutes=i), HAM[i % 3])
        )
    # Last month's spam from another number: outside the window below.
    rows.append(_row(900, "13999999999", DAY - timedelta(days=30), INVOICE.format("钱", 1)))
    store = EventStore(data_dir)
    spec = SOURCES["sms_reports"]
    store.append(spec, pa.Table.from_pylist(rows, schema=spec.schema))
    customers = SOURCES["customers"]
    blank = dict.fromkeys(customers.columns)
    store.append(
        customers,
        pa.Table.from_pylist(
            [
                {
                    **blank,
                    "customer_id": "C1",
                    "snapshot_at": DAY,
                    "branch": "NJ",
                    "tier": "group",
                    "status": "active",
                    "phone": "13600000000",
                }
            ],
            schema=customers.schema,
        ),
    )
    return store


def test_flagging_opens_cases_for_the_spammers_only(
    data_dir: Path, version: Any, small_model: Any
) -> None:
    store = _store(data_dir)
    since = timezone.make_aware(DAY - timedelta(days=1))
    run = flagging.flag(store, version, small_model, since=since)
    assert run.rows == 44 and run.senders == 33
    cases = {c.sender: c for c in SenderCase.objects.all()}
    assert set(cases) == {"13912345678", "10690001111", "13600000000"}
    assert len(run.result.opened) == 3
    spammer = cases["13912345678"]
    assert spammer.branch.code == "NJ" and not spammer.high_impact
    assert spammer.evidence["behaviour"]["reporters"] == 6
    assert spammer.evidence["behaviour"]["night"] == 1.0
    assert spammer.evidence["behaviour"]["template"] == 1.0
    assert {m["reporter"] for m in spammer.evidence["messages"]} <= {
        f"137****{i:04d}" for i in range(6)
    }
    assert len(spammer.evidence["messages"]) <= flagging.EVIDENCE_TOP + flagging.EVIDENCE_LATEST
    assert cases["10690001111"].impact_reason == "enterprise_port"
    assert cases["10690001111"].branch.code == "WX"
    assert cases["13600000000"].impact_reason == "tier:group"
    assert cases["13600000000"].required_confirmations == 2
    assert all(c.status == "flagged" and c.model_version == version for c in cases.values())
    assert spammer.risk > cases["13600000000"].risk  # reports and night sending add risk

    again = flagging.flag(store, version, small_model, since=since)
    assert again.result.opened == [] and SenderCase.objects.count() == 3


def test_reviewer_decisions_become_labelled_messages(
    data_dir: Path, version: Any, small_model: Any, people: dict[str, Any]
) -> None:
    flagging.flag(_store(data_dir), version, small_model)
    cases = {c.sender: c for c in SenderCase.objects.all()}
    services.review_case(cases["13912345678"].pk, people["spam_reviewer"], "confirm")
    services.review_case(cases["10690001111"].pk, people["spam_reviewer"], "reject")
    examples = learning.reviewed_examples()
    by_label = {
        label: {
            t
            for t, lab in zip(examples.texts, examples.labels.tolist(), strict=True)
            if lab == label
        }
        for label in (0, 1)
    }
    assert by_label[1] == {m["text"] for m in cases["13912345678"].evidence["messages"]}
    assert by_label[0] == {m["text"] for m in cases["10690001111"].evidence["messages"]}
    # Open cases teach nothing yet.
    assert not any("赵经理" in t for t in examples.texts)
