"""Admin pages: scheme versions, accountability changes and veto incidents.

Scheme versions and accountability changes are added, never edited or deleted: a closed
month must be recomputable with what was in force then (``sqm.assessment.rules``). A new
scheme version starts from the text of the one in force this month.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from sqm.assessment import rules
from sqm.assessment.core.scheme import SchemeError
from sqm.assessment.models import Accountability, SchemeVersion, VetoIncident, current_month


class _AppendOnly(admin.ModelAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _open_month(value: str) -> str:
    try:
        return rules.open_month(value)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error


class SchemeVersionForm(forms.ModelForm):
    class Meta:
        model = SchemeVersion
        fields = ("effective_from", "note", "document")
        widgets = {"document": forms.Textarea(attrs={"rows": 40, "cols": 120})}

    def clean_effective_from(self) -> str:
        return _open_month(self.cleaned_data["effective_from"])

    def clean_document(self) -> str:
        text: str = self.cleaned_data["document"]
        try:
            rules.check_scheme(text)
        except SchemeError as error:
            raise forms.ValidationError(str(error)) from error
        return text


@admin.register(SchemeVersion)
class SchemeVersionAdmin(_AppendOnly):
    form = SchemeVersionForm
    list_display = ("id", "effective_from", "note", "created_by", "created_at")
    readonly_fields = ("created_by", "created_at")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict[str, Any]:
        month = current_month()
        return {"effective_from": month, "document": rules.scheme_text_for(month)}

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


class AccountabilityForm(forms.ModelForm):
    class Meta:
        model = Accountability
        fields = ("indicator", "department", "effective_from", "note")

    def clean_effective_from(self) -> str:
        return _open_month(self.cleaned_data["effective_from"])

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        try:
            rules.check_assignment(cleaned.get("indicator", ""), cleaned.get("department", ""))
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(Accountability)
class AccountabilityAdmin(_AppendOnly):
    form = AccountabilityForm
    list_display = ("indicator", "department", "effective_from", "note", "created_by")
    list_filter = ("department", "effective_from")
    search_fields = ("indicator",)
    readonly_fields = ("created_by", "created_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.created_by = request.user
        super().save_model(request, obj, form, change)


class VetoIncidentForm(forms.ModelForm):
    class Meta:
        model = VetoIncident
        fields = ("month", "unit_kind", "unit", "veto", "description")

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        if self.errors:
            return cleaned
        try:
            rules.check_veto(
                cleaned["month"], cleaned["unit_kind"], cleaned["unit"], cleaned["veto"]
            )
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(VetoIncident)
class VetoIncidentAdmin(_AppendOnly):
    form = VetoIncidentForm
    list_display = ("month", "unit_kind", "unit", "veto", "recorded_by", "recorded_at")
    list_filter = ("month", "unit_kind", "veto")
    readonly_fields = ("recorded_by", "recorded_at")
    fields = ("month", "unit_kind", "unit", "veto", "description", "recorded_by", "recorded_at")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
