from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TracingConfig(AppConfig):
    name = "sqm.tracing"
    label = "tracing"
    verbose_name = _("投诉溯源")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Every step of a case's timeline reaches the TMF656 hub's listeners, whichever way it
        # was taken (API, pages, CLI).
        from sqm.tracing.tmf import events

        events.connect()
