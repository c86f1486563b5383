"""Sender behaviour and the documented risk formula."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import pytest

from sqm.spam.core.sender import (
    FLAG_RISK,
    SenderMessage,
    behaviour,
    risk_of,
    risk_terms,
    score_senders,
    template_share,
)

START = datetime(2026, 3, 2, 9, 0)


def _messages(
    sender: str, texts: list[str], p: float, *, reports: int = 0, hour: int = 9, branch: str = "NJ"
) -> list[SenderMessage]:
    return [
        SenderMessage(
            sender=sender,
            at=START.replace(hour=hour) + timedelta(days=i % 3, minutes=i),
            text=text,
            probability=p,
            origin="customer_report" if i < reports else "gateway_sample",
            reporter=f"1380000{i:04d}" if i < reports else None,
            branch=branch,
        )
        for i, text in enumerate(texts)
    ]


def test_one_template_with_different_fillers_counts_as_repetition() -> None:
    texts = [f"诚信代开发票,全国可查,保真,需要请联系1391234{i:04d}(王会计)" for i in range(5)]
    assert template_share(texts) == 1.0
    assert template_share(["妈,我这周末回家", "快递放在门卫了,记得去拿", "收到,谢谢!"]) == 0.0
    assert template_share(["只有一条"]) == 0.0


def test_behaviour_counts_reports_recipients_night_and_days() -> None:
    own = _messages("13900000001", ["a", "b", "c", "d"], 0.9, reports=2, hour=2)
    b = behaviour(own)
    assert (b.messages, b.reports, b.reporters, b.recipients) == (4, 2, 2, 2)
    assert b.night == 1.0 and b.active_days == 3
    assert b.volume == pytest.approx(4 / 3)
    assert b.text == pytest.approx(0.9)


def test_the_risk_is_the_documented_logistic_formula() -> None:
    b = behaviour(_messages("13900000001", ["x1", "y2"], 0.8, reports=1, hour=23))
    terms = risk_terms(b)
    z = (
        -2.0
        + 1.2 * math.log(0.8 / 0.2)
        + 0.9 * math.log(2)
        + 0.4 * math.log1p(b.volume)
        + 0.2 * math.log(2)
        + 1.0 * 1.0
        + 1.5 * b.template
    )
    assert sum(terms.values()) == pytest.approx(z)
    assert risk_of(terms) == pytest.approx(1 / (1 + math.exp(-z)))


def test_reports_and_repetition_raise_the_risk_of_a_borderline_sender() -> None:
    plain = score_senders(_messages("A", ["今天天气不错", "明天见"], 0.5))[0]
    reported = score_senders(_messages("B", ["今天天气不错", "明天见"], 0.5, reports=2))[0]
    templated = score_senders(
        _messages("C", [f"优惠活动第{i}期,回复T退订" for i in range(6)], 0.5, reports=2)
    )[0]
    assert plain.risk < reported.risk < templated.risk


def test_a_ham_sender_stays_below_the_flag_and_a_spammer_is_flagged() -> None:
    ham = score_senders(_messages("13900000002", ["晚上一起吃饭吗?", "好的"], 0.03, reports=1))
    spam = score_senders(
        _messages("10690001111", [f"无抵押贷款{i}万,当天放款" for i in range(8)], 0.95, reports=3)
    )
    assert not ham[0].flagged and ham[0].risk < 0.05
    assert spam[0].flagged and spam[0].risk > 0.99
    assert FLAG_RISK == 0.5


def test_senders_come_riskiest_first_with_their_usual_branch() -> None:
    messages = (
        _messages("A", ["x"], 0.2, branch="WX")
        + _messages("B", ["代开发票"] * 3, 0.99, reports=3, branch="NJ")
        + _messages("B", ["代开发票"], 0.99, branch="WX")
    )
    ranked = score_senders(messages)
    assert [r.sender for r in ranked] == ["B", "A"]
    assert ranked[0].branch == "NJ"
