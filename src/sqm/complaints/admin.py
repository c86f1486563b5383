"""Admin pages: the working calendar is edited here; work orders and callbacks are shown
read-only (they change only through sqm.complaints.services, which audit every write), with
every phone number masked for everyone, administrators included: the one way to a full number
is the audited "show number" on the work order's page (sqm.org.audit.reveal_phone)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from sqm.complaints.models import CalendarDay, Callback, WorkOrder
from sqm.complaints.web.presentation import masked_related
from sqm.org.core.masking import mask_phone, mask_phones_in_text


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


def _masked(field: str, label: Any, mask: Callable[[Any], str]) -> Any:
    @admin.display(description=label)
    def show(self: admin.ModelAdmin, obj: Any) -> str:
        return mask(getattr(obj, field))

    return show


def _related(items: Any) -> str:
    return "; ".join(f"{item['role']}: {item['id']}" for item in masked_related(items)) or "—"


class CustomerDataAdmin(ReadOnlyAdmin):
    """Read-only, and each field holding a phone number (or free text a person typed, which
    may hold one) shown through its masked stand-in: ``masked`` maps field → stand-in."""

    masked: dict[str, str] = {}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return list(self.masked.values())

    def get_fields(  # type: ignore[override]  # a flat list of names: a narrower return
        self, request: HttpRequest, obj: Any = None
    ) -> list[str]:
        shown: list[str] = []
        for name in super().get_fields(request, obj):
            name = self.masked.get(str(name), str(name))
            if name not in shown:
                shown.append(name)
        return shown


@admin.register(WorkOrder)
class WorkOrderAdmin(CustomerDataAdmin):
    list_display = (
        "number",
        "branch",
        "category",
        "severity",
        "level",
        "status",
        "phone_masked",
        "created_at",
    )
    list_filter = ("status", "level", "severity", "channel", "branch")
    search_fields = ("number", "customer_id", "external_id")
    date_hierarchy = "created_at"
    masked = {
        "customer_phone": "phone_masked",
        "description": "description_masked",
        "related": "related_masked",
        "closure_note": "closure_note_masked",
    }
    phone_masked = _masked("customer_phone", _("联系电话"), mask_phone)
    description_masked = _masked("description", _("投诉内容"), mask_phones_in_text)
    related_masked = _masked("related", _("关联对象"), _related)
    closure_note_masked = _masked("closure_note", _("结单说明"), mask_phones_in_text)


@admin.register(Callback)
class CallbackAdmin(CustomerDataAdmin):
    list_display = (
        "call_id",
        "branch",
        "phone_masked",
        "abandoned_at",
        "due_at",
        "completed_at",
        "outcome",
    )
    list_filter = ("branch", "outcome")
    search_fields = ("call_id", "customer_id")
    masked = {"phone": "phone_masked", "note": "note_masked"}
    phone_masked = _masked("phone", _("回呼号码"), mask_phone)
    note_masked = _masked("note", _("说明"), mask_phones_in_text)
