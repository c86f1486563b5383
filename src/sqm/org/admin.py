from __future__ import annotations

from django.contrib import admin

from sqm.org.models import (
    ApiToken,
    AuditLog,
    Branch,
    Channel,
    CustomerTier,
    Department,
    Hall,
    Profile,
)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "customer_weight", "rank")
    search_fields = ("code", "name_zh", "name_en")


@admin.register(Hall)
class HallAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "branch", "district", "counters", "active")
    list_filter = ("branch", "district", "active")
    search_fields = ("code", "name_zh")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "active")


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en")


@admin.register(CustomerTier)
class CustomerTierAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "name_en", "rank", "is_vip")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "branch", "department")
    list_filter = ("role", "branch", "department")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("user", "prefix", "created_at", "last_used_at")
    readonly_fields = ("digest", "prefix", "created_at", "last_used_at")


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    """Read-only for everyone, superusers included: no add, change or delete (and no bulk
    delete action); the model and, on PostgreSQL, a trigger refuse too."""

    list_display = ("at", "actor_username", "actor_role", "action", "object_type", "object_id")
    list_filter = ("action",)
    search_fields = ("actor_username", "action", "object_id")
    readonly_fields = (
        "at",
        "actor_username",
        "actor_role",
        "action",
        "object_type",
        "object_id",
        "detail",
    )
    fields = readonly_fields
    actions = None

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
