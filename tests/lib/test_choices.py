"""One choice set per field: Django's pairs, the values, labels and colours come from one list."""

from __future__ import annotations

from enum import StrEnum

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy

from sqm.lib.choices import Choice, ChoiceSet, from_names, gettext_noop


class Light(StrEnum):
    RED = "red"
    GREEN = "green"


NAMES_ZH = {Light.RED: gettext_noop("已超时"), Light.GREEN: gettext_noop("按时完成")}


class LightChoices(ChoiceSet):
    CHOICES = from_names(NAMES_ZH, gettext_lazy, colours={Light.RED: "bad"})


def test_a_set_built_from_a_core_table_keeps_its_order_and_plain_string_values() -> None:
    assert LightChoices.values == ("red", "green")
    assert [type(v) for v, _ in LightChoices.choices] == [str, str]


def test_labels_follow_the_active_language() -> None:
    with translation.override("zh-hans"):
        assert LightChoices.label(Light.RED) == "已超时"
    with translation.override("en"):
        assert LightChoices.label("green") == "Met"


def test_an_unknown_value_shows_as_itself_and_has_no_colour() -> None:
    assert LightChoices.label("amber") == "amber"
    assert LightChoices.colour("amber") == ""
    assert LightChoices.colour(Light.RED) == "bad"
    assert LightChoices.label(None) == ""


def test_a_value_written_twice_is_refused_when_the_set_is_defined() -> None:
    with pytest.raises(ValueError, match="twice"):

        class Twice(ChoiceSet):
            CHOICES = (Choice("a", "A"), Choice("a", "B"))
