"""Survey answers: hang-up surveys after calls, SMS surveys after hall visits, and the periodic
satisfaction study scoring the 19 factors for us and two competitors (the quality system
course 2013's 12,000-sample study; the Unicom conference 2010's competitor comparison).

In the study, satisfaction ("overall") is driven by the factors' perceptions with known
weights, so driver analysis can recover them; respondents differ in how generous they are, so
their answers correlate, as real ones do.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from sqm.demo.core import columns as col
from sqm.demo.core.calls import CallsDay
from sqm.demo.core.context import Context
from sqm.demo.core.halls import HallsDay
from sqm.demo.core.month import sample_seconds, window_weights
from sqm.events.core.schemas import SURVEYS
from sqm.org.core.factors import FACTORS

OPERATORS = ("us", "competitor_a", "competitor_b")
OPERATOR_MIX = np.array([0.5, 0.3, 0.2])
STUDY_DAYS = (5, 20)  # fielded between these days of the month
# Our perception (1–10) by factor, in FACTORS order; competitors differ by group.
US_PERCEPTION = np.array([8.1, 8.3, 7.2, 7.0, 6.4, 7.1, 7.0, 7.3, 7.4, 7.8, 7.9, 8.0, 8.2,
                          7.0, 7.7, 7.5, 7.6, 8.2, 7.1])  # fmt: skip
COMPETITOR_DELTA = {
    "competitor_a": {"network": -0.4, "business": 0.3, "service": -0.1},
    "competitor_b": {"network": -0.7, "business": 0.5, "service": -0.5},
}
DRIVER_WEIGHTS = np.array([0.12, 0.07, 0.12, 0.08, 0.10, 0.04, 0.04, 0.01, 0.02, 0.07, 0.04,
                           0.03, 0.05, 0.04, 0.06, 0.05, 0.03, 0.03, 0.02])  # fmt: skip
DRIVER_WEIGHTS = DRIVER_WEIGHTS / DRIVER_WEIGHTS.sum()


def _base_table(n: int, **columns: pa.Array) -> pa.Table:
    arrays = [columns.get(f.name, pa.nulls(n, f.type)) for f in SURVEYS.schema]
    return pa.Table.from_arrays(arrays, schema=SURVEYS.schema)


def hangup_surveys(ctx: Context, calls: CallsDay) -> pa.Table:
    pop = ctx.population
    customer = calls.survey_customer
    has = customer >= 0
    safe = np.maximum(customer, 0)
    n = int(customer.size)
    score = calls.survey_score.astype(np.float64) * 2
    return _base_table(
        n,
        response_id=pc.binary_join_element_wise(
            pa.scalar("SH"), pc.utf8_slice_codeunits(calls.survey_call_ids, 2), ""
        ),
        kind=col.constant("hangup", n),
        at=col.timestamps(calls.survey_at_ms),
        customer_id=col.customer_ids(safe, null=~has),
        branch=col.labels(
            np.where(has, pop.branch[safe], ctx.branch_index("NJ")), pop.branch_codes
        ),
        tier=col.labels(np.where(has, pop.tier[safe], 4), pop.tier_codes),
        channel=col.constant("hotline", n),
        contact_id=calls.survey_call_ids,
        operator=col.constant("us", n),
        factor=col.constant("hotline", n),  # rates the hotline, whatever the call was about
        perception=col.floats(score),
        overall=col.floats(score),
    )


def hall_surveys(ctx: Context, day: date, halls: HallsDay) -> pa.Table:
    pop = ctx.population
    rng = ctx.rng("hall-surveys", day)
    n = int(halls.survey_customer.size)
    perception = np.clip(np.rint(8.6 - 0.08 * halls.survey_wait_min + rng.normal(0, 1.1, n)), 1, 10)
    overall = np.clip(np.round(perception + rng.normal(0, 0.6, n), 1), 1, 10)
    customer = halls.survey_customer
    return _base_table(
        n,
        response_id=pc.binary_join_element_wise(
            pa.scalar("SL"), pc.utf8_slice_codeunits(halls.survey_visit_ids, 2), ""
        ),
        kind=col.constant("hall", n),
        at=col.timestamps(halls.survey_at_ms),
        customer_id=col.customer_ids(customer),
        branch=col.labels(pop.branch[customer], pop.branch_codes),
        tier=col.labels(pop.tier[customer], pop.tier_codes),
        channel=col.constant("hall", n),
        contact_id=halls.survey_visit_ids,
        operator=col.constant("us", n),
        factor=col.constant("business_hall", n),
        perception=col.floats(perception),
        overall=col.floats(overall),
    )


def study_surveys(ctx: Context, day: date) -> pa.Table:
    """The rows of the month's satisfaction study answered on ``day`` (19 per respondent)."""
    pop = ctx.population
    rng = ctx.rng("study")  # the whole study is drawn at once, then cut by day
    r = ctx.scale.study_respondents
    first, last = STUDY_DAYS[0], min(STUDY_DAYS[1], ctx.month.ndays)
    answered_day = rng.integers(first, last + 1, r)
    operator = rng.choice(3, r, p=OPERATOR_MIX)
    branch_weights = np.array([b.customer_weight for b in ctx.province.branches])
    branch = rng.choice(len(branch_weights), r, p=branch_weights / branch_weights.sum())
    customer = np.where(operator == 0, pop.pick(rng, pop.eligible, r), -1)
    branch = np.where(customer >= 0, pop.branch[np.maximum(customer, 0)], branch)
    generosity = rng.normal(0, 0.7, r)
    factors = len(FACTORS)
    mean = np.tile(US_PERCEPTION, (3, 1))
    for k, name in enumerate(OPERATORS[1:], start=1):
        for f, spec in enumerate(FACTORS):
            mean[k, f] += COMPETITOR_DELTA[name][spec.group.value]
    perception = mean[operator] + generosity[:, None] + rng.normal(0, 1.0, (r, factors))
    for incident in ctx.plan.of_kind("network_outage"):
        hit = (branch == ctx.branch_index(incident.branch or "")) & (operator == 0)
        hit &= answered_day >= incident.start.day
        for code in ("coverage", "mobile_internet"):
            perception[hit, [f.code for f in FACTORS].index(code)] -= 0.8
    perception = np.clip(np.rint(perception), 1, 10)
    expectation = np.clip(
        np.rint(8.6 + 0.4 * generosity[:, None] + rng.normal(0, 0.8, (r, factors))), 1, 10
    )
    overall = np.clip(
        np.round(perception @ DRIVER_WEIGHTS + 0.25 + rng.normal(0, 0.45, r), 1), 1, 10
    )
    time_s = sample_seconds(rng, r, window_weights(np.ones(48), 9 * 3600, 21 * 3600))
    today = np.flatnonzero(answered_day == day.day)
    m = int(today.size)
    rows = np.repeat(today, factors)
    factor = np.tile(np.arange(factors), m)
    has = customer[rows] >= 0
    at = col.seconds_to_ms(ctx.day_base_ms(day), time_s[rows] + factor * 20.0)
    return _base_table(
        m * factors,
        response_id=col.fixed_ids("SS", ctx.month.number * 100_000_000 + rows * 100 + factor, 14),
        kind=col.constant("study", m * factors),
        at=col.timestamps(at),
        customer_id=col.customer_ids(np.maximum(customer[rows], 0), null=~has),
        branch=col.labels(branch[rows], pop.branch_codes),
        tier=col.labels(pop.tier[np.maximum(customer[rows], 0)], pop.tier_codes, null=~has),
        operator=col.labels(operator[rows], OPERATORS),
        factor=col.labels(factor, [f.code for f in FACTORS]),
        expectation=col.floats(expectation[rows, factor]),
        perception=col.floats(perception[rows, factor]),
        overall=col.floats(overall[rows]),
    )
