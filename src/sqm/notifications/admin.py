"""Admin pages: notifications and digests are read-only (they are made only through
sqm.notifications.services); a person's mail settings may be changed for them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from sqm.notifications.models import Digest, MailPreference, Notification


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "recipient", "kind", "text", "branch", "read_at", "emailed_at")
    list_filter = ("kind", "branch")
    search_fields = ("recipient__username", "title", "key")
    date_hierarchy = "created_at"


@admin.register(Digest)
class DigestAdmin(ReadOnlyAdmin):
    list_display = ("day", "recipient", "count", "sent_at")
    search_fields = ("recipient__username",)


@admin.register(MailPreference)
class MailPreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "immediate", "digest")
    search_fields = ("user__username",)
