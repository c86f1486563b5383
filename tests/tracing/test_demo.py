"""The demo's tracing: detection over two generated months and the case of the planted fix,
opened from the manifest alone, whose effect is a real drop; a re-run adds nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sqm.demo.core.generator import generate_month
from sqm.tracing.demo import seed_tracing
from sqm.tracing.models import CaseEvent, Signal, TracingCase

# "small": at "tiny" a branch has a handful of complaints a month, too few to tell a drop.
MONTHS = ("2026-02", "2026-03")
pytestmark = pytest.mark.django_db


def test_the_demo_opens_one_case_for_the_planted_fix_and_its_effect_is_a_drop(
    cast: dict[str, Any], data_dir: Path
) -> None:
    for month in MONTHS:
        generate_month(data_dir, scale="small", month=month, seed=5, fix_month=MONTHS[-1])
    manifest = json.loads((data_dir / "demo" / f"manifest-{MONTHS[-1]}.json").read_text())
    fix = next(i for i in manifest["incidents"] if i["kind"] == "fix_effect")

    first = seed_tracing(data_dir, MONTHS)
    case = TracingCase.objects.get()
    assert first.case == case.number and all(first.signals[m] > 0 for m in MONTHS)
    assert list(case.branches.values_list("code", flat=True)) == [fix["branch"]]
    assert (case.category, case.stage, case.root_cause_class) == (
        "mobile_internet",
        "evaluating",
        "business_support",
    )
    assert str(case.intervention_date) == fix["start"][:10]
    assert case.complaints.count() > 0 and case.measures.filter(status="done").count() == 2
    # The chronic complaints stop: most of the branch's excess goes. (Whether the interval
    # clears zero depends on the other planted incidents in the control branches, whose
    # spike days widen the core's over-dispersion estimate.)
    assert first.effect is not None and first.ci is not None
    assert first.effect < -0.5 and first.ci[0] < first.effect < first.ci[1]

    signals, events = Signal.objects.count(), CaseEvent.objects.count()
    again = seed_tracing(data_dir, MONTHS)
    assert again.case == case.number and TracingCase.objects.count() == 1
    assert (Signal.objects.count(), CaseEvent.objects.count()) == (signals, events)


@pytest.mark.parametrize("seed", range(12))
def test_the_planted_outage_never_hits_the_branch_of_the_planted_fix(seed: int) -> None:
    from sqm.demo.core.incidents import plan_fix, plan_incidents
    from sqm.demo.core.month import Month
    from sqm.org.core.province import PROVINCE

    month = Month.parse(MONTHS[-1])
    fix = plan_fix(PROVINCE, month, seed)
    plan = plan_incidents(PROVINCE, month, seed, PROVINCE.halls, fix=fix)
    (outage,) = plan.of_kind("network_outage")
    assert outage.branch != fix.branch
