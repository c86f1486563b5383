"""The indicators' service face: the red figures of a month, as other apps read them."""

from __future__ import annotations

import pytest

from sqm.indicators import services
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.models import Result

pytestmark = pytest.mark.django_db
PERIOD = "2024-01"


def _worse(direction: str, value: float, reference: float) -> float:
    worse = reference - value if direction == "higher" else value - reference
    return max(worse, 0.0) / abs(reference) if reference else float("inf")


def test_a_figure_is_missed_exactly_when_it_is_worse_than_target_or_province_by_a_tenth(
    stored_results: None,
) -> None:
    # Independent of core.scorecard: the rule of the matrix, written out again by hand.
    catalog = {i.id: i for i in load_catalog().indicators}
    province = {
        r.indicator: r.value
        for r in Result.objects.filter(result_set__period=PERIOD, result_set__cut="", operator="us")
    }
    expected = set()
    for r in Result.objects.filter(
        result_set__period=PERIOD, result_set__cut__in=("", "branch"), operator="us"
    ):
        entry = catalog.get(r.indicator)
        if entry is None or r.value is None or entry.direction == "neutral":
            continue
        if r.result_set.cut and not r.branch:
            continue  # a branch cut's row without a branch belongs to no place
        branch = r.branch if r.result_set.cut else None
        if r.target is not None and r.status is not None:
            red = r.status != "met" and _worse(entry.direction, r.value, r.target) > 0.10
        elif branch is not None and province.get(r.indicator) is not None:
            red = _worse(entry.direction, r.value, province[r.indicator]) > 0.10
        else:
            red = False
        if red:
            expected.add((r.indicator, branch))
    found = services.missed_targets(PERIOD)
    assert {(m.indicator, m.branch) for m in found} == expected
    assert expected, "the fixture month has red figures"
    assert all(m.department == catalog[m.indicator].department for m in found)


def test_missed_targets_narrow_to_the_branches_and_departments_asked_for(
    stored_results: None,
) -> None:
    everything = services.missed_targets(PERIOD)
    branch = next(m.branch for m in everything if m.branch)
    department = everything[0].department
    own = services.missed_targets(PERIOD, branches={branch}, include_province=False)
    assert own and {m.branch for m in own} == {branch}
    theirs = services.missed_targets(PERIOD, departments={department})
    assert theirs and {m.department for m in theirs} == {department}
    assert len(theirs) <= len(everything)
