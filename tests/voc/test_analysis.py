"""The study analyses on a synthetic study with a known truth, checked against pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sqm.events.core.store import EventStore
from sqm.voc.core import analysis
from sqm.voc.core.gaps import competitor_view, gap_trend, provider_gaps
from sqm.voc.core.study import StudyFilter, read_study
from tests.voc.conftest import STRONG_DRIVERS


def test_drivers_find_the_planted_factors_and_rank_weak_important_first(study_dir: Path) -> None:
    frame = read_study(EventStore(study_dir))
    for method in ("relative_weights", "shapley"):
        result = analysis.drivers(frame, method)  # type: ignore[arg-type]
        by_importance = sorted(result["factors"], key=lambda f: -f["importance"])
        assert {f["factor"] for f in by_importance[:3]} == set(STRONG_DRIVERS)
        assert sum(f["importance"] for f in result["factors"]) == pytest.approx(1.0)
        # price_level: planted important and low -> first to fix.
        assert result["factors"][0]["factor"] == "price_level"
        assert result["factors"][0]["quadrant"] == "concentrate_here"


def test_performance_is_the_mean_perception_on_zero_to_hundred(study_dir: Path) -> None:
    frame = read_study(EventStore(study_dir))
    result = analysis.drivers(frame)
    coverage = next(f for f in result["factors"] if f["factor"] == "coverage")
    mean = frame[frame.operator == "us"]["coverage"].mean()
    assert coverage["performance"] == pytest.approx((mean - 1) / 9 * 100)


def test_driver_lists_per_branch_and_tier_use_only_that_group(study_dir: Path) -> None:
    frame = read_study(EventStore(study_dir))
    by_branch = analysis.drivers_by(frame, "branch")
    assert set(by_branch) == {"NJ", "WX"}
    nj = frame[(frame.operator == "us") & (frame.branch == "NJ")]
    assert by_branch["NJ"]["respondents"] == len(nj)
    assert set(analysis.drivers_by(frame, "tier")) == {"ordinary", "gold"}


def test_gap_five_is_perception_minus_expectation(study_dir: Path) -> None:
    frame = read_study(EventStore(study_dir))
    gaps = {g["factor"]: g for g in analysis.gaps(frame)}
    us = frame[frame.operator == "us"]
    expected = us["price_level"].mean() - us["exp_price_level"].mean()
    assert gaps["price_level"]["gap"] == pytest.approx(expected)
    assert min(gaps.values(), key=lambda g: g["gap"])["factor"] == "price_level"


def test_competitor_view_names_the_leader_and_our_gap(study_dir: Path) -> None:
    frame = read_study(EventStore(study_dir))
    result = analysis.competitors(frame, 1.8)
    rows = {r["factor"]: r for r in result["factors"]}
    means = frame.groupby("operator")["coverage"].mean()
    assert rows["coverage"]["leader"] == means.idxmax()
    assert rows["coverage"]["gap_to_leader"] == pytest.approx((means["us"] - means.max()) / 9 * 100)
    assert [t["period"] for t in result["trend"]] == ["2026-08", "2026-09"]


def test_gap_trend_judges_each_period_against_the_target() -> None:
    trend = gap_trend(
        {"2026-01": {"us": 77.8, "a": 80.1, "b": 70}, "2026-02": {"us": 79.0, "a": 80.1}}
    )
    assert [round(t.gap, 1) for t in trend] == [-2.3, -1.1]
    assert [t.met for t in trend] == [False, True]
    assert trend[0].leader == "a"
    assert competitor_view({"overall": {"us": 90.0, "a": 80.0}})[0].gap_to_leader == 0.0


def test_satisfaction_index_by_month_and_scope(study_dir: Path) -> None:
    store = EventStore(study_dir)
    everything = analysis.satisfaction_index(read_study(store))
    assert [m["month"] for m in everything["months"]] == ["2026-08", "2026-09"]
    assert 0 < everything["index"] < 100
    nj = read_study(store, StudyFilter(branches=frozenset({"NJ"})))
    assert set(nj["branch"]) == {"NJ"}
    assert analysis.satisfaction_index(nj)["respondents"] == int((nj.operator == "us").sum())


def test_every_provider_gap_indicator_is_in_the_catalog() -> None:
    from sqm.indicators.core.catalog import load_catalog

    ids = set(load_catalog().ids)
    gaps = provider_gaps()
    assert [g.code for g in gaps] == ["knowledge", "standards", "delivery", "communication"]
    for gap in gaps:
        assert gap.indicators and set(gap.indicators) <= ids


def test_too_few_answers_say_so_instead_of_inventing_drivers(study_dir: Path) -> None:
    frame = read_study(EventStore(study_dir)).head(20)
    result = analysis.drivers(frame)
    assert result["error"] and result["factors"] == []
    assert np.isfinite(result["respondents"])
