"""Typed access to a form's fields."""

from __future__ import annotations

import pytest
from django import forms

from sqm.lib.forms import ANY, choice_field, model_choice_field


class Filter(forms.Form):
    status = forms.ChoiceField(choices=[("a", "A")], required=False)
    note = forms.CharField(required=False)


def test_a_choice_field_can_be_refilled_per_request() -> None:
    form = Filter()
    choice_field(form, "status").choices = [*ANY, ("b", "B")]
    assert [value for value, _ in form.fields["status"].choices] == ["", "b"]


def test_asking_for_the_wrong_kind_of_field_names_the_form_and_field() -> None:
    with pytest.raises(TypeError, match=r"Filter\.note is not a choice field"):
        choice_field(Filter(), "note")
    with pytest.raises(TypeError, match=r"Filter\.status is not a model choice field"):
        model_choice_field(Filter(), "status")
