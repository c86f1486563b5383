"""The tracing tables: one row per signal key, unique case numbers, a case's links."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.db import IntegrityError, transaction

from sqm.org.numbering import next_in_sequence
from sqm.tracing.models import CaseComplaint, CaseNumberSequence, Signal, TracingCase

START = datetime(2026, 3, 2, tzinfo=UTC)
END = datetime(2026, 3, 3, tzinfo=UTC)


def _signal(key: str) -> Signal:
    return Signal(
        key=key,
        kind="abnormal_change",
        branch="NJ",
        start=START,
        end=END,
        observed=40,
        expected=10,
        expected_low=5,
        expected_high=16,
        score=8.0,
        month="2026-03",
    )


@pytest.mark.django_db
def test_two_signals_with_the_same_key_cannot_be_stored() -> None:
    _signal("abnormal_change|NJ").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        _signal("abnormal_change|NJ").save()


@pytest.mark.django_db
def test_the_day_sequence_hands_out_consecutive_numbers_per_day() -> None:
    day, other = date(2026, 3, 2), date(2026, 3, 3)
    assert [next_in_sequence(CaseNumberSequence, day) for _ in range(3)] == [1, 2, 3]
    assert next_in_sequence(CaseNumberSequence, other) == 1


@pytest.mark.django_db
def test_a_complaint_is_linked_to_a_case_once() -> None:
    case = TracingCase.objects.create(number="SP202603020001", title="NJ 网络故障")
    CaseComplaint.objects.create(case=case, complaint_id="TT20260302000001", how="hand")
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseComplaint.objects.create(case=case, complaint_id="TT20260302000001", how="signal")
    assert case.is_open
