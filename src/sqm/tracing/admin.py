"""Admin pages: signals and cases are shown read-only (they change only through
sqm.tracing.services, which records every step on the case's timeline)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sqm.tracing.models import CaseEvent, Signal, TracingCase


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Signal)
class SignalAdmin(ReadOnlyAdmin):
    list_display = (
        "kind",
        "branch",
        "category",
        "start",
        "observed",
        "expected",
        "score",
        "status",
    )
    list_filter = ("kind", "status", "month", "branch")
    search_fields = ("key",)
    date_hierarchy = "start"


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ("at", "kind", "actor", "role", "from_stage", "to_stage", "note")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TracingCase)
class TracingCaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "title", "stage", "root_cause_class", "lead_department", "created_at")
    list_filter = ("stage", "root_cause_class", "branches")
    search_fields = ("number", "title")
    date_hierarchy = "created_at"
    inlines = [CaseEventInline]
