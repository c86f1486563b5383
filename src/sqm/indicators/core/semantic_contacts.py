"""Semantic models of the contact sources: hotline calls and hall queue tickets.

Each filter is written so that it is never null (a null comparison would silently drop a row
from a FILTER clause on one engine and count it as false on another): flags go through
``is_true`` and every comparison on a nullable timestamp checks ``notnull()`` first.
"""

from __future__ import annotations

from datetime import timedelta

import ibis
import ibis.expr.types as ir

from sqm.events.core.schemas import SOURCES
from sqm.indicators.core.semantic import (
    Described,
    SemanticModel,
    WindowStage,
    is_true,
    seconds_between,
    within,
)
from sqm.indicators.core.semantic import derived_column as _d
from sqm.indicators.core.semantic import named_filter as _f

FIRST_CONTACT_WINDOW = timedelta(hours=48)
CALLBACK_WINDOW = timedelta(hours=24)


# -- calls -------------------------------------------------------------------------------
def _call_windows(t: ir.Table) -> ir.Table:
    # call_id breaks ties so that two calls of one customer in the same millisecond still
    # have a defined order (and the same one on every engine).
    order = [t.arrived_at, t.call_id]
    by_customer = ibis.window(group_by=t.customer_id, order_by=order)
    later_calls = ibis.window(group_by=t.customer_id, order_by=order, following=(1, None))
    return t.mutate(
        next_arrival_at=t.arrived_at.lead().over(by_customer),
        next_answered_at=t.answered_at.min().over(later_calls),
    )


def _missed(t: ir.Table) -> ir.BooleanValue:
    return (
        t.queued_at.notnull()
        & t.answered_at.isnull()
        & t.abandoned_at.notnull()
        & t.customer_id.notnull()
    )


CALLS = SemanticModel(
    source=SOURCES["calls"],
    grain_zh="一次热线来电",
    grain_en="one hotline call",
    dimensions={"branch": "branch", "tier": "tier", "agent": "agent_id", "factor": "topic"},
    base_filter=_f(
        "not_excluded",
        lambda t: ~is_true(t.excluded),
        "剔除标记为 excluded 的来电(测试呼叫、幻影呼叫)",
        "calls flagged excluded (test and phantom calls) are left out of every figure",
    ),
    window=WindowStage(
        columns=(
            Described(
                "next_arrival_at",
                "timestamp",
                "同一客户下一次来电的到达时间",
                "arrival time of the same customer's next call",
            ),
            Described(
                "next_answered_at",
                "timestamp",
                "同一客户之后来电中最早的人工接起时间",
                "earliest agent answer among the same customer's later calls",
            ),
        ),
        apply=_call_windows,
        lookahead=max(FIRST_CONTACT_WINDOW, CALLBACK_WINDOW),
    ),
    derived=(
        _d(
            "wait_s",
            "numeric",
            "排队等待秒数 = 接起时刻 − 进入人工队列时刻(仅已接起)",
            "seconds waited = answered_at − queued_at (answered calls only)",
            lambda t: seconds_between(t.answered_at, t.queued_at),
        ),
        _d(
            "handle_s",
            "numeric",
            "通话处理秒数 = 结束时刻 − 接起时刻",
            "handling seconds = ended_at − answered_at",
            lambda t: seconds_between(t.ended_at, t.answered_at),
        ),
        _d(
            "handle_h",
            "numeric",
            "通话处理小时数 = handle_s ÷ 3600",
            "handling hours = handle_s ÷ 3600",
            lambda t: t.handle_s / 3600.0,
        ),
        _d(
            "queue_s",
            "numeric",
            "在队列中的秒数 = (接起或放弃时刻) − 进入队列时刻",
            "seconds in the agent queue = (answered_at or abandoned_at) − queued_at",
            lambda t: seconds_between(ibis.coalesce(t.answered_at, t.abandoned_at), t.queued_at),
        ),
        _d(
            "agent_hour",
            "string",
            "坐席 + 接起所在整点小时(有接起即视为该小时在岗)",
            "agent + clock hour of the answer (an agent answering in an hour was staffed then)",
            lambda t: t.agent_id.concat("@", t.answered_at.truncate("h").cast("string")),
        ),
        _d(
            "repeat_within_48h",
            "boolean",
            "48小时内重复来电:同一(已识别)客户的下一次来电在本次到达后48小时内",
            "repeat within 48 h: the same identified customer's next call arrives within 48 h "
            "of this call's arrival",
            lambda t: (
                t.customer_id.notnull()
                & within(t.next_arrival_at, t.arrived_at, FIRST_CONTACT_WINDOW)
            ),
        ),
    ),
    filters=(
        _f("queued", lambda t: t.queued_at.notnull(), "进入人工队列", "entered the agent queue"),
        _f("answered", lambda t: t.answered_at.notnull(), "被坐席接起", "answered by an agent"),
        _f(
            "abandoned",
            lambda t: t.queued_at.notnull() & t.answered_at.isnull() & t.abandoned_at.notnull(),
            "在队列中放弃(进入队列、未接起、有放弃时刻)",
            "abandoned in the queue (queued, never answered, abandoned_at set)",
        ),
        _f(
            "answered_within_15s",
            lambda t: (
                t.queued_at.notnull() & within(t.answered_at, t.queued_at, timedelta(seconds=15))
            ),
            "进入队列后15秒内(含15秒)接起",
            "answered within 15 s (inclusive) of entering the queue",
        ),
        _f(
            "answered_within_20s",
            lambda t: (
                t.queued_at.notnull() & within(t.answered_at, t.queued_at, timedelta(seconds=20))
            ),
            "进入队列后20秒内(含20秒)接起",
            "answered within 20 s (inclusive) of entering the queue",
        ),
        _f(
            "wanted_agent",
            lambda t: is_true(t.wanted_agent),
            "在IVR中要求转人工",
            "asked the IVR for an agent",
        ),
        _f(
            "ivr_self_served",
            lambda t: is_true(t.ivr_self_served),
            "在IVR自助完成",
            "completed in IVR self-service",
        ),
        _f(
            "sms_answer",
            lambda t: is_true(t.sms_answer),
            "答复以短信下发",
            "the answer was sent by SMS",
        ),
        _f(
            "survey_offered",
            lambda t: is_true(t.survey_offered),
            "挂机后邀请评价",
            "offered the hang-up survey",
        ),
        _f("surveyed", lambda t: t.survey_score.notnull(), "有挂机评价分", "gave a hang-up score"),
        _f(
            "satisfied",
            lambda t: t.survey_score.notnull() & (t.survey_score >= 4),
            "挂机评价4或5分(满意)",
            "hang-up score 4 or 5 (satisfied)",
        ),
        _f(
            "known_customer", lambda t: t.customer_id.notnull(), "客户已识别", "customer identified"
        ),
        _f(
            "no_repeat_within_48h",
            lambda t: ~t.repeat_within_48h,
            "48小时内无重复来电",
            "no repeat call within 48 h",
        ),
        _f(
            "missed",
            _missed,
            "未接来电:已识别客户在队列中放弃",
            "missed call: an identified customer abandoned in the queue",
        ),
        _f(
            "missed_returned",
            lambda t: _missed(t) & within(t.next_answered_at, t.abandoned_at, CALLBACK_WINDOW),
            "未接来电在放弃后24小时内与该客户接通(回呼或客户再来电被接起)",
            "missed call followed within 24 h of the abandonment by an answered call with the "
            "same customer (our callback or the customer's own retry)",
        ),
    ),
)


