"""Competitor twins measure the same thing on answers about each competitor; the verdict
compares us with the leader."""

from __future__ import annotations

from statistics import mean
from typing import Any

import pytest

from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.competitors import (
    COMPETITORS,
    compare,
    compare_all,
    competitor_twins,
    has_competitor_twin,
    split_twin_id,
    twin_id,
)
from sqm.indicators.core.engine import compute
from sqm.indicators.core.spec import MeanIndicator
from tests.indicators.factory import Row

PERIOD = "2024-01"


def test_every_indicator_read_from_answers_about_us_gets_one_twin_per_competitor() -> None:
    catalog = load_catalog()
    with_twins = competitor_twins(catalog)
    ours = [i for i in catalog.indicators if has_competitor_twin(i)]
    assert len(ours) >= 20  # overall satisfaction and the 19 factors at least
    assert len(with_twins.indicators) == len(catalog.indicators) + len(COMPETITORS) * len(ours)
    twin = with_twins.get(twin_id("satisfaction_hotline", "competitor_b"))
    assert isinstance(twin, MeanIndicator)
    assert twin.values.filters == ("competitor_b", "factor_hotline")
    assert twin.targets == ()
    assert not has_competitor_twin(catalog.get("satisfaction_gap_to_competitors"))


def test_a_twin_id_splits_back_into_indicator_and_operator() -> None:
    assert split_twin_id(twin_id("satisfaction_overall_score", "competitor_a")) == (
        "satisfaction_overall_score",
        "competitor_a",
    )
    assert split_twin_id("hotline_offered") == ("hotline_offered", "us")


def _mean_of(rows: list[Row], operator: str, factor: str | None, column: str) -> float | None:
    values = [
        r[column]
        for r in rows
        if r["operator"] == operator
        and (factor is None or r["factor"] == factor)
        and r[column] is not None
        and PERIOD <= r["at"].strftime("%Y-%m") <= PERIOD
    ]
    return mean(values) if values else None


@pytest.mark.parametrize(
    ("indicator", "factor", "column"),
    [
        ("satisfaction_overall_score", None, "overall"),
        ("satisfaction_hotline", "hotline", "perception"),
        ("satisfaction_bills", "bills", "perception"),
    ],
)
def test_twin_figures_equal_a_plain_python_mean_of_each_competitors_answers(
    store: EventStore,
    events: dict[str, list[Row]],
    indicator: str,
    factor: str | None,
    column: str,
) -> None:
    catalog = competitor_twins(load_catalog())
    wanted = {indicator, *(twin_id(indicator, c) for c in COMPETITORS)}
    table = compute(store, catalog.only(wanted), PERIOD)
    got = dict(zip(table["indicator"].to_pylist(), table["value"].to_pylist(), strict=True))
    for operator in ("us", *COMPETITORS):
        expected = _mean_of(events["surveys"], operator, factor, column)
        key = indicator if operator == "us" else twin_id(indicator, operator)
        assert expected is not None
        assert got[key] == pytest.approx(expected, abs=1e-9)


def _indicator(**changes: Any) -> Any:
    return load_catalog().get("satisfaction_overall_score").model_copy(update=changes)


def test_we_lead_par_or_lag_against_the_best_competitor_not_the_average() -> None:
    indicator = _indicator()
    lead = compare(indicator, 8.0, {"competitor_a": 7.5, "competitor_b": 7.8})
    assert lead is not None
    assert (lead.verdict, lead.leader, lead.gap) == ("lead", "competitor_b", pytest.approx(0.2))
    par = compare(indicator, 7.75, {"competitor_a": 7.5, "competitor_b": 7.8})
    assert par is not None and par.verdict == "par"  # 0.05 behind: within 0.1 on a 10 scale
    lag = compare(indicator, 7.0, {"competitor_a": 7.5, "competitor_b": None})
    assert lag is not None
    assert (lag.verdict, lag.leader, lag.gap) == ("lag", "competitor_a", pytest.approx(-0.5))


def test_for_lower_is_better_the_leader_is_the_lowest_and_a_lower_value_leads() -> None:
    indicator = _indicator(direction="lower", unit="percent")
    result = compare(indicator, 2.0, {"competitor_a": 5.0, "competitor_b": 3.5})
    assert result is not None
    assert (result.leader, result.verdict, result.gap) == ("competitor_b", "lead", 1.5)


def test_no_comparison_without_both_values_or_a_direction() -> None:
    indicator = _indicator()
    assert compare(indicator, None, {"competitor_a": 7.0}) is None
    assert compare(indicator, 7.0, {"competitor_a": None}) is None
    assert compare(_indicator(direction="neutral"), 7.0, {"competitor_a": 6.0}) is None


def test_compare_all_pairs_our_figures_with_the_twins_of_the_same_cut() -> None:
    catalog = load_catalog()
    pairs = [
        ("satisfaction_hotline", 8.0),
        (twin_id("satisfaction_hotline", "competitor_a"), 9.0),
        ("satisfaction_bills", 6.0),  # no competitor figure: no comparison
        ("hotline_offered", 100.0),
    ]
    found = compare_all(catalog, pairs)
    assert [(c.indicator, c.verdict) for c in found] == [("satisfaction_hotline", "lag")]
