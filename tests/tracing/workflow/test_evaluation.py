"""A case's effect: its branches against the others around its intervention date."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from sqm.tracing import services
from tests.tracing.conftest import daily_complaints

pytestmark = pytest.mark.django_db


def test_the_effect_compares_the_case_branch_with_the_others_around_the_intervention(
    cast: dict[str, Any], complaints_store: Callable[..., None]
) -> None:
    start = date(2026, 3, 15)
    first = start - timedelta(days=7)
    complaints_store(
        daily_complaints("NJ", "bills", first, [10] * 7 + [5] * 7, "NJ")
        + daily_complaints("WX", "bills", first, [8] * 7 + [8] * 7, "WX")
        + daily_complaints("NJ", "coverage", first, [3] * 14, "NN")
    )
    case = services.open_case(cast["analyst"], title="账单", branches=["NJ"], category="bills")
    assert services.effect(case) is None  # no intervention date yet
    services.update_case(cast["analyst"], case.number, intervention_date="2026-03-15")
    case.refresh_from_db()
    effect = services.effect(case, days=7)
    assert effect is not None
    assert (effect.treated_before, effect.treated_after) == (70, 35)
    assert (effect.control_before, effect.control_after) == (56, 56)
    assert effect.effect == pytest.approx(35 / 70 / (56 / 56) - 1)
    # The same windows on the surveys: this store holds none, so nothing to compare.
    satisfaction = services.satisfaction(case, days=7)
    assert satisfaction is not None
    assert satisfaction.answers == (0, 0, 0, 0) and satisfaction.change is None


def test_a_case_effect_keeps_its_windows_inside_the_days_the_store_holds(
    cast: dict[str, Any], complaints_store: Callable[..., None]
) -> None:
    first = date(2026, 3, 1)
    complaints_store(
        daily_complaints("NJ", "bills", first, [6] * 10 + [2] * 4, "NJ")
        + daily_complaints("WX", "bills", first, [5] * 14, "WX")
    )
    case = services.open_case(cast["analyst"], title="账单", branches=["NJ"], category="bills")
    services.update_case(cast["analyst"], case.number, intervention_date="2026-03-11")
    case.refresh_from_db()
    effect = services.effect(case)  # 28 days asked; the store holds 10 before and 4 after
    assert effect is not None and effect.days == 4
    assert (effect.treated_before, effect.treated_after) == (24, 8)
    assert (effect.control_before, effect.control_after) == (20, 20)