# -- hall visits --------------------------------------------------------------------------
def _hall_queue(t: ir.Table) -> ir.Table:
    """Queue length by running sum: +1 at each arrival, −1 when the ticket leaves the queue.

    One scan: every visit is unnested into its two events, a RANGE window sums the steps of
    each hall up to and including the current instant (so simultaneous events are all in),
    and only the arrival events are kept — one row per visit again, with the queue length.
    """
    leaves_queue = ibis.coalesce(t.called_at, t.finished_at, t.arrived_at)
    events = ibis.array(
        [
            ibis.struct({"at": t.arrived_at, "step": ibis.literal(1, "int8")}),
            ibis.struct({"at": leaves_queue, "step": ibis.literal(-1, "int8")}),
        ]
    )
    e = t.mutate(queue_event=events).unnest("queue_event")
    hall_until_now = ibis.window(group_by=e.hall_id, order_by=e.queue_event["at"], range=(None, 0))
    e = e.mutate(queue_len_after_arrival=e.queue_event["step"].sum().over(hall_until_now))
    return e.filter(e.queue_event["step"] == 1).drop("queue_event")


HALL_VISITS = SemanticModel(
    source=SOURCES["hall_visits"],
    grain_zh="营业厅一张排队票",
    grain_en="one queue ticket at a hall",
    dimensions={"branch": "branch", "hall": "hall_id", "tier": "tier", "agent": "staff_id"},
    window=WindowStage(
        columns=(
            Described(
                "queue_len_after_arrival",
                "numeric",
                "本票取号时刻厅内正在排队的票数(到达 ≤ t < 离队;离队 = 叫号,无叫号取结束时刻,"
                "都无则视为未占位)",
                "tickets waiting in the hall at this ticket's arrival t (arrived ≤ t < left the "
                "queue; leaving = called_at, else finished_at, else the ticket never held a place)",
            ),
        ),
        apply=_hall_queue,
        lookback=timedelta(days=1),  # people already waiting when the period starts
    ),
    derived=(
        _d(
            "wait_min",
            "numeric",
            "等候分钟 = 叫号时刻 − 取号时刻",
            "minutes waited = called_at − arrived_at",
            lambda t: seconds_between(t.called_at, t.arrived_at) / 60.0,
        ),
        _d(
            "service_min",
            "numeric",
            "办理分钟 = 结束时刻 − 开始办理时刻",
            "service minutes = finished_at − served_at",
            lambda t: seconds_between(t.finished_at, t.served_at) / 60.0,
        ),
        _d(
            "service_h",
            "numeric",
            "办理小时 = service_min ÷ 60",
            "service hours = service_min ÷ 60",
            lambda t: t.service_min / 60.0,
        ),
        _d(
            "counter_hour",
            "string",
            "营业厅 + 柜台 + 开始办理所在整点小时",
            "hall + counter + clock hour in which service started",
            lambda t: t.hall_id.concat(
                "#", t.counter.cast("string"), "@", t.served_at.truncate("h").cast("string")
            ),
        ),
    ),
    filters=(
        _f("called", lambda t: t.called_at.notnull(), "已叫号", "called to a counter"),
        _f(
            "called_within_10min",
            lambda t: within(t.called_at, t.arrived_at, timedelta(minutes=10)),
            "取号后10分钟内(含)叫号",
            "called within 10 minutes (inclusive) of taking the ticket",
        ),
        _f("walked_away", lambda t: is_true(t.left_unserved), "未办理离开", "left unserved"),
        _f("surveyed", lambda t: t.survey_score.notnull(), "有评价分", "gave a score"),
        _f(
            "satisfied",
            lambda t: t.survey_score.notnull() & (t.survey_score >= 4),
            "评价4或5分",
            "score 4 or 5",
        ),
    ),
)
