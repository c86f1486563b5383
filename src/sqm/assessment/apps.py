from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "sqm.assessment"
    label = "assessment"
    verbose_name = _("考核评价")
    default_auto_field = "django.db.models.BigAutoField"
