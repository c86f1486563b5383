"""Spam SMS reports from customers and samples from the SMS gateway.

Spam comes from a pool of sender numbers whose activity is heavy-tailed (a few senders draw
most reports), each running one campaign (invoices, loans, property, fake prizes, …). Gateway
samples are mostly ordinary messages with some spam mixed in. A planted spam sender draws a
burst of reports over three days.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pyarrow as pa

from sqm.demo.core import columns as col
from sqm.demo.core import spam_text
from sqm.demo.core.context import Context
from sqm.demo.core.month import SMS_PROFILE, sample_seconds, sample_window
from sqm.demo.core.scales import GATEWAY_SAMPLES_PER_CUSTOMER, SPAM_REPORTS_PER_CUSTOMER
from sqm.events.core.schemas import SMS_REPORTS

GATEWAY_SPAM_SHARE = 0.15
INCIDENT_SHARE = 0.08  # the planted sender's share of the month's reports (at least 25)


def _senders(ctx: Context) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The month's spam senders: numbers, report weights (Zipf-like) and campaigns."""
    rng = ctx.rng("spam-senders")
    expected = ctx.population.eligible.size * SPAM_REPORTS_PER_CUSTOMER
    count = max(40, int(expected / 6))
    mobile = rng.random(count) < 0.6
    numbers = []
    for is_mobile in mobile.tolist():
        if is_mobile:
            head = str(int(rng.choice([134, 135, 136, 137, 138, 139, 150, 151, 158, 159, 187])))
            numbers.append(head + "".join(str(int(d)) for d in rng.integers(0, 10, 8)))
        else:
            numbers.append("106" + "".join(str(int(d)) for d in rng.integers(0, 10, 9)))
    weights = 1.0 / np.arange(1, count + 1) ** 0.9
    rng.shuffle(weights)
    campaign = rng.integers(0, len(spam_text.CAMPAIGNS), count)
    return numbers, weights / weights.sum(), campaign


def generate_sms_reports(ctx: Context, day: date) -> pa.Table:
    pop = ctx.population
    rng = ctx.rng("sms", day)
    numbers, weights, campaigns = _senders(ctx)
    month_reports = pop.eligible.size * SPAM_REPORTS_PER_CUSTOMER
    n = int(rng.poisson(month_reports / ctx.month.ndays))
    sender = rng.choice(len(numbers), n, p=weights)
    times = sample_seconds(rng, n, SMS_PROFILE)
    reporter = pop.pick(rng, pop.eligible, n)
    senders = [numbers[s] for s in sender.tolist()]
    texts = spam_text.spam_texts(rng, campaigns[sender])
    for incident in ctx.plan.on("spam_sender", day):
        low, high, share = incident.day_share(day, lambda _: SMS_PROFILE)
        k = int(rng.poisson(max(25.0, INCIDENT_SHARE * month_reports) * share))
        times = np.concatenate([times, sample_window(rng, k, SMS_PROFILE, low, high)])
        reporter = np.concatenate([reporter, pop.pick(rng, pop.eligible, k)])
        senders += [incident.sender or ""] * k
        texts += spam_text.spam_texts(rng, np.full(k, spam_text.CAMPAIGNS.index("invoice")))
        ctx.ledger.add(incident, "reports", k)
    reports = int(reporter.size)
    # Gateway samples: mostly ordinary messages between customers, some spam.
    g = int(rng.poisson(pop.eligible.size * GATEWAY_SAMPLES_PER_CUSTOMER / ctx.month.ndays))
    spam = rng.random(g) < GATEWAY_SPAM_SHARE
    g_sender = rng.choice(len(numbers), g, p=weights)
    g_from = pop.pick(rng, pop.eligible, g)
    g_spam = spam_text.spam_texts(rng, campaigns[g_sender[spam]])
    g_ham = spam_text.ham_texts(rng, int((~spam).sum()))
    g_texts, spam_i, ham_i = [], iter(g_spam), iter(g_ham)
    for is_spam in spam.tolist():
        g_texts.append(next(spam_i) if is_spam else next(ham_i))
    g_senders = [
        numbers[s] if is_spam else f
        for s, is_spam, f in zip(
            g_sender.tolist(), spam.tolist(), col.phone_numbers(g_from).to_pylist(), strict=True
        )
    ]
    times = np.concatenate([times, sample_seconds(rng, g, SMS_PROFILE)])
    order = np.argsort(times, kind="stable")
    reporter_phone = col.phone_numbers(reporter).to_pylist() + [None] * g
    branch = np.concatenate([pop.branch[reporter], pop.branch[g_from]])
    origin = np.concatenate([np.zeros(reports, np.int64), np.ones(g, np.int64)])
    all_senders = senders + g_senders
    all_texts = texts + g_texts
    total = reports + g
    ids = col.fixed_ids("SR", ctx.day_key(day) * 10_000_000 + np.arange(total), 15)
    pick = order.tolist()
    return pa.Table.from_arrays(
        [
            ids,
            pa.array([reporter_phone[i] for i in pick], pa.string()),
            pa.array([all_senders[i] for i in pick], pa.string()),
            col.timestamps(col.seconds_to_ms(ctx.day_base_ms(day), times[order])),
            col.labels(branch[order], pop.branch_codes),
            col.labels(origin[order], ("customer_report", "gateway_sample")),
            pa.array([all_texts[i] for i in pick], pa.string()),
        ],
        schema=SMS_REPORTS.schema,
    )
