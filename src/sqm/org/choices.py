"""The choice sets of the organisation's fields (value, label), read by model, forms and pages."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from sqm.lib.choices import ChoiceSet, from_names
from sqm.org.core.roles import ROLE_LABELS_ZH


class RoleChoices(ChoiceSet):
    CHOICES = from_names(ROLE_LABELS_ZH, _)
