from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SpamConfig(AppConfig):
    name = "sqm.spam"
    label = "spam"
    verbose_name = _("垃圾短信治理")
    default_auto_field = "django.db.models.BigAutoField"
