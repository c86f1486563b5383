from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "sqm.planning"
    label = "planning"
    verbose_name = _("容量规划")
    default_auto_field = "django.db.models.BigAutoField"
