"""Quality figures, checked against scikit-learn and against brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import accuracy_score, precision_recall_fscore_support

from sqm.spam.core import metrics


@given(st.lists(st.tuples(st.booleans(), st.booleans()), min_size=1, max_size=200))
def test_binary_metrics_agree_with_scikit_learn(pairs: list[tuple[bool, bool]]) -> None:
    truth = np.array([t for t, _ in pairs])
    guess = np.array([g for _, g in pairs])
    ours = metrics.binary_metrics(truth, guess)
    if truth.any() and guess.any():
        p, r, f, _ = precision_recall_fscore_support(
            truth, guess, average="binary", zero_division=0
        )
        assert ours.precision == pytest.approx(p)
        assert ours.recall == pytest.approx(r)
        assert ours.f1 == pytest.approx(f)
    assert ours.accuracy == pytest.approx(accuracy_score(truth, guess))
    assert ours.n == len(pairs)


def test_ratios_over_nothing_are_no_value_not_zero() -> None:
    none_flagged = metrics.binary_metrics([1, 0], [0, 0])
    assert none_flagged.precision is None
    assert metrics.wrongful_block_rate(0, 0) is None
    assert metrics.wrongful_block_rate(1, 20) == 0.05


@given(
    st.lists(
        st.tuples(st.booleans(), st.integers(0, 20).map(lambda v: v / 20)), min_size=1, max_size=80
    ),
    st.sampled_from([0.5, 0.8, 0.9, 1.0]),
)
def test_the_operating_threshold_has_the_best_recall_at_the_target_precision(
    rows: list[tuple[bool, float]], target: float
) -> None:
    labels = [t for t, _ in rows]
    scores = [s for _, s in rows]
    chosen = metrics.threshold_for_precision(labels, scores, target)
    feasible = []
    for cut in sorted(set(scores)):
        m = metrics.metrics_at(labels, scores, cut)
        if m.precision is not None and m.precision >= target:
            feasible.append((m.tp, cut))
    if not feasible:
        assert chosen is None
        return
    best_tp = max(tp for tp, _ in feasible)
    assert chosen is not None
    got = metrics.metrics_at(labels, scores, chosen)
    assert got.precision is not None and got.precision >= target
    assert got.tp == best_tp


def test_reviewer_hours_fall_as_precision_rises() -> None:
    # 100 spam senders a week, 6 minutes a case: 200 cases at 50% precision, 105.3 at 95%.
    low = metrics.cases_to_review(100, 0.5)
    high = metrics.cases_to_review(100, 0.95)
    assert low == 200 and high == pytest.approx(105.263, abs=1e-3)
    assert metrics.reviewer_hours(200, 6) == 20.0
    assert metrics.reviewers_needed(20.0, 35) == 1
    assert metrics.reviewers_needed(70.0, 35) == 2
    assert metrics.reviewers_needed(70.1, 35) == 3
    assert metrics.reviewers_needed(0.0) == 0
    assert metrics.cases_to_review(100, None) is None
