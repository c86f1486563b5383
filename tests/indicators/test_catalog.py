"""The packaged catalog: big enough, complete where the requirements name indicators, documented."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from sqm.indicators.core.catalog import load_catalog
from sqm.indicators.core.docs import DOCS_PATH, render
from sqm.indicators.core.spec import PercentileIndicator, RatioIndicator
from sqm.org.core.factors import FACTOR_CODES

CATALOG = load_catalog()
REQUIRED = {
    "hotline_offered",
    "hotline_answered",
    "hotline_abandon_rate",
    "hotline_service_level_15s",
    "hotline_service_level_20s",
    "hotline_asa_seconds",
    "hotline_aht_seconds",
    "hall_served_within_10min_rate",
    "complaints_per_10k_customers",
    "complaint_first_reply_48h_rate",
    "complaint_repeat_rate",
}


def test_the_catalog_has_at_least_45_indicators_and_every_required_id() -> None:
    assert len(CATALOG.indicators) >= 45
    assert REQUIRED - set(CATALOG.ids) == set()


def test_every_group_is_represented() -> None:
    assert set(Counter(i.group for i in CATALOG.indicators)) == {
        "perception",
        "operations",
        "complaint",
    }


def test_every_perception_factor_has_at_least_one_indicator() -> None:
    # R3.2: the matrix has indicators for each of the 19 factors.
    assert FACTOR_CODES - {i.factor for i in CATALOG.indicators} == set()


def test_the_seeded_targets_are_declared_with_their_sources() -> None:
    def targets(indicator_id: str) -> list[tuple[str, float, tuple[str, ...]]]:
        return [(t.bound, t.value, t.tiers) for t in CATALOG.get(indicator_id).targets]

    assert targets("hotline_service_level_15s") == [
        ("at_least", 85.0, ("diamond", "gold", "silver"))
    ]
    assert targets("hotline_first_contact_resolution_rate") == [("at_least", 90.0, ())]
    assert targets("vip_manager_reach_rate") == [("at_least", 80.0, ())]
    assert targets("vip_quarterly_retention_rate") == [("at_least", 92.0, ())]
    # Every target names the source document it comes from, by its name in docs/sources.md.
    sources = Path(__file__).parents[2] / "docs" / "sources.md"
    names = re.findall(r"^\| \*\*(.+?)\*\* \|", sources.read_text(encoding="utf-8"), re.M)
    assert len(names) == 5
    unnamed = [
        (i.id, t.source)
        for i in CATALOG.indicators
        for t in i.targets
        if not any(name.lower() in t.source.lower() for name in names)
    ]
    assert unnamed == []


def test_service_level_divides_by_every_call_that_entered_the_queue() -> None:
    indicator = CATALOG.get("hotline_service_level_15s")
    assert isinstance(indicator, RatioIndicator)
    assert indicator.denominator.filters == ("queued",)  # abandoned calls included
    assert indicator.scale == 100


def test_the_e_channel_response_time_is_the_95th_percentile() -> None:
    indicator = CATALOG.get("echannel_response_p95_ms")
    assert isinstance(indicator, PercentileIndicator)
    assert indicator.q == 0.95


def test_the_committed_reference_equals_a_fresh_render() -> None:
    fresh = render(CATALOG)
    committed = DOCS_PATH.read_text(encoding="utf-8") if DOCS_PATH.exists() else ""
    assert committed == fresh, (
        "docs/indicators.md is stale: run .venv/bin/python -m sqm.indicators.core.docs"
    )


def test_the_reference_shows_every_indicator_and_the_calls_sql() -> None:
    text = DOCS_PATH.read_text(encoding="utf-8")
    assert all(f"#### `{i}`" in text for i in CATALOG.ids)
    assert "FILTER(WHERE" in text and "NULLIF(" in text and 'FROM "calls"' in text
