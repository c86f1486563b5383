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
        from sqm.complaints import calendars, references

        calendars.connect_signals()
        references.connect_signals()
