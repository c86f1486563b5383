"""`sqm createuser` holds passwords to the same validators as the web."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from sqm.org.core.roles import Role
from tests.conftest import sqm


def _usernames(data: Path) -> list[str]:
    with sqlite3.connect(data / "sqm.sqlite3") as connection:
        return [row[0] for row in connection.execute("SELECT username FROM auth_user")]


def test_createuser_refuses_a_one_character_password_and_creates_nobody(tmp_path: Path) -> None:
    data = tmp_path / "var"
    made = sqm(data, "createuser", "weak", "--role", "analyst", "--password", "1")
    assert made.returncode == 2
    assert "password refused" in made.stderr and "8" in made.stderr
    assert "Traceback" not in made.stderr
    assert "weak" not in _usernames(data)

    made = sqm(data, "createuser", "strong", "--role", "analyst", "--password", "long-enough-42")
    assert made.returncode == 0, made.stderr
    assert "strong" in _usernames(data)


@pytest.mark.django_db
def test_create_user_applies_the_settings_validators(reference: None, settings: Any) -> None:
    from django.contrib.auth import get_user_model

    from sqm.org.users import create_user

    settings.AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"}
    ]
    with pytest.raises(ValidationError):
        create_user("digits", Role.ANALYST, password="12345678901")
    assert not get_user_model().objects.filter(username="digits").exists()
    assert create_user("words", Role.ANALYST, password="x").check_password("x")
