"""One rule for showing the Chinese or the English text of a row (sqm.lib.language)."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import Context, Template
from django.utils import translation

from sqm.lib.language import english_active, localized_name, localized_text, pick


@dataclass
class Row:
    name_zh: str
    name_en: str
    definition_zh: str = ""
    definition_en: str = ""


def test_chinese_is_the_default_and_english_is_picked_when_active() -> None:
    row = Row("南京", "Nanjing", "定义", "Definition")
    with translation.override("zh-hans"):
        assert not english_active()
        assert localized_name(row) == "南京" and localized_text(row, "definition") == "定义"
    with translation.override("en"):
        assert english_active()
        assert (
            localized_name(row) == "Nanjing" and localized_text(row, "definition") == "Definition"
        )
        assert pick("分", "points") == "points"


def test_a_row_without_an_english_name_shows_its_chinese_one_in_english() -> None:
    # The satisfaction pages showed an empty cell (their template asked lang == "en" and took
    # name_en as it was); the one rule falls back to the Chinese name.
    with translation.override("en"):
        assert localized_name({"name_zh": "网络质量", "name_en": ""}) == "网络质量"
        assert localized_name(Row("网络质量", "")) == "网络质量"
        html = Template("{% load sqm %}{{ gap|localized }}").render(
            Context({"gap": {"name_zh": "差距一", "name_en": ""}})
        )
    assert html == "差距一"


def test_something_without_names_is_shown_as_it_is() -> None:
    with translation.override("en"):
        assert localized_name("NJ") == "NJ"
