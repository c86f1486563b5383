from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocConfig(AppConfig):
    name = "sqm.voc"
    label = "voc"
    verbose_name = _("客户满意度")
    default_auto_field = "django.db.models.BigAutoField"
