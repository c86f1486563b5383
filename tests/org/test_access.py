"""The one access mechanism (sqm.org.access): a policy says which roles take which action and
how rows belong to branches and departments; every app asks it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from sqm.org import access
from sqm.org.core.roles import Role
from sqm.org.models import Department, Hall
from sqm.org.permissions import is_administrator
from sqm.org.scoping import scope_of

pytestmark = pytest.mark.django_db

VIEW_ALL = frozenset(Role) - {Role.SPAM_REVIEWER}
HALLS = access.Policy(
    actions={"view": VIEW_ALL, "change": frozenset({Role.ANALYST, Role.EXECUTIVE})},
    writes=frozenset({"change"}),
)


def test_a_branch_manager_sees_only_the_rows_of_their_branch(people: dict[str, Any]) -> None:
    halls = Hall.objects.all()
    mine = access.restrict(halls, people["manager_a"], HALLS)
    assert mine.count() == halls.filter(branch__code="NJ").count() > 0
    assert set(mine.values_list("branch__code", flat=True)) == {"NJ"}
    assert access.restrict(halls, people["analyst"], HALLS).count() == halls.count()


def test_a_role_the_policy_does_not_name_sees_nothing(people: dict[str, Any]) -> None:
    assert not access.may(people["spam_reviewer"], HALLS, "view")
    assert access.restrict(Hall.objects.all(), people["spam_reviewer"], HALLS).count() == 0


def test_a_read_only_role_never_takes_a_write_action(people: dict[str, Any]) -> None:
    assert access.may(people["analyst"], HALLS, "change")
    assert not access.may(people["executive"], HALLS, "change")  # named, but read-only


def test_anonymous_and_inactive_users_may_do_nothing(people: dict[str, Any]) -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not access.may(AnonymousUser(), HALLS, "view")
    analyst = people["analyst"]
    analyst.is_active = False
    analyst.save()
    analyst = get_user_model().objects.get(pk=analyst.pk)
    assert not access.may(analyst, HALLS, "view")


def test_one_row_in_memory_is_judged_as_the_queryset_judges_it(people: dict[str, Any]) -> None:
    nanjing = Hall.objects.filter(branch__code="NJ").first()
    wuxi = Hall.objects.filter(branch__code="WX").first()
    assert access.allows(people["manager_a"], HALLS, "view", nanjing)
    assert not access.allows(people["manager_a"], HALLS, "view", wuxi)
    assert access.allows(people["manager_b"], HALLS, "view", wuxi)


def test_a_row_not_yet_saved_is_judged_by_its_branch(people: dict[str, Any]) -> None:
    # An unsaved model row cannot be hashed: judging one used to raise TypeError.
    nanjing = Hall.objects.filter(branch__code="NJ").first()
    assert nanjing is not None
    unsaved = Hall(code="NJ-NEW", branch=nanjing.branch, name_zh="新厅")
    assert unsaved.pk is None
    assert access.allows(people["manager_a"], HALLS, "view", unsaved)
    assert not access.allows(people["manager_b"], HALLS, "view", unsaved)


def test_a_liaison_sees_the_rows_of_their_department_where_rows_have_one(
    people: dict[str, Any],
) -> None:
    by_department = replace(HALLS, branch_field=None, department_fields=("code",))
    departments = Department.objects.all()
    theirs = access.restrict(departments, people["liaison"], by_department)
    assert list(theirs.values_list("code", flat=True)) == ["network"]
    assert access.allows(people["liaison"], by_department, "view", departments.get(code="network"))
    assert not access.allows(people["liaison"], by_department, "view", departments.get(code="csc"))
    # Without department fields the liaison's scope is the province's.
    assert (
        access.restrict(Hall.objects.all(), people["liaison"], HALLS).count()
        == Hall.objects.count()
    )


def test_an_unknown_action_is_a_programming_error_not_a_refusal(people: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown action 'delete'"):
        access.may(people["analyst"], HALLS, "delete")


def test_a_superuser_without_a_profile_administers_everywhere(reference: None) -> None:
    # scoping said role None for such a user while roles.scope_for said administrator; every
    # app patched the gap with its own fallback. The scope now says administrator.
    boss = get_user_model().objects.create_superuser("boss", password="x-long-password-1")
    assert scope_of(boss).role == Role.ADMINISTRATOR
    assert access.role_of(boss) == Role.ADMINISTRATOR
    assert is_administrator(boss)
    assert access.restrict(Hall.objects.all(), boss, HALLS).count() == Hall.objects.count()
