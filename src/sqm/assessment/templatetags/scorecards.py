"""Labels of the 13+N pages: scoring rules, why a figure is missing, a veto's name."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

from sqm.assessment.choices import ReasonChoices, RuleChoices
from sqm.assessment.core.outcome import UnitResult
from sqm.lib.language import pick

register = template.Library()


@register.filter
def rule_label(rule: str) -> str:
    return RuleChoices.label(rule)


@register.filter
def reason_label(reason: str) -> str:
    return ReasonChoices.label(reason) if reason else ""


@register.filter
def veto_name(unit: UnitResult) -> str:
    return pick(unit.veto_name_zh, unit.veto_name_en) if unit.veto else ""


@register.filter
def lookup(names: Mapping[str, str], code: str) -> str:
    """``{{ departments|lookup:code }}``: the name, or the code itself when unknown."""
    return names.get(code, code)
