from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImprovementConfig(AppConfig):
    name = "sqm.improvement"
    label = "improvement"
    verbose_name = _("改进管理")
    default_auto_field = "django.db.models.BigAutoField"
