"""Typed access to a form's fields, for the forms that fill choices or querysets per request
(the user's scope, the language): ``choice_field(form, "status").choices = ...``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# The first choice of a filter: no narrowing.
ANY: list[tuple[str, Any]] = [("", _("全部"))]


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField[Any]:
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{type(form).__name__}.{name} is not a model choice field")
    return field
