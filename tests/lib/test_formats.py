"""One set of number formats (sqm.lib.formats) and the template filters every app loads."""

from __future__ import annotations

from typing import Any

import pytest
from django.template import Context, Template

from sqm.lib.formats import count, duration, number, percent


@pytest.mark.parametrize(
    ("value", "digits", "shown"),
    [(0.9534, 1, "95.3%"), (0.9534, 0, "95%"), ("0.5", 2, "50.00%"), (0, 1, "0.0%")],
)
def test_a_share_is_shown_as_a_percentage(value: Any, digits: int, shown: str) -> None:
    assert percent(value, digits) == shown


@pytest.mark.parametrize("value", [None, "", "n/a", float("nan")])
def test_no_value_is_a_dash_in_every_format(value: Any) -> None:
    assert percent(value) == number(value) == count(value) == duration(value) == "—"


def test_numbers_have_thousands_separators_on_every_page() -> None:
    # The spam pages wrote 1234.5 without a separator while planning wrote 1,234.5: one way.
    assert number(1234.5, 1) == "1,234.5"
    assert number(0.953, 3) == "0.953"
    assert number(1234.5) == "1,234"  # half to even, as Python rounds


def test_a_count_is_a_whole_number() -> None:
    # The indicator pages showed a count that is not whole to one decimal, the home page cut
    # it off; a count is rounded to a whole number everywhere.
    assert count(1204) == "1,204"
    assert count(1234.6) == "1,235"
    assert count(12.7) == "13"


def test_a_number_that_is_not_one_is_no_value() -> None:
    # Planning showed such a value as it was, the spam pages as a dash: a dash.
    assert number("soon") == "—"


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (59.6, "1:00"), (75, "1:15"), (3599, "59:59"), (3725, "1:02:05"), (-75, "-1:15")],
)
def test_a_duration_is_minutes_and_seconds(seconds: float, shown: str) -> None:
    assert duration(seconds) == shown


def test_the_template_filters_are_the_same_functions() -> None:
    html = Template(
        "{% load sqm %}{{ share|percent }} {{ share|percent:0 }} {{ hours|number:1 }} "
        "{{ rows|count }} {{ aht|duration }} {{ missing|percent }}"
    ).render(Context({"share": 0.953, "hours": 1234.56, "rows": 1204, "aht": 75, "missing": None}))
    assert html == "95.3% 95% 1,234.6 1,204 1:15 —"


def test_the_spam_pages_use_the_product_s_formats() -> None:
    html = Template("{% load sqm spam_format %}{{ v|number:1 }} {{ p|percent }}").render(
        Context({"v": 1234.56, "p": 0.5})
    )
    assert html == "1,234.6 50.0%"
