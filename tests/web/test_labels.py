"""The translatable twins of the Chinese labels that Django-free core modules define."""

from __future__ import annotations

from django.utils import translation

from sqm.events.core.schemas import SOURCES
from sqm.org.choices import RoleChoices
from sqm.org.core.roles import ROLE_LABELS_ZH, Role
from sqm.web.labels import SOURCE_DESCRIPTIONS, role_label, source_label


def test_every_role_has_a_translatable_label_equal_to_the_core_one() -> None:
    with translation.override("zh-hans"):
        assert {Role(value): str(label) for value, label in RoleChoices.choices} == {
            role: ROLE_LABELS_ZH[role] for role in Role
        }


def test_every_event_source_description_is_marked_for_translation() -> None:
    with translation.override("zh-hans"):
        marked = {str(label) for label in SOURCE_DESCRIPTIONS}
    missing = {s.name: s.description_zh for s in SOURCES.values()}
    assert {name: d for name, d in missing.items() if d not in marked} == {}


def test_roles_and_sources_read_in_english_in_the_english_ui() -> None:
    with translation.override("en"):
        untranslated = [r for r in Role if role_label(r) == ROLE_LABELS_ZH[r]]
        untranslated += [
            s.name for s in SOURCES.values() if source_label(s.description_zh) == s.description_zh
        ]
    assert untranslated == []
    with translation.override("en"):
        assert role_label(Role.BRANCH_MANAGER) == "Branch service manager"
