"""Quality figures of the spam model and of the review process (R7.3).

A ratio whose denominator is zero is "no value" (``None``), never zero: a week without
suspensions has no wrongful-block rate, which is not the same as a perfect one.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

ArrayLike = (
    Sequence[float]
    | Sequence[int]
    | npt.NDArray[np.float64]
    | npt.NDArray[np.int64]
    | npt.NDArray[np.bool_]
)

DEFAULT_MINUTES_PER_CASE = 6.0  # reading the evidence of one sender and deciding
DEFAULT_REVIEWER_HOURS_PER_WEEK = 35.0  # one reviewer's productive hours in a week


def ratio(numerator: float, denominator: float) -> float | None:
    return numerator / denominator if denominator else None


@dataclass(frozen=True, slots=True)
class BinaryMetrics:
    tp: int
    fp: int
    tn: int
    fn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.tn + self.fn

    @property
    def precision(self) -> float | None:
        return ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float | None:
        return ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float | None:
        return ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)

    @property
    def accuracy(self) -> float | None:
        return ratio(self.tp + self.tn, self.n)

    def as_dict(self) -> dict[str, float | int | None]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "accuracy": self.accuracy,
            "n": self.n,
            "tp": self.tp,
            "fp": self.fp,
            "tn": self.tn,
            "fn": self.fn,
        }


def binary_metrics(labels: ArrayLike, predicted: ArrayLike) -> BinaryMetrics:
    truth = np.asarray(labels).astype(bool)
    guess = np.asarray(predicted).astype(bool)
    if truth.shape != guess.shape:
        raise ValueError("labels and predictions differ in length")
    return BinaryMetrics(
        tp=int(np.sum(truth & guess)),
        fp=int(np.sum(~truth & guess)),
        tn=int(np.sum(~truth & ~guess)),
        fn=int(np.sum(truth & ~guess)),
    )


def metrics_at(labels: ArrayLike, scores: ArrayLike, threshold: float) -> BinaryMetrics:
    """Metrics of flagging every score at or above ``threshold``."""
    return binary_metrics(labels, np.asarray(scores, np.float64) >= threshold)


def threshold_for_precision(labels: ArrayLike, scores: ArrayLike, target: float) -> float | None:
    """The threshold with the highest recall among those whose precision reaches ``target``
    (the operating point: as many spam senders as possible while reviewers mostly see spam).
    ``None`` when no threshold reaches the target."""
    truth = np.asarray(labels).astype(bool)
    values = np.asarray(scores, np.float64)
    order = np.argsort(-values, kind="stable")
    ranked, hits = values[order], truth[order]
    # Candidate cut after each run of equal scores: flag everything >= that score.
    last_of_run = np.append(ranked[1:] != ranked[:-1], True)
    tp = np.cumsum(hits)[last_of_run]
    flagged = (np.flatnonzero(last_of_run) + 1).astype(np.float64)
    meets = tp / flagged >= target
    if not meets.any():
        return None
    best = int(np.flatnonzero(meets)[np.argmax(tp[meets])])  # first (highest) of equal recalls
    return float(ranked[last_of_run][best])


def reviewer_hours(cases: float, minutes_per_case: float = DEFAULT_MINUTES_PER_CASE) -> float:
    """Hours of human review that ``cases`` cases take."""
    return cases * minutes_per_case / 60.0


def cases_to_review(spam_senders: float, precision: float | None) -> float | None:
    """Cases reviewers must open to confirm ``spam_senders`` when a share ``precision`` of the
    flagged cases is spam: the lower the precision, the more people are needed (VP speech 2010)."""
    if not precision:
        return None
    return spam_senders / precision


def reviewers_needed(
    hours: float, hours_per_reviewer: float = DEFAULT_REVIEWER_HOURS_PER_WEEK
) -> int:
    """Whole reviewers for ``hours`` of review in a week."""
    return math.ceil(hours / hours_per_reviewer - 1e-9) if hours > 0 else 0


def wrongful_block_rate(appeals_granted: int, suspensions: int) -> float | None:
    """Suspensions reversed on appeal ÷ suspensions: the share of numbers blocked wrongly."""
    return ratio(appeals_granted, suspensions)
