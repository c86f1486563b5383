"""How an indicator's figure is written in its unit on every indicator page (issue 23: times
with units or m:ss, counts as integers, shares as percent)."""

from __future__ import annotations

import pytest
from django.utils import translation

from sqm.indicators.templatetags.indicator_format import figure, tier_names


@pytest.mark.parametrize(
    "value, unit, shown",
    [
        (12.2, "seconds", "0:12"),  # ASA
        (253.6, "seconds", "4:14"),  # AHT
        (3725, "seconds", "1:02:05"),
        (372.0, "count", "372"),
        (1204.4, "people", "1,204"),
        (85.31, "percent", "85.3%"),
        (None, "seconds", "—"),
    ],
)
def test_a_figure_is_written_in_its_unit(value: float | None, unit: str, shown: str) -> None:
    assert figure(value, unit) == shown


def test_target_tiers_are_named_in_the_page_language_never_by_code() -> None:
    with translation.override("zh-hans"):
        assert tier_names(["diamond", "gold"]) == "钻石卡、金卡"
    with translation.override("en"):
        assert tier_names(["diamond", "gold"]) == "Diamond, Gold"
