from __future__ import annotations

from typing import Any

import pytest

from sqm.org.core.roles import Role, ScopeError, scope_for
from sqm.org.models import Branch, Hall
from sqm.org.scoping import scope_of, scoped


def test_a_branch_manager_sees_only_their_branch() -> None:
    scope = scope_for(Role.BRANCH_MANAGER, "NJ", None)
    assert scope.allows_branch("NJ")
    assert not scope.allows_branch("WX")
    assert not scope.allows_branch(None)
    assert scope.restrict(frozenset({"NJ", "WX"})) == frozenset({"NJ"})


def test_an_analyst_sees_the_whole_province() -> None:
    scope = scope_for(Role.ANALYST, None, None)
    assert scope.province_wide
    assert scope.restrict(frozenset({"WX"})) == frozenset({"WX"})


def test_a_branch_manager_without_a_branch_is_refused() -> None:
    with pytest.raises(ScopeError):
        scope_for(Role.BRANCH_MANAGER, None, None)


def test_the_executive_is_read_only_and_cannot_unmask() -> None:
    scope = scope_for(Role.EXECUTIVE, None, None)
    assert scope.read_only and not scope.may_unmask


@pytest.mark.django_db
def test_scoped_querysets_follow_the_cast(cast: dict[str, Any]) -> None:
    halls = Hall.objects.all()
    assert scoped(halls, cast["analyst"]).count() == halls.count()
    a_halls = scoped(halls, cast["manager_a"])
    assert a_halls.count() == halls.filter(branch__code="NJ").count() > 0
    assert set(a_halls.values_list("branch__code", flat=True)) == {"NJ"}
    assert not scoped(halls, cast["manager_b"]).filter(branch__code="NJ").exists()
    assert scoped(Branch.objects.all(), cast["manager_b"], "code").count() == 1


@pytest.mark.django_db
def test_a_user_without_a_role_sees_nothing(reference: None) -> None:
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="x" * 12)
    assert scoped(Hall.objects.all(), nobody).count() == 0
    assert scope_of(nobody).branches == frozenset()
