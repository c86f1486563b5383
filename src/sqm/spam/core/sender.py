"""From messages to senders: behaviour features and the sender risk score that orders the queue.

The action (stopping a number's service) is about a sender, not a message, so the queue ranks
senders. Evidence per sender, from the ``sms_reports`` events of a window:

- ``text``: mean spam probability of the sender's messages (the text model);
- ``reporters``: distinct customers who reported the sender (the bad-information line, R12.1);
- ``volume``: messages per active day (reports and gateway samples together);
- ``recipients``: distinct known recipients (reporters, and recipients named by the gateway);
- ``night``: share of messages sent between 23:00 and 06:00, when bulk senders hide;
- ``template``: share of messages that repeat another of the sender's messages once digits
  and Latin letters are masked (character-trigram Jaccard similarity ≥ 0.5) — one template,
  many fillers.

Risk, in [0, 1]::

    z = -2.0 + 1.2·logit(text) + 0.9·ln(1 + reporters) + 0.4·ln(1 + volume)
             + 0.2·ln(1 + recipients) + 1.0·night + 1.5·template
    risk = 1 / (1 + e^-z)

The text term dominates (a sender whose messages read as plain ham stays low even with a
report or two: people report messages they merely dislike); reports, volume and repetition
raise the risk of a sender whose texts are borderline. Weights are set by hand from these
intuitions and documented in docs/spam.md; every case stores each term so a reviewer sees why
a sender was flagged. A sender is flagged (a case opens) at ``risk >= FLAG_RISK``.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime

FLAG_RISK = 0.5
NIGHT_HOURS = frozenset({23, 0, 1, 2, 3, 4, 5})
TEMPLATE_SIMILARITY = 0.5
TEMPLATE_SAMPLE = 40  # messages compared per sender (all pairs): bounded work per sender
PROBABILITY_FLOOR = 1e-3

_MASK = re.compile(r"[0-9０-９]+|[A-Za-zＡ-Ｚａ-ｚ]+")
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class SenderMessage:
    sender: str
    at: datetime
    text: str
    probability: float  # the text model's spam probability of this message
    origin: str = "gateway_sample"  # or "customer_report"
    reporter: str | None = None  # the reporting customer, or the recipient the gateway names
    branch: str | None = None


@dataclass(frozen=True, slots=True)
class RiskWeights:
    bias: float = -2.0
    text: float = 1.2
    reporters: float = 0.9
    volume: float = 0.4
    recipients: float = 0.2
    night: float = 1.0
    template: float = 1.5


DEFAULT_WEIGHTS = RiskWeights()


@dataclass(frozen=True, slots=True)
class SenderBehaviour:
    messages: int
    reports: int
    reporters: int
    recipients: int
    active_days: int
    volume: float  # messages per active day
    night: float
    template: float
    text: float

    def as_dict(self) -> dict[str, float | int]:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


@dataclass(frozen=True, slots=True)
class SenderRisk:
    sender: str
    risk: float
    behaviour: SenderBehaviour
    terms: dict[str, float]  # each term of z, for the reviewer
    branch: str | None

    @property
    def flagged(self) -> bool:
        return self.risk >= FLAG_RISK


def template_key(text: str) -> str:
    """The text with digits and Latin runs masked and spaces removed: what fillers leave."""
    return _SPACE.sub("", _MASK.sub("#", text))


def _trigrams(text: str) -> frozenset[str]:
    key = template_key(text)
    if len(key) < 3:
        return frozenset({key})
    return frozenset(key[i : i + 3] for i in range(len(key) - 2))


def template_share(texts: Sequence[str]) -> float:
    """Share of ``texts`` similar to at least one other of them (Jaccard of masked trigrams)."""
    sample = list(texts[:TEMPLATE_SAMPLE])
    if len(sample) < 2:
        return 0.0
    grams = [_trigrams(t) for t in sample]
    repeated = [False] * len(sample)
    for i in range(len(sample)):
        for j in range(i + 1, len(sample)):
            if repeated[i] and repeated[j]:
                continue
            union = len(grams[i] | grams[j])
            if union and len(grams[i] & grams[j]) / union >= TEMPLATE_SIMILARITY:
                repeated[i] = repeated[j] = True
    return sum(repeated) / len(sample)


def behaviour(messages: Sequence[SenderMessage]) -> SenderBehaviour:
    if not messages:
        raise ValueError("a sender needs at least one message")
    reports = [m for m in messages if m.origin == "customer_report"]
    days = {m.at.date() for m in messages}
    ordered = sorted(messages, key=lambda m: m.at, reverse=True)  # the latest first
    return SenderBehaviour(
        messages=len(messages),
        reports=len(reports),
        reporters=len({m.reporter for m in reports if m.reporter}),
        recipients=len({m.reporter for m in messages if m.reporter}),
        active_days=len(days),
        volume=len(messages) / len(days),
        night=sum(m.at.hour in NIGHT_HOURS for m in messages) / len(messages),
        template=template_share([m.text for m in ordered]),
        text=sum(m.probability for m in messages) / len(messages),
    )


def _logit(p: float) -> float:
    p = min(max(p, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR)
    return math.log(p / (1 - p))


def risk_terms(b: SenderBehaviour, w: RiskWeights = DEFAULT_WEIGHTS) -> dict[str, float]:
    return {
        "bias": w.bias,
        "text": w.text * _logit(b.text),
        "reporters": w.reporters * math.log1p(b.reporters),
        "volume": w.volume * math.log1p(b.volume),
        "recipients": w.recipients * math.log1p(b.recipients),
        "night": w.night * b.night,
        "template": w.template * b.template,
    }


def risk_of(terms: dict[str, float]) -> float:
    return 1.0 / (1.0 + math.exp(-sum(terms.values())))


def group_by_sender(messages: Iterable[SenderMessage]) -> dict[str, list[SenderMessage]]:
    by_sender: dict[str, list[SenderMessage]] = {}
    for message in messages:
        by_sender.setdefault(message.sender, []).append(message)
    return by_sender


def score_groups(
    by_sender: Mapping[str, Sequence[SenderMessage]], weights: RiskWeights = DEFAULT_WEIGHTS
) -> list[SenderRisk]:
    """Every sender with its risk, the riskiest first. A sender's branch is the branch most of
    its messages were reported or sampled in (ties: the first code)."""
    risks = []
    for sender, own in by_sender.items():
        b = behaviour(own)
        terms = risk_terms(b, weights)
        branches = Counter(m.branch for m in own if m.branch)
        branch = min(branches, key=lambda c: (-branches[c], c)) if branches else None
        risks.append(SenderRisk(sender, risk_of(terms), b, terms, branch))
    risks.sort(key=lambda r: (-r.risk, r.sender))
    return risks


def score_senders(
    messages: Iterable[SenderMessage], weights: RiskWeights = DEFAULT_WEIGHTS
) -> list[SenderRisk]:
    return score_groups(group_by_sender(messages), weights)
