"""Admin page of saved plans: listed and removable, never edited (a changed parameter is a new
plan, made with `sqm plan …` or on the planning pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sqm.planning.models import Plan


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "branch", "based_on", "created_by", "created_at")
    list_filter = ("kind", "branch")
    search_fields = ("name",)
    date_hierarchy = "created_at"
    exclude = ("payload", "simulation")
    readonly_fields = ("kind", "name", "branch", "based_on", "parameters", "summary")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
