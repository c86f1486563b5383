"""The role field reads the one role list: its display is the role's name, not its code."""

from __future__ import annotations

from django.utils import translation

from sqm.org.core.roles import Role
from sqm.org.models import Profile


def test_a_profile_shows_its_role_by_name_where_it_used_to_show_the_code() -> None:
    # The field's choices once paired each code with itself, so the admin and every
    # get_role_display() showed "branch_manager"; the web header had the name.
    profile = Profile(role=Role.BRANCH_MANAGER.value)
    with translation.override("zh-hans"):
        assert profile.get_role_display() == "分公司服务经理"
    with translation.override("en"):
        assert profile.get_role_display() == "Branch service manager"
