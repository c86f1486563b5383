"""One pyarrow schema per event source, with the rules that make a row valid.

Timestamps are naive wall-clock times of the province (Asia/Shanghai): a day partition is a
local day, and DuckDB and Spark read the same values without time-zone conversion.
A source is declared once here; validation, the store, the generator and the indicator engine
all read these declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

TS = pa.timestamp("ms")


@dataclass(frozen=True, slots=True)
class Source:
    name: str
    schema: pa.Schema
    key: tuple[str, ...]  # columns whose values identify a row: re-ingest adds nothing
    time_column: str  # decides the day partition
    required: tuple[str, ...]
    # column -> reference set it must belong to ("branch", "hall", "tier", "channel", "factor")
    references: dict[str, str] = field(default_factory=dict)
    # column -> allowed values
    choices: dict[str, frozenset[str]] = field(default_factory=dict)
    # column -> inclusive (low, high)
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    # (earlier, later): when both are present, later >= earlier
    time_order: tuple[tuple[str, str], ...] = ()
    description_zh: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(self.schema.names)


def _schema(*fields: tuple[str, pa.DataType]) -> pa.Schema:
    return pa.schema([pa.field(n, t) for n, t in fields])


CUSTOMERS = Source(
    name="customers",
    schema=_schema(
        ("customer_id", pa.string()),
        ("snapshot_at", TS),
        ("branch", pa.string()),
        ("tier", pa.string()),
        ("segment", pa.string()),
        ("billing_cycle", pa.int8()),
        ("status", pa.string()),
        ("joined_at", TS),
        ("phone", pa.string()),
        ("has_manager", pa.bool_()),
        ("manager_contacted", pa.bool_()),
        ("churned_in_quarter", pa.bool_()),
    ),
    key=("customer_id", "snapshot_at"),
    time_column="snapshot_at",
    required=("customer_id", "snapshot_at", "branch", "tier", "status"),
    references={"branch": "branch", "tier": "tier"},
    choices={
        "status": frozenset({"active", "suspended", "closed"}),
        "segment": frozenset({"individual", "family", "youth", "senior", "business", "group"}),
    },
    ranges={"billing_cycle": (1, 28)},
    time_order=(("joined_at", "snapshot_at"),),
    description_zh="客户月度快照",
)

CALLS = Source(
    name="calls",
    schema=_schema(
        ("call_id", pa.string()),
        ("customer_id", pa.string()),
        ("tier", pa.string()),
        ("branch", pa.string()),
        ("arrived_at", TS),
        ("ivr_path", pa.string()),
        ("ivr_s", pa.float64()),
        ("ivr_self_served", pa.bool_()),
        ("wanted_agent", pa.bool_()),
        ("queued_at", TS),
        ("answered_at", TS),
        ("abandoned_at", TS),
        ("ended_at", TS),
        ("agent_id", pa.string()),
        ("topic", pa.string()),
        ("sms_answer", pa.bool_()),
        ("survey_offered", pa.bool_()),
        ("survey_score", pa.int8()),
        ("excluded", pa.bool_()),
    ),
    key=("call_id",),
    time_column="arrived_at",
    required=("call_id", "tier", "branch", "arrived_at", "ended_at"),
    references={"branch": "branch", "tier": "tier", "topic": "factor"},
    ranges={"ivr_s": (0, 86_400), "survey_score": (1, 5)},
    time_order=(
        ("arrived_at", "queued_at"),
        ("queued_at", "answered_at"),
        ("queued_at", "abandoned_at"),
        ("arrived_at", "ended_at"),
        ("answered_at", "ended_at"),
    ),
    description_zh="热线来电",
)

HALL_VISITS = Source(
    name="hall_visits",
    schema=_schema(
        ("visit_id", pa.string()),
        ("hall_id", pa.string()),
        ("branch", pa.string()),
        ("tier", pa.string()),
        ("customer_id", pa.string()),
        ("service_type", pa.string()),
        ("arrived_at", TS),
        ("called_at", TS),
        ("served_at", TS),
        ("finished_at", TS),
        ("left_unserved", pa.bool_()),
        ("counter", pa.int16()),
        ("staff_id", pa.string()),
        ("survey_score", pa.int8()),
    ),
    key=("visit_id",),
    time_column="arrived_at",
    required=("visit_id", "hall_id", "branch", "tier", "arrived_at", "left_unserved"),
    references={"branch": "branch", "hall_id": "hall", "tier": "tier"},
    choices={
        "service_type": frozenset(
            {"payment", "business", "inquiry", "handset", "complaint", "card"}
        )
    },
    ranges={"survey_score": (1, 5)},
    time_order=(
        ("arrived_at", "called_at"),
        ("called_at", "served_at"),
        ("served_at", "finished_at"),
    ),
    description_zh="营业厅排队取号",
)

COMPLAINTS = Source(
    name="complaints",
    schema=_schema(
        ("complaint_id", pa.string()),
        ("customer_id", pa.string()),
        ("branch", pa.string()),
        ("tier", pa.string()),
        ("channel", pa.string()),
        ("category", pa.string()),
        ("subcategory", pa.string()),
        ("level", pa.string()),
        ("severity", pa.string()),
        ("department", pa.string()),
        ("created_at", TS),
        ("first_reply_at", TS),
        ("deadline_at", TS),
        ("resolved_at", TS),
        ("closed_at", TS),
        ("repeat_of", pa.string()),
        ("resolved", pa.bool_()),
        ("confirmed", pa.bool_()),
        ("satisfaction", pa.int8()),
        ("overcharge", pa.float64()),
        ("refund", pa.float64()),
        ("description", pa.string()),
    ),
    key=("complaint_id",),
    time_column="created_at",
    required=("complaint_id", "branch", "channel", "category", "level", "created_at"),
    references={"branch": "branch", "tier": "tier", "channel": "channel", "category": "factor"},
    choices={
        "level": frozenset({"ordinary", "escalated", "appeal"}),
        "severity": frozenset({"low", "medium", "high", "critical"}),
    },
    ranges={"satisfaction": (1, 5), "overcharge": (0, 1e7), "refund": (0, 1e7)},
    time_order=(
        ("created_at", "first_reply_at"),
        ("created_at", "resolved_at"),
        ("resolved_at", "closed_at"),
        ("created_at", "closed_at"),
    ),
    description_zh="投诉工单快照",
)

SURVEYS = Source(
    name="surveys",
    schema=_schema(
        ("response_id", pa.string()),
        ("kind", pa.string()),
        ("at", TS),
        ("customer_id", pa.string()),
        ("branch", pa.string()),
        ("tier", pa.string()),
        ("channel", pa.string()),
        ("contact_id", pa.string()),
        ("operator", pa.string()),
        ("factor", pa.string()),
        ("expectation", pa.float64()),
        ("perception", pa.float64()),
        ("overall", pa.float64()),
    ),
    key=("response_id",),
    time_column="at",
    required=("response_id", "kind", "at", "operator"),
    references={"branch": "branch", "tier": "tier", "channel": "channel", "factor": "factor"},
    choices={
        "kind": frozenset({"hangup", "hall", "study", "web", "sms"}),
        "operator": frozenset({"us", "competitor_a", "competitor_b"}),
    },
    ranges={"expectation": (1, 10), "perception": (1, 10), "overall": (1, 10)},
    description_zh="满意度调查答卷",
)

REMINDERS = Source(
    name="reminders",
    schema=_schema(
        ("reminder_id", pa.string()),
        ("customer_id", pa.string()),
        ("branch", pa.string()),
        ("kind", pa.string()),
        ("due_at", TS),
        ("sent_at", TS),
        ("delivered_at", TS),
        ("accurate", pa.bool_()),
        ("suspended_at", TS),
    ),
    key=("reminder_id",),
    time_column="due_at",
    required=("reminder_id", "customer_id", "branch", "kind", "due_at"),
    references={"branch": "branch"},
    choices={"kind": frozenset({"bill", "pre_suspension", "data_usage", "balance", "vas_charge"})},
    time_order=(("sent_at", "delivered_at"),),
    description_zh="服务提醒",
)

RECHARGES = Source(
    name="recharges",
    schema=_schema(
        ("txn_id", pa.string()),
        ("customer_id", pa.string()),
        ("branch", pa.string()),
        ("channel", pa.string()),
        ("at", TS),
        ("amount", pa.float64()),
        ("success", pa.bool_()),
        ("was_suspended", pa.bool_()),
        ("reconnected_at", TS),
    ),
    key=("txn_id",),
    time_column="at",
    required=("txn_id", "customer_id", "branch", "channel", "at", "success"),
    references={"branch": "branch", "channel": "channel"},
    ranges={"amount": (0, 100_000)},
    time_order=(("at", "reconnected_at"),),
    description_zh="充值缴费",
)

ECHANNEL = Source(
    name="echannel",
    schema=_schema(
        ("request_id", pa.string()),
        ("channel", pa.string()),
        ("operation", pa.string()),
        ("at", TS),
        ("branch", pa.string()),
        ("customer_id", pa.string()),
        ("success", pa.bool_()),
        ("latency_ms", pa.int32()),
    ),
    key=("request_id",),
    time_column="at",
    required=("request_id", "channel", "operation", "at", "success"),
    references={"branch": "branch", "channel": "channel"},
    ranges={"latency_ms": (0, 600_000)},
    description_zh="电子渠道请求(含可用性拨测 operation=probe)",
)

INSPECTIONS = Source(
    name="inspections",
    schema=_schema(
        ("inspection_id", pa.string()),
        ("kind", pa.string()),
        ("unit", pa.string()),
        ("branch", pa.string()),
        ("at", TS),
        ("items", pa.int16()),
        ("errors", pa.int16()),
        ("score", pa.float64()),
        ("inspector", pa.string()),
    ),
    key=("inspection_id",),
    time_column="at",
    required=("inspection_id", "kind", "unit", "branch", "at", "score"),
    references={"branch": "branch"},
    choices={
        "kind": frozenset({"mystery_shopper", "open_check", "real_customer", "qa_monitoring"})
    },
    ranges={"score": (0, 100), "items": (0, 1000), "errors": (0, 1000)},
    description_zh="检查与质检(神秘顾客、明查、真实体验、录音质检)",
)

SMS_REPORTS = Source(
    name="sms_reports",
    schema=_schema(
        ("report_id", pa.string()),
        ("reporter", pa.string()),
        ("sender", pa.string()),
        ("at", TS),
        ("branch", pa.string()),
        ("origin", pa.string()),
        ("text", pa.string()),
    ),
    key=("report_id",),
    time_column="at",
    required=("report_id", "sender", "at", "text"),
    references={"branch": "branch"},
    choices={"origin": frozenset({"customer_report", "gateway_sample"})},
    description_zh="垃圾短信举报与网关样本",
)

SOURCES: dict[str, Source] = {
    s.name: s
    for s in (
        CUSTOMERS,
        CALLS,
        HALL_VISITS,
        COMPLAINTS,
        SURVEYS,
        REMINDERS,
        RECHARGES,
        ECHANNEL,
        INSPECTIONS,
        SMS_REPORTS,
    )
}


class UnknownSourceError(KeyError):
    def __str__(self) -> str:
        return f"unknown source {self.args[0]!r}; known sources: {', '.join(SOURCES)}"


def get_source(name: str) -> Source:
    try:
        return SOURCES[name]
    except KeyError:
        raise UnknownSourceError(name) from None
