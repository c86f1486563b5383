"""Business-hall queue tickets: arrivals by district pattern, counters staffed per half-hour,
and the ticket queue of each hall-day run through the shared DES (VIP tickets first).

Patterns follow VP speech 2010: residential halls are busy after work and at weekends, business-
district halls in office hours on weekdays (and closed on Sundays); payments swell in the days
after the bill date and at month end. Waits, walk-aways and the "challenge 10 minutes" figure
are consequences of those arrivals against the counters opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from sqm.demo.core import columns as col
from sqm.demo.core.context import Context
from sqm.demo.core.incidents import Incident
from sqm.demo.core.month import (
    BILL_BUMP,
    SLOT_S,
    SLOTS,
    bill_profile,
    month_end_profile,
    sample_seconds,
)
from sqm.demo.core.scales import HALL_VISITS_PER_COUNTER_DAY
from sqm.events.core.schemas import HALL_VISITS
from sqm.org.core.province import DistrictType, Hall
from sqm.planning.core.erlang import staff_intervals
from sqm.planning.core.simulation import StaffingPlan, simulate_queue

SERVICE_TYPES = ("payment", "business", "inquiry", "handset", "complaint", "card")
SERVICE_MIX = np.array([0.35, 0.25, 0.15, 0.08, 0.05, 0.12])
SERVICE_MEDIAN_MIN = np.array([2.5, 9.0, 4.0, 13.0, 11.0, 6.0])
SERVICE_SIGMA = 0.5
PATIENCE_MEDIAN_MIN = (35.0, 25.0)  # VIP, others
PATIENCE_SIGMA = 0.6
TARGET_WAIT_S = 600.0  # "challenge 10 minutes" (VP speech 2010, quality system course 2013)
BILL_AMPLITUDE = 0.35
NON_CUSTOMER_CARD = 0.4  # card buyers who are not (yet) customers
EVALUATOR_P = 0.55  # press a button on the counter's evaluator
SMS_SURVEY_P = 0.08


@dataclass(frozen=True, slots=True)
class Pattern:
    hours: tuple[float, float]  # opening hours on weekdays
    weekend_hours: tuple[float, float]
    weekday: tuple[float, ...]  # 24 hourly weights
    weekend: tuple[float, ...]
    volume: tuple[float, float, float]  # weekday, Saturday, Sunday


def _h(**peaks: float) -> tuple[float, ...]:
    """24 hourly weights: 1.0 everywhere, ``hNN=value`` overrides."""
    values = [1.0] * 24
    for key, value in peaks.items():
        values[int(key[1:])] = value
    return tuple(values)


PATTERNS: dict[DistrictType, Pattern] = {
    DistrictType.RESIDENTIAL: Pattern(
        (9, 21),
        (9, 21),
        _h(
            h9=0.5,
            h10=0.6,
            h11=0.6,
            h12=0.7,
            h13=0.6,
            h14=0.6,
            h15=0.6,
            h16=0.8,
            h17=1.6,
            h18=2.0,
            h19=1.9,
            h20=1.2,
        ),
        _h(h9=0.9, h10=1.4, h11=1.4, h12=1.1, h13=1.2, h14=1.4, h15=1.4, h16=1.3, h19=1.1),
        (0.8, 1.45, 1.35),
    ),
    DistrictType.BUSINESS: Pattern(
        (8.5, 18),
        (10, 16),
        _h(h8=0.6, h9=1.1, h10=1.6, h11=1.5, h12=1.8, h13=1.5, h14=1.4, h15=1.3, h16=1.0, h17=0.6),
        _h(),
        (1.3, 0.35, 0.0),
    ),
    DistrictType.MIXED: Pattern(
        (8.5, 20),
        (9, 20),
        _h(h8=0.5, h9=0.9, h10=1.2, h11=1.1, h12=1.2, h13=1.0, h14=1.0, h17=1.2, h18=1.3, h19=0.9),
        _h(h9=0.8, h10=1.3, h11=1.3, h14=1.3, h15=1.3, h18=0.8, h19=0.6),
        (1.0, 1.1, 1.0),
    ),
    DistrictType.CAMPUS: Pattern(
        (9, 20),
        (10, 19),
        _h(
            h9=0.5,
            h10=0.6,
            h11=1.3,
            h12=1.8,
            h13=0.8,
            h14=0.6,
            h15=0.6,
            h16=0.8,
            h17=1.7,
            h18=1.8,
            h19=1.2,
        ),
        _h(),
        (1.0, 0.75, 0.7),
    ),
    DistrictType.RURAL: Pattern(
        (8, 17.5),
        (8, 17.5),
        _h(h8=1.6, h9=1.9, h10=1.8, h11=1.2, h12=0.6, h13=0.6, h14=0.7, h15=0.7, h16=0.5, h17=0.3),
        _h(h8=1.8, h9=2.0, h10=1.8, h11=1.2, h12=0.6, h13=0.5, h14=0.5, h15=0.5, h16=0.4),
        (0.95, 1.05, 1.05),
    ),
}


def slot_weights(hall: Hall, day: date) -> NDArray[np.float64]:
    """Arrival weights over the 48 half-hours (zero while closed)."""
    pattern = PATTERNS[hall.district]
    weekend = day.weekday() >= 5
    hourly = np.repeat(np.asarray(pattern.weekend if weekend else pattern.weekday), 2)
    open_h, close_h = pattern.weekend_hours if weekend else pattern.hours
    slot_start = np.arange(SLOTS) / 2
    is_open = (slot_start >= open_h) & (slot_start < close_h)
    return np.asarray(hourly * is_open, dtype=np.float64)


def day_volume(ctx: Context, hall: Hall, day: date, bill_catch: float = 1.0) -> float:
    """Expected tickets at ``hall`` on ``day``."""
    pattern = PATTERNS[hall.district]
    weekday = day.weekday()
    volume = pattern.volume[0 if weekday < 5 else 1 if weekday == 5 else 2]
    surge = BILL_AMPLITUDE * payment_surge(ctx, day)
    personality = float(np.exp(ctx.rng("hall-size", None, _hall_number(hall)).normal(0, 0.15)))
    return (
        hall.counters
        * HALL_VISITS_PER_COUNTER_DAY
        * volume
        * personality
        * (1 + bill_catch * surge)
    )


def payment_surge(ctx: Context, day: date) -> float:
    """Relative extra payment demand on ``day``: the bill bump of each cycle, weighted by the
    cycle's customers (1.5 on the first bill day of a single-cycle province), plus month end."""
    pop = ctx.population
    d = ctx.month.day_index(day)
    share = np.array([c.size for c in pop.by_cycle], dtype=np.float64)
    share /= max(share.sum(), 1.0)
    bill = sum(
        float(s) * float(bill_profile(ctx.month, c)[d])
        for s, c in zip(share, pop.cycle_days, strict=True)
    )
    return len(BILL_BUMP) * bill + float(month_end_profile(ctx.month)[d])


