from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TmfConfig(AppConfig):
    name = "sqm.tmf"
    label = "tmf"
    verbose_name = _("TM Forum 接口")
    default_auto_field = "django.db.models.BigAutoField"
