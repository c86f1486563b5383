"""Admin pages: the working calendar is edited here; work orders and callbacks are shown
read-only (they change only through sqm.complaints.services, which audit every write)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sqm.complaints.models import CalendarDay, Callback, WorkOrder


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "branch", "is_workday", "name")
    list_filter = ("is_workday", "branch")
    date_hierarchy = "date"


@admin.register(WorkOrder)
class WorkOrderAdmin(ReadOnlyAdmin):
    list_display = ("number", "branch", "category", "severity", "level", "status", "created_at")
    list_filter = ("status", "level", "severity", "channel", "branch")
    search_fields = ("number", "customer_id", "external_id")
    date_hierarchy = "created_at"


@admin.register(Callback)
class CallbackAdmin(ReadOnlyAdmin):
    list_display = ("call_id", "branch", "abandoned_at", "due_at", "completed_at", "outcome")
    list_filter = ("branch", "outcome")
    search_fields = ("call_id", "customer_id")
