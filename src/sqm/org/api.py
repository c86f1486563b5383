"""The org router of the REST API: who am I and what may I see."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from sqm.org.scoping import scope_of

router = Router(tags=["org"])


class MeOut(Schema):
    username: str
    role: str | None
    branches: list[str] | None  # null: every branch of the province
    department: str | None


@router.get("/me", response=MeOut, summary="The signed-in user and their data scope")
def me(request: HttpRequest) -> MeOut:
    # ``request.auth`` is the user for both session and token authentication (sqm.config.api).
    user = request.auth  # type: ignore[attr-defined]
    scope = scope_of(user)
    return MeOut(
        username=user.get_username(),
        role=scope.role.value if scope.role else None,
        branches=sorted(scope.branches) if scope.branches is not None else None,
        department=scope.department,
    )
