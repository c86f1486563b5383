from __future__ import annotations

import pytest

from sqm.notifications.core.titles import TitleError, check, is_local_path, render


def test_a_title_renders_with_its_params_in_the_translation() -> None:
    english = {"督办事项 %(number)s 已超期": "Action %(number)s is overdue"}
    rendered = render("督办事项 %(number)s 已超期", {"number": "A-12"}, english.get)
    assert rendered == "Action A-12 is overdue"


def test_a_translation_that_lost_a_placeholder_falls_back_to_the_source_text() -> None:
    broken = {"督办事项 %(number)s 已超期": "Action %(numbr)s is overdue"}
    rendered = render("督办事项 %(number)s 已超期", {"number": "A-12"}, broken.get)
    assert rendered == "督办事项 A-12 已超期"


def test_a_title_without_params_is_shown_as_translated_even_with_a_percent_sign() -> None:
    assert render("满意度 95% 达标", {}) == "满意度 95% 达标"


def test_a_placeholder_without_a_value_is_refused_at_the_sender() -> None:
    with pytest.raises(TitleError, match="number"):
        check("督办事项 %(number)s 已超期", {"id": 3})


def test_a_blank_title_and_a_non_scalar_value_are_refused() -> None:
    with pytest.raises(TitleError):
        check("  ", {})
    with pytest.raises(TitleError, match="must be text or a number"):
        check("%(who)s", {"who": ["a"]})


@pytest.mark.parametrize(
    ("url", "local"),
    [
        ("/improvement/actions/12/", True),
        ("/", True),
        ("//elsewhere.example/", False),
        ("https://elsewhere.example/", False),
        ("javascript:alert(1)", False),
        ("/\\elsewhere.example", False),
        ("/a b", False),
        ("", False),
    ],
)
def test_only_paths_inside_sqm_are_links(url: str, local: bool) -> None:
    assert is_local_path(url) is local