def _hall_number(hall: Hall) -> int:
    return int(sum(ord(c) * 31**i for i, c in enumerate(hall.code)) % 1_000_003)


def counters_plan(ctx: Context, hall: Hall, day: date, understaffed: bool) -> StaffingPlan:
    """Counters open per half-hour: enough for 80% within 10 minutes on a forecast that
    catches half of the payment surge, never more than the hall has."""
    weights = slot_weights(hall, day)
    if weights.sum() == 0:
        return StaffingPlan(np.zeros(SLOTS, np.int64), SLOT_S)
    forecast = day_volume(ctx, hall, day, bill_catch=0.5) * weights / weights.sum()
    mean_service = (
        float((SERVICE_MIX * SERVICE_MEDIAN_MIN).sum()) * 60 * np.exp(SERVICE_SIGMA**2 / 2)
    )
    need = staff_intervals(forecast / SLOT_S, mean_service, 0.8, TARGET_WAIT_S, min_agents=1)
    need = np.where(weights > 0, np.minimum(need, hall.counters), 0)
    if understaffed:
        need = np.where(need > 0, np.maximum(1, need // 2), 0)
    # Tickets taken before closing are still served: counters stay for an hour after.
    last = int(np.flatnonzero(weights)[-1])
    need[last + 1 : last + 3] = need[last]
    return StaffingPlan(need.astype(np.int64), SLOT_S)


@dataclass(frozen=True, slots=True)
class HallsDay:
    table: pa.Table
    survey_visit_ids: pa.Array
    survey_customer: NDArray[np.int32]
    survey_at_ms: NDArray[np.int64]
    survey_wait_min: NDArray[np.float64]


def generate_hall_visits(ctx: Context, day: date) -> HallsDay:
    tables: list[pa.Table] = []
    surveys: list[tuple[pa.Array, NDArray[np.int32], NDArray[np.int64], NDArray[np.float64]]] = []
    seq = 0
    incidents = ctx.plan.on("understaffed_hall", day)
    for number, hall in enumerate(ctx.halls):
        incident = next((i for i in incidents if i.hall == hall.code), None)
        rng = ctx.rng("halls", day, number)
        table, survey = _hall_day(ctx, hall, day, rng, seq, incident)
        seq += table.num_rows
        tables.append(table)
        surveys.append(survey)
    ids = pa.concat_arrays([s[0] for s in surveys]) if surveys else pa.array([], pa.string())
    return HallsDay(
        pa.concat_tables(tables) if tables else HALL_VISITS.schema.empty_table(),
        ids,
        np.concatenate([s[1] for s in surveys]) if surveys else np.empty(0, np.int32),
        np.concatenate([s[2] for s in surveys]) if surveys else np.empty(0, np.int64),
        np.concatenate([s[3] for s in surveys]) if surveys else np.empty(0),
    )


def _hall_day(
    ctx: Context,
    hall: Hall,
    day: date,
    rng: np.random.Generator,
    seq: int,
    incident: Incident | None,
) -> tuple[pa.Table, tuple[pa.Array, NDArray[np.int32], NDArray[np.int64], NDArray[np.float64]]]:
    pop = ctx.population
    weights = slot_weights(hall, day)
    n = int(rng.poisson(day_volume(ctx, hall, day))) if weights.sum() > 0 else 0
    arrival = np.sort(sample_seconds(rng, n, weights)) if n else np.empty(0)
    mix = SERVICE_MIX.copy()
    mix[0] += 0.25 * payment_surge(ctx, day)  # the extra visitors on bill days come to pay
    service_type = rng.choice(len(SERVICE_TYPES), n, p=mix / mix.sum())
    customer = pop.pick(rng, pop.by_branch[ctx.branch_index(hall.branch)], n)
    walk_in = (service_type == SERVICE_TYPES.index("card")) & (rng.random(n) < NON_CUSTOMER_CARD)
    tier = np.where(walk_in, 4, pop.tier[customer]).astype(np.int64)
    vip = tier <= 2
    service_s = SERVICE_MEDIAN_MIN[service_type] * 60 * np.exp(rng.normal(0, SERVICE_SIGMA, n))
    walk_s = rng.uniform(10, 60, n)
    patience = np.where(vip, PATIENCE_MEDIAN_MIN[0], PATIENCE_MEDIAN_MIN[1]) * 60
    patience = patience * np.exp(rng.normal(0, PATIENCE_SIGMA, n))
    plan = counters_plan(ctx, hall, day, understaffed=incident is not None)
    outcome = simulate_queue(
        arrival, (~vip).astype(np.int64), walk_s + service_s + 15.0, patience, plan
    )
    called = outcome.answered_s
    served = outcome.answered
    wait_min = np.where(served, called - arrival, outcome.abandoned_s - arrival) / 60
    counter = outcome.agent + 1
    shift = (called >= 14 * 3600).astype(np.int64)
    base = ctx.day_base_ms(day)
    ids = col.fixed_ids("HV", ctx.day_key(day) * 10_000_000 + seq + np.arange(n), 15)
    evaluator = served & (rng.random(n) < EVALUATOR_P)
    score = np.clip(np.rint(4.4 - 0.04 * wait_min + rng.normal(0, 0.7, n)), 1, 5)
    table = pa.Table.from_arrays(
        [
            ids,
            col.constant(hall.code, n),
            col.constant(hall.branch, n),
            col.labels(tier, pop.tier_codes),
            col.customer_ids(customer, null=walk_in),
            col.labels(service_type, SERVICE_TYPES),
            col.timestamps(col.seconds_to_ms(base, arrival)),
            col.timestamps(col.seconds_to_ms(base, called), null=~served),
            col.timestamps(col.seconds_to_ms(base, called + walk_s), null=~served),
            col.timestamps(col.seconds_to_ms(base, called + walk_s + service_s), null=~served),
            col.bools(~served),
            col.ints(np.maximum(counter, 0), pa.int16(), null=~served),
            col.fixed_ids(f"{hall.code}-S", counter + 20 * shift, 2, null=~served),
            col.ints(score, pa.int8(), null=~evaluator),
        ],
        schema=HALL_VISITS.schema,
    )
    if incident is not None:
        ctx.ledger.add(incident, "visits", n)
        ctx.ledger.add(incident, "visits_waiting_over_10_min", int((wait_min > 10).sum()))
        ctx.ledger.add(incident, "walk_aways", int((~served).sum()))
    surveyed = served & ~walk_in & (rng.random(n) < SMS_SURVEY_P)
    finished_ms = col.seconds_to_ms(base, called + walk_s + service_s + rng.uniform(3600, 10800, n))
    return table, (
        ids.filter(pa.array(surveyed)),
        customer[surveyed],
        finished_ms[surveyed],
        wait_min[surveyed],
    )
