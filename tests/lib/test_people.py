"""The user types: a write needs a signed-in person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied

from sqm.lib.people import signed_in


def test_an_anonymous_visitor_is_refused_where_a_person_is_needed() -> None:
    with pytest.raises(PermissionDenied):
        signed_in(AnonymousUser())


@pytest.mark.django_db
def test_a_signed_in_user_is_the_person_who_acts() -> None:
    user = User.objects.create(username="li.na")
    assert signed_in(user) is user
