from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "sqm.complaints"
    label = "complaints"
    verbose_name = _("投诉工单")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # A changed working calendar must reach the next deadline computed in this process.
        from django.db.models.signals import post_migrate

        from sqm.complaints.exchange import references
        from sqm.complaints.workdays import calendars, holidays

        calendars.connect_signals()
        references.connect_signals()
        # A fresh install has the official holidays without anyone typing them in.
        post_migrate.connect(
            holidays.seed_after_migrate, sender=self, dispatch_uid="complaints-holidays"
        )
