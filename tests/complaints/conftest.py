"""Fixtures for the complaints tests: the standing cast plus the other roles that work on
complaints, and a work-order factory.

Database fixtures are imported lazily: the core tests under tests/complaints/core run without
Django at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sqm.org.core.roles import Role
from tests.conftest import CAST_PASSWORD

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
    from sqm.complaints import calendars, references

    calendars.clear_cache()
    references.clear_cache()
    yield
    calendars.clear_cache()
    references.clear_cache()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request: pytest.FixtureRequest) -> None:
    if "settings" in request.fixturenames or {"db", "transactional_db"} & set(request.fixturenames):
        settings = request.getfixturevalue("settings")
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def people(cast: dict[str, Any]) -> dict[str, Any]:
    """The cast (analyst, manager_a of NJ, manager_b of WX) and: complaint handlers of NJ
    and WX, a hotline supervisor of NJ, a network-department liaison, an executive, an
    administrator and a spam reviewer."""
    from sqm.org.users import create_user

    def make(name: str, role: Role, **kw: str) -> Any:
        return create_user(name, role, password=CAST_PASSWORD, **kw)

    return {
        **cast,
        "handler_a": make("handler_a", Role.COMPLAINT_HANDLER, branch="NJ"),
        "handler_b": make("handler_b", Role.COMPLAINT_HANDLER, branch="WX"),
        "supervisor_a": make("supervisor_a", Role.SUPERVISOR, branch="NJ"),
        "liaison": make("liaison", Role.DEPARTMENT_LIAISON, department="network"),
        "billing_liaison": make("billing_liaison", Role.DEPARTMENT_LIAISON, department="csc"),
        "executive": make("executive", Role.EXECUTIVE),
        "admin": make("admin", Role.ADMINISTRATOR),
        "spam_reviewer": make("spam_reviewer", Role.SPAM_REVIEWER),
    }


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
