"""The results table: what `sqm compute` keeps, how re-runs replace it, who sees which rows."""

from __future__ import annotations

from typing import Any

import pytest

from sqm.events.core.store import EventStore
from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.engine import compute
from sqm.indicators.models import Result, ResultSet
from sqm.indicators.results import (
    DASHBOARD_CUTS,
    compute_and_store,
    parse_cut,
    visible_results,
)
from sqm.indicators.results import store as store_figures

PERIOD = "2024-01"
CUTS = DASHBOARD_CUTS

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(dashboard_computations: list[Any], reference: None) -> list[Any]:
    return [store_figures(PERIOD, by, "duckdb", c, s) for by, c, s in dashboard_computations]


def test_stored_figures_are_the_engines_figures_row_for_row(
    stored: list[Any], store: EventStore
) -> None:
    engine = compute(store, load_catalog(), PERIOD, ("branch",))
    expected = {
        (r["indicator"], r["branch"]): (r["value"], r["numerator"], r["denominator"], r["status"])
        for r in engine.to_pylist()
    }
    kept = {
        (r.indicator, r.branch): (r.value, r.numerator, r.denominator, r.status)
        for r in Result.objects.filter(result_set__cut="branch", operator="us")
    }
    assert kept.keys() == expected.keys()
    assert len(kept) > 100
    for key, (value, numerator, denominator, status) in expected.items():
        # DuckDB sums in parallel: the last bits of a float sum differ from run to run.
        for got, want in zip(kept[key][:3], (value, numerator, denominator), strict=True):
            assert got == (None if want is None else pytest.approx(want, rel=1e-12)), key
        assert kept[key][3] == status


def test_competitor_figures_are_kept_beside_ours_under_the_same_indicator_id(
    stored: list[Any],
) -> None:
    province = Result.objects.filter(result_set__cut="", indicator="satisfaction_overall_score")
    assert sorted(province.values_list("operator", flat=True)) == [
        "competitor_a",
        "competitor_b",
        "us",
    ]
    assert not Result.objects.filter(indicator__contains="@").exists()


def test_recomputing_a_period_replaces_its_figures_instead_of_adding_to_them(
    stored: list[Any], store: EventStore
) -> None:
    before = {s.cut: s.rows for s in ResultSet.objects.all()}
    total = Result.objects.count()
    first_ids = set(
        Result.objects.filter(result_set__cut__in=["", "tier"]).values_list("pk", flat=True)
    )
    compute_and_store(store.data_dir, PERIOD, [(), ("tier",)])  # a re-run, engine included
    assert {s.cut: s.rows for s in ResultSet.objects.all()} == before
    assert Result.objects.count() == total == sum(before.values())
    again = Result.objects.filter(result_set__cut__in=["", "tier"]).values_list("pk", flat=True)
    assert first_ids.isdisjoint(again)


def test_a_cut_without_a_dimension_the_indicator_allows_is_recorded_as_skipped(
    stored: list[Any],
) -> None:
    skipped = ResultSet.objects.get(cut="tier").skipped
    reasons = {s["indicator"]: s["reason"] for s in skipped}
    assert "cannot be cut by tier" in reasons["reminder_timeliness_rate"]
    assert not any("@" in s["indicator"] for s in skipped)


def test_a_branch_manager_sees_own_branch_and_province_rows_never_another_branch(
    stored: list[Any], cast: dict[str, Any]
) -> None:
    mine = visible_results(cast["manager_a"])
    branches = set(mine.exclude(branch=None).values_list("branch", flat=True))
    assert branches == {"NJ"}
    cuts_without_branch = set(mine.filter(branch=None).values_list("result_set__cut", flat=True))
    assert cuts_without_branch == {"", "tier", "channel", "day"}
    other = set(
        visible_results(cast["manager_b"]).exclude(branch=None).values_list("branch", flat=True)
    )
    assert other == {"WX"}
    everything = visible_results(cast["analyst"])
    assert set(everything.exclude(branch=None).values_list("branch", flat=True)) >= {
        "NJ",
        "WX",
        "SZ",
    }
    assert everything.count() == Result.objects.count()


def test_rows_of_a_branch_cut_with_no_branch_value_stay_hidden_from_branch_managers(
    stored: list[Any], cast: dict[str, Any]
) -> None:
    unknown_branch = Result.objects.filter(result_set__cut="branch", branch=None)
    assert unknown_branch.exists()  # the factory has events with no branch
    assert not visible_results(cast["manager_a"]).filter(pk__in=unknown_branch).exists()


def test_hall_and_agent_cuts_always_carry_their_branch() -> None:
    assert parse_cut("hall") == ("branch", "hall")
    assert parse_cut("agent,day") == ("branch", "agent", "day")
    assert parse_cut("tier, channel") == ("tier", "channel")
    assert parse_cut("") == ()
    with pytest.raises(ValueError, match="unknown dimensions"):
        parse_cut("region")
    with pytest.raises(ValueError, match="repeated"):
        parse_cut("tier,tier")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_storing_the_same_cut_at_once_leave_one_whole_set(
    dashboard_computations: list[Any], reference: None
) -> None:
    """Both runs race to create the (period, cut) row; the loser waits on the row lock and then
    replaces the winner's figures, so the table holds one run's rows, never both or a mix."""
    import threading

    from django.db import connection

    by, computation, seconds = next(c for c in dashboard_computations if c[0] == ("branch",))
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            store_figures(PERIOD, by, "duckdb", computation, seconds)
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result_set = ResultSet.objects.get(period=PERIOD, cut="branch")
    assert result_set.rows == computation.table.num_rows
    assert Result.objects.count() == computation.table.num_rows
