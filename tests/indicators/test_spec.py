"""The spec refuses bad declarations: each rule on its own, each with the reason it gives."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from sqm.indicators.core.catalog import parse_catalog
from sqm.indicators.core.spec import RatioIndicator
from sqm.indicators.core.validation import CatalogError


def declaration(**overrides: Any) -> dict[str, Any]:
    """A valid ratio indicator; each test breaks one thing."""
    base: dict[str, Any] = {
        "id": "hotline_service_level_15s",
        "kind": "ratio",
        "name_zh": "15秒服务水平",
        "name_en": "Service level within 15 s",
        "group": "operations",
        "factor": "hotline",
        "source": "calls",
        "numerator": {"agg": "count", "filters": ["answered_within_15s"]},
        "denominator": {"agg": "count", "filters": ["queued"]},
        "scale": 100,
        "unit": "percent",
        "direction": "higher",
        "targets": [{"bound": "at_least", "value": 85, "tiers": ["gold"], "source": "seed 002"}],
        "department": "csc",
        "dimensions": ["branch", "tier", "day"],
        "definition_zh": "……",
        "definition_en": "…",
    }
    base.update(overrides)
    return base


def rules_broken(*declarations: dict[str, Any]) -> set[str]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(list(declarations))
    return {issue.rule for issue in caught.value.issues}


def test_a_valid_declaration_is_accepted() -> None:
    (indicator,) = parse_catalog([declaration()]).indicators
    assert isinstance(indicator, RatioIndicator)
    assert indicator.numerator.filters == ("answered_within_15s",)


def test_a_declaration_is_frozen() -> None:
    (indicator,) = parse_catalog([declaration()]).indicators
    with pytest.raises(pydantic.ValidationError):
        indicator.scale = 1  # type: ignore[misc]


def test_an_unknown_filter_is_refused() -> None:
    bad = declaration(numerator={"agg": "count", "filters": ["answered_quickly"]})
    assert rules_broken(bad) == {"reference"}


def test_an_unknown_column_is_refused() -> None:
    bad = declaration(kind="mean", values={"column": "patience_s"}, unit="seconds", targets=[])
    for key in ("numerator", "denominator", "scale"):
        bad.pop(key)
    assert rules_broken(bad) == {"reference"}


def test_a_duplicate_id_is_refused() -> None:
    assert rules_broken(declaration(), declaration()) == {"unique-id"}


def test_a_target_without_its_source_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="source"):
        parse_catalog([declaration(targets=[{"bound": "at_least", "value": 85}])])


@pytest.mark.parametrize(
    "extra",
    [
        {"q": 0.95},  # a percentile's field on a ratio
        {"values": {"column": "wait_s"}},  # a mean's field on a ratio
        {"per": 10000},  # a per-customers field on a ratio
        {"threshold_s": 15},  # nobody's field
    ],
    ids=["q", "values", "per", "unknown"],
)
def test_a_bag_of_optionals_is_refused(extra: dict[str, Any]) -> None:
    with pytest.raises(pydantic.ValidationError, match="Extra inputs are not permitted"):
        parse_catalog([declaration(**extra)])


def test_a_kind_without_its_own_fields_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="q"):
        parse_catalog([declaration(kind="percentile", values={"column": "wait_s"})])


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(pydantic.ValidationError, match="kind"):
        parse_catalog([declaration(kind="ratio_of_ratios")])


def test_an_id_must_be_snake_case() -> None:
    with pytest.raises(pydantic.ValidationError, match="id"):
        parse_catalog([declaration(id="Hotline-SL")])


def test_the_factor_must_be_one_of_the_19() -> None:
    assert rules_broken(declaration(factor="weather")) == {"factor"}
    assert rules_broken(declaration(factor=None)) == {"factor"}  # only scores may span all


def test_the_department_must_exist() -> None:
    assert rules_broken(declaration(department="marketing")) == {"department"}


def test_a_dimension_the_source_lacks_is_refused() -> None:
    assert rules_broken(declaration(dimensions=["branch", "tier", "hall"])) == {"dimension"}


def test_per_customers_may_only_use_dimensions_the_snapshot_shares() -> None:
    bad = declaration(
        id="complaints_per_10k", kind="per_customers", source="complaints",
        numerator={"agg": "count"}, per=10000, unit="per_10k_customers", direction="lower",
        targets=[], dimensions=["branch", "channel"],
    )  # fmt: skip
    for key in ("denominator", "scale"):
        bad.pop(key)
    assert rules_broken(bad) == {"dimension"}


def test_a_target_must_point_the_way_of_the_direction() -> None:
    wrong = [{"bound": "at_most", "value": 85, "source": "seed 002"}]
    assert rules_broken(declaration(targets=wrong)) == {"target"}
    neutral = declaration(direction="neutral")
    assert rules_broken(neutral) == {"target"}


def test_a_percent_target_must_lie_between_0_and_100() -> None:
    bad = [{"bound": "at_least", "value": 850, "source": "a typo"}]
    assert rules_broken(declaration(targets=bad)) == {"target"}


def test_a_per_tier_target_needs_known_tiers_and_the_tier_dimension() -> None:
    assert rules_broken(
        declaration(
            targets=[{"bound": "at_least", "value": 85, "tiers": ["platinum"], "source": "x02"}]
        )
    ) == {"target"}
    assert rules_broken(declaration(dimensions=["branch"])) == {"target"}


def test_a_percentage_is_a_ratio_scaled_by_100_explicitly() -> None:
    assert rules_broken(declaration(scale=1)) == {"percent"}
    assert rules_broken(declaration(unit="seconds", targets=[])) == {"percent"}


def test_sums_and_means_need_numeric_columns() -> None:
    bad = declaration(numerator={"agg": "sum", "column": "wanted_agent"})
    assert rules_broken(bad) == {"aggregation"}


def test_a_measure_other_than_count_needs_a_column() -> None:
    with pytest.raises(pydantic.ValidationError, match="needs a column"):
        parse_catalog([declaration(numerator={"agg": "sum"})])
