"""Fixtures for the complaints tests: a work-order factory acting as anyone of the standing
cast (`people`, tests/conftest.py).

Database fixtures are imported lazily: the core tests under tests/complaints/core run without
Django at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")
# A Monday morning in the past (creation times may not lie in the future).
MONDAY = datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)
PHONE = "13912345678"

MakeOrder = Callable[..., Any]


def at(day: int, hour: int = 10, minute: int = 0, month: int = 3) -> datetime:
    """A moment in March 2026, Shanghai time (2 March is a Monday)."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _fresh_calendars(request: pytest.FixtureRequest) -> Iterator[None]:
    """Calendars and reference rows are cached per process; a test's rows vanish with its
    transaction, so no test may see another's cached ones."""
    uses_db = {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        yield
        return
    from sqm.complaints.exchange import references
    from sqm.complaints.workdays import calendars

    calendars.clear_cache()
    references.clear_cache()
    yield
    calendars.clear_cache()
    references.clear_cache()


@pytest.fixture
def make_order(people: dict[str, Any]) -> MakeOrder:
    """``make_order(actor="handler_a", category=..., created_at=...)``: a new work order."""
    from sqm.complaints import services

    counter = iter(range(1, 1_000_000))

    def make(actor: str | Any = "handler_a", **fields: Any) -> Any:
        user = people[actor] if isinstance(actor, str) else actor
        values: dict[str, Any] = {
            "channel": "hotline",
            "category": "mobile_internet.slow",
            "severity": "medium",
            "customer_id": f"C{next(counter):06d}",
            "customer_phone": PHONE,
            "branch": "NJ",
            "description": "手机上网网速很慢,晚上几乎打不开网页",
            "created_at": MONDAY,
        }
        values.update(fields)
        return services.create_work_order(user, **values)

    return make
