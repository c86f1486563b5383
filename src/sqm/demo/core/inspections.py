"""Inspection forms: halls checked by mystery shoppers, open checks and real-customer
experience (R5.3), and QA monitoring of hotline agents' recorded calls (R4.4).

Each hall and agent has a stable quality level; a few agents are clearly weaker (the bottom
ranks that get retrained); the understaffed hall scores worse while its incident lasts.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from sqm.demo.core import columns as col
from sqm.demo.core import hotline
from sqm.demo.core.context import Context
from sqm.events.core.schemas import INSPECTIONS

HALL_VISITS_PER_MONTH = {"mystery_shopper": 2, "open_check": 1, "real_customer": 1}
HALL_ITEMS = 40
QA_FORMS_PER_AGENT = 8
QA_ITEMS = 100  # 5 recordings × 20 check points
HOTLINE_SITE = "NJ"  # the provincial customer-service centre


def generate_inspections(ctx: Context, day: date) -> pa.Table:
    rng = ctx.rng("inspections")  # the month's schedule is drawn once, then cut by day
    kinds: list[int] = []
    units: list[str] = []
    branches: list[str] = []
    errors: list[int] = []
    items: list[int] = []
    times: list[float] = []
    inspectors: list[str] = []
    kind_codes = ("mystery_shopper", "open_check", "real_customer", "qa_monitoring")
    hall_quality = rng.gamma(4.0, 0.5, len(ctx.halls))
    understaffed = {i.hall: i for i in ctx.plan.of_kind("understaffed_hall")}
    for h, hall in enumerate(ctx.halls):
        for kind, count in HALL_VISITS_PER_MONTH.items():
            days = rng.integers(1, ctx.month.ndays + 1, count)
            for visit, when in enumerate(days.tolist()):
                at = rng.uniform(10 * 3600, 17 * 3600)
                lam = hall_quality[h]
                incident = understaffed.get(hall.code)
                if incident is not None and incident.active_on(date(day.year, day.month, when)):
                    lam *= 2.5
                found = int(rng.poisson(lam))
                if when != day.day:
                    continue
                kinds.append(kind_codes.index(kind))
                units.append(hall.code)
                branches.append(hall.branch)
                errors.append(min(found, HALL_ITEMS))
                items.append(HALL_ITEMS)
                times.append(at)
                inspectors.append(f"{kind[:2].upper()}{(h * 7 + visit) % 40 + 1:03d}")
    agents = hotline.roster_size(ctx)
    agent_rate = np.where(rng.random(agents) < 0.1, 5.0, rng.gamma(3.0, 0.5, agents))
    for a in range(agents):
        days = rng.integers(1, ctx.month.ndays + 1, QA_FORMS_PER_AGENT)
        qa_errors = rng.poisson(agent_rate[a], QA_FORMS_PER_AGENT)
        qa_at = rng.uniform(9 * 3600, 18 * 3600, QA_FORMS_PER_AGENT)
        for k in np.flatnonzero(days == day.day).tolist():
            kinds.append(3)
            units.append(f"AG{a + 1:05d}")
            branches.append(HOTLINE_SITE)
            errors.append(int(qa_errors[k]))
            items.append(QA_ITEMS)
            times.append(float(qa_at[k]))
            inspectors.append(f"QA{a % 12 + 1:02d}")
    n = len(kinds)
    order = np.argsort(np.asarray(times), kind="stable")
    err = np.asarray(errors, dtype=np.int64)[order]
    itm = np.asarray(items, dtype=np.int64)[order]
    score = np.clip(100.0 - err * np.where(itm == HALL_ITEMS, 3.0, 1.5), 0, 100)
    ids = col.fixed_ids("IN", ctx.day_key(day) * 100_000 + np.arange(n), 13)
    return pa.Table.from_arrays(
        [
            ids,
            col.labels(np.asarray(kinds, dtype=np.int64)[order], kind_codes),
            pa.array([units[i] for i in order.tolist()], pa.string()),
            pa.array([branches[i] for i in order.tolist()], pa.string()),
            col.timestamps(col.seconds_to_ms(ctx.day_base_ms(day), np.asarray(times)[order])),
            col.ints(itm, pa.int16()),
            col.ints(err, pa.int16()),
            col.floats(score),
            pa.array([inspectors[i] for i in order.tolist()], pa.string()),
        ],
        schema=INSPECTIONS.schema,
    )
