"""Creating users with a role: one function, used by the CLI, the demo and the tests."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from sqm.org.core.roles import Role, scope_for
from sqm.org.models import Branch, Department, Profile


@transaction.atomic
def create_user(
    username: str,
    role: Role,
    *,
    password: str | None = None,
    branch: str | None = None,
    department: str | None = None,
    display_name: str = "",
) -> Any:
    """Create (or update) a user with a role; raises ScopeError / DoesNotExist on bad input, and
    ValidationError for a password the web's AUTH_PASSWORD_VALIDATORS refuse (nothing is
    saved then)."""
    scope_for(role, branch, department)  # refuses a branch manager without a branch, etc.
    branch_row = Branch.objects.get(code=branch) if branch else None
    department_row = Department.objects.get(code=department) if department else None
    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(username=username)
    user.first_name = display_name[:150]
    user.is_staff = role == Role.ADMINISTRATOR
    user.is_superuser = role == Role.ADMINISTRATOR
    if password:
        # The same validators as the web's password forms, with the user for the similarity
        # checks; raising here rolls the whole creation back.
        validate_password(password, user)
        user.set_password(password)
    elif not user.has_usable_password():
        user.set_unusable_password()
    user.save()
    Profile.objects.update_or_create(
        user=user, defaults={"role": role.value, "branch": branch_row, "department": department_row}
    )
    return user
