"""Fixtures for page tests: the cast plus an administrator, each with a signed-in client."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from sqm.org.core.roles import Role
from tests.conftest import CAST_PASSWORD

ANONYMOUS = "anonymous"
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """The cast's passwords hash with PBKDF2 at ~0.3 s each, four people per test: MD5 makes
    the page tests ten times faster and changes nothing they check. (Autouse, so it is in place
    before the cast is created.)"""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture
def admin_user(reference: None) -> Any:
    from sqm.org.users import create_user

    return create_user("admin", Role.ADMINISTRATOR, password=CAST_PASSWORD)


@pytest.fixture
def people(cast: dict[str, Any], admin_user: Any) -> dict[str, Any]:
    """The standing cast and an administrator, by the names the access table uses."""
    return {**cast, "admin": admin_user}


@pytest.fixture
def client_for(people: dict[str, Any], data_dir: Path) -> Callable[[str], Client]:
    """``client_for("manager_a")``: a client signed in as that person (or anonymous)."""

    def make(who: str) -> Client:
        client = Client()
        if who != ANONYMOUS:
            # force_login: the login form has its own tests; here only the session matters.
            client.force_login(people[who])
        return client

    return make
