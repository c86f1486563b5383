"""The REST API: session or token authentication, and each user's own scope at /api/v1/me."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from sqm.org.models import ApiToken

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"


def _token_get(key: str, path: str = ME) -> Any:
    return Client().get(path, headers={"Authorization": f"Token {key}"})


@pytest.mark.parametrize(
    ("who", "role", "branches"),
    [
        ("analyst", "analyst", None),
        ("manager_a", "branch_manager", ["NJ"]),
        ("manager_b", "branch_manager", ["WX"]),
    ],
)
def test_each_of_the_cast_sees_its_own_scope_with_a_token(
    cast: dict[str, Any], who: str, role: str, branches: list[str] | None
) -> None:
    response = _token_get(ApiToken.issue(cast[who]))
    assert response.status_code == 200
    assert response.json() == {
        "username": who,
        "role": role,
        "branches": branches,
        "department": None,
    }


def test_the_session_authenticates_too(cast: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast["manager_b"])
    assert client.get(ME).json()["branches"] == ["WX"]


def test_a_department_liaison_sees_the_province_and_their_department(reference: None) -> None:
    from sqm.org.core.roles import Role
    from sqm.org.users import create_user

    liaison = create_user("liaison", Role.DEPARTMENT_LIAISON, department="network")
    body = _token_get(ApiToken.issue(liaison)).json()
    assert body["branches"] is None and body["department"] == "network"


def test_using_a_token_records_when_it_was_last_used(cast: dict[str, Any]) -> None:
    key = ApiToken.issue(cast["analyst"])
    assert ApiToken.objects.get().last_used_at is None
    _token_get(key)
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    _token_get(key)  # within a minute: no second write
    assert ApiToken.objects.get().last_used_at == first


@pytest.mark.parametrize(
    "header",
    [
        None,
        "Token not-a-real-key",
        "Token ",
        "Bearer {key}",  # a real key under the wrong scheme
        "{key}",  # no scheme at all
    ],
)
def test_a_bad_or_absent_token_is_refused_with_401(
    cast: dict[str, Any], header: str | None
) -> None:
    key = ApiToken.issue(cast["analyst"])
    headers = {} if header is None else {"Authorization": header.format(key=key)}
    response = Client().get(ME, headers=headers)
    assert response.status_code == 401
    assert "analyst" not in response.content.decode()


def test_a_bad_token_is_refused_even_beside_a_valid_session(cast: dict[str, Any]) -> None:
    # A request that names a key is judged by that key: no silent fallback to the cookie.
    client = Client()
    client.force_login(cast["analyst"])
    assert client.get(ME, headers={"Authorization": "Token wrong"}).status_code == 401


def test_an_inactive_user_s_token_is_refused(cast: dict[str, Any]) -> None:
    user = cast["manager_a"]
    key = ApiToken.issue(user)
    user.is_active = False
    user.save()
    assert _token_get(key).status_code == 401


def test_only_the_digest_of_a_key_is_stored(cast: dict[str, Any]) -> None:
    key = ApiToken.issue(cast["analyst"])
    stored = ApiToken.objects.get()
    assert stored.digest == ApiToken.digest_of(key) and key not in stored.digest
    assert stored.prefix == key[:8]


def test_the_openapi_schema_describes_me_and_both_ways_to_authenticate(
    cast: dict[str, Any],
) -> None:
    client = Client()
    client.force_login(cast["analyst"])
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/me" in schema["paths"]
    schemes = schema["components"]["securitySchemes"]
    assert {s["in"] for s in schemes.values()} == {"header", "cookie"}
    me = schema["components"]["schemas"]["MeOut"]["properties"]
    assert set(me) == {"username", "role", "branches", "department"}


def test_the_docs_page_loads_swagger_from_the_local_static_files(cast: dict[str, Any]) -> None:
    client = Client()
    client.force_login(cast["analyst"])
    html = client.get("/api/v1/docs").content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
