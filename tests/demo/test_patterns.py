"""The demo month has the rhythms of a real operator, not uniform noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from sqm.org.core.province import PROVINCE

from .conftest import Generated

DISTRICT = {h.code: h.district.value for h in PROVINCE.halls}


def _frame(tiny: Generated, source: str, columns: list[str]) -> pd.DataFrame:
    return tiny.read(source).select(columns).to_pandas()


def test_calls_jump_after_the_bill_date(tiny: Generated) -> None:
    calls = _frame(tiny, "calls", ["arrived_at"])
    per_day = calls.groupby(calls.arrived_at.dt.day).size()
    mid_month = per_day.loc[10:25].median()
    assert per_day.loc[1:3].mean() > 1.6 * mid_month
    assert per_day.idxmax() <= 3


def test_hall_visits_jump_after_the_bill_date(tiny: Generated) -> None:
    visits = _frame(tiny, "hall_visits", ["hall_id", "arrived_at"])
    visits["day"] = visits.arrived_at.dt.day
    weekday = visits[visits.arrived_at.dt.day_of_week < 5]  # compare weekdays with weekdays
    per_day = weekday.groupby("day").size()
    assert per_day.loc[1:5].mean() > 1.2 * per_day.loc[10:25].median()


def test_night_is_far_quieter_than_day_with_two_humps(tiny: Generated) -> None:
    calls = _frame(tiny, "calls", ["arrived_at"])
    hourly = calls.groupby(calls.arrived_at.dt.hour).size().reindex(range(24), fill_value=0)
    night = hourly.loc[1:5].mean()
    assert night < 0.1 * hourly.loc[9:11].mean()
    assert hourly.loc[10] > hourly.loc[12] < hourly.loc[15]  # morning and afternoon humps
    assert hourly.loc[19:20].mean() > hourly.loc[22:23].mean()  # evening shoulder


def test_residential_and_business_halls_peak_at_different_times(tiny: Generated) -> None:
    visits = _frame(tiny, "hall_visits", ["hall_id", "arrived_at"])
    visits["district"] = visits.hall_id.map(DISTRICT)
    visits["weekend"] = visits.arrived_at.dt.day_of_week >= 5
    hour = visits.arrived_at.dt.hour
    visits["office"] = ~visits.weekend & hour.between(9, 16)
    visits["evening"] = ~visits.weekend & hour.between(18, 20)
    share = visits.groupby("district")[["weekend", "office", "evening"]].mean()
    assert share.loc["residential", "weekend"] > 2 * share.loc["business", "weekend"]
    assert share.loc["business", "office"] > 1.3 * share.loc["residential", "office"]
    assert share.loc["residential", "evening"] > 3 * share.loc["business", "evening"]


def test_vip_callers_abandon_less_than_ordinary_ones(tiny: Generated) -> None:
    """Priority and patience at data level (the tiny centre has one or two agents, so its
    waits are mostly residual talk time; the DES tests check waits under load)."""
    calls = _frame(tiny, "calls", ["tier", "queued_at", "abandoned_at"])
    queued = calls.dropna(subset=["queued_at"])
    abandoned = queued.abandoned_at.notna().groupby(queued.tier.isin(["diamond", "gold", "silver"]))
    rate = abandoned.mean()
    assert rate[True] < rate[False]


def test_first_contact_resolution_is_measurable(tiny: Generated) -> None:
    calls = _frame(tiny, "calls", ["customer_id", "topic", "arrived_at", "answered_at"])
    calls = calls.dropna(subset=["customer_id"]).sort_values("arrived_at")
    nxt = calls.groupby(["customer_id", "topic"]).arrived_at.shift(-1)
    answered = calls.answered_at.notna() & (calls.arrived_at.dt.day <= 28)
    repeated = (nxt - calls.arrived_at) <= pd.Timedelta(hours=48)
    fcr = 1 - repeated[answered].mean()
    assert 0.85 <= fcr <= 0.95


def test_ivr_serves_some_and_sends_long_answers_by_sms(tiny: Generated) -> None:
    calls = _frame(tiny, "calls", ["ivr_self_served", "wanted_agent", "sms_answer", "ivr_path"])
    assert 0.25 < calls.ivr_self_served.mean() < 0.6
    assert 0.35 < calls.wanted_agent.mean() < 0.75
    assert calls.sms_answer.sum() > 0 and not (calls.sms_answer & ~calls.ivr_self_served).any()
    assert calls.ivr_path.str.fullmatch(r"(\d(>\d)*)?").all()


def test_hangup_surveys_link_to_calls_and_track_waits(tiny: Generated) -> None:
    calls = _frame(
        tiny, "calls", ["call_id", "survey_offered", "survey_score", "queued_at", "answered_at"]
    )
    surveys = _frame(tiny, "surveys", ["kind", "contact_id", "perception"])
    hangup = surveys[surveys.kind == "hangup"]
    assert hangup.contact_id.isin(calls.call_id).all()
    offered = calls[calls.survey_offered]
    assert 0.28 < offered.survey_score.notna().mean() < 0.42
    rated = offered.dropna(subset=["survey_score"])
    wait = (rated.answered_at - rated.queued_at).dt.total_seconds()
    assert wait[rated.survey_score <= 2].mean() > wait[rated.survey_score == 5].mean()


def test_customer_snapshot(tiny: Generated) -> None:
    customers = tiny.read("customers").to_pandas()
    shares = customers.tier.value_counts(normalize=True)
    for tier in PROVINCE.tiers:
        assert abs(shares[tier.code] - tier.customer_share) < 0.25 * tier.customer_share + 0.005
    assert customers.phone.str.fullmatch(r"1[358]\d{9}").all()
    assert customers.phone.is_unique and customers.customer_id.is_unique
    assert (customers.billing_cycle == 1).all()
    vip = customers.tier.isin(["diamond", "gold", "silver"])
    assert (
        customers.has_manager[vip].mean() > 0.95
        and not customers.has_manager[customers.tier == "ordinary"].any()
    )
    assert 0.72 < customers.manager_contacted[customers.has_manager].mean() < 0.88
    assert 0.05 < customers.churned_in_quarter[vip].mean() < 0.10
    weights = {b.code: b.customer_weight for b in PROVINCE.branches}
    branch = customers.branch.value_counts(normalize=True)
    assert max(abs(branch[code] - w) for code, w in weights.items()) < 0.02


def test_complaint_rate_and_money_promises(tiny: Generated) -> None:
    complaints = tiny.read("complaints").to_pandas()
    per_10k = len(complaints) / tiny.report.rows["customers"] * 10_000
    assert 10 <= per_10k <= 80  # ~19 a month plus the planted bursts at this small scale
    billing_errors = complaints[complaints.subcategory == "收费误差"]
    if len(billing_errors):
        assert (billing_errors.refund <= 2 * billing_errors.overcharge + 1e-9).all()
    assert complaints.first_reply_at.notna().all()
    late = (complaints.first_reply_at - complaints.created_at) > pd.Timedelta(hours=48)
    assert late.mean() < 0.15
    assert np.isin(complaints.level, ["ordinary", "escalated", "appeal"]).all()
