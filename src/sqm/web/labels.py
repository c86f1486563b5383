"""Translatable labels for names that Django-free core modules spell in Chinese.

Role labels are the org's choice set (``sqm.org.choices.RoleChoices``, built from the core's
one table). The event-source descriptions of ``events.core.schemas`` are written out here as
literals — ``makemessages`` only extracts literals — and ``tests/web/test_labels.py`` fails
when a core description changes or appears without its twin here. At run time a description
missing from this table still goes through ``gettext``: it shows in Chinese until it is added,
never as an error.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sqm.org.choices import RoleChoices
from sqm.org.core.roles import Role, Scope

# Keyed by the Chinese description itself (``Source.description_zh``), so that the table never
# has to know the event-source names.
SOURCE_DESCRIPTIONS: tuple[Any, ...] = (
    _("客户月度快照"),
    _("热线来电"),
    _("营业厅排队取号"),
    _("投诉工单快照"),
    _("满意度调查答卷"),
    _("服务提醒"),
    _("充值缴费"),
    _("电子渠道请求(含可用性拨测 operation=probe)"),
    _("检查与质检(神秘顾客、明查、真实体验、录音质检)"),
    _("垃圾短信举报与网关样本"),
)

NO_ROLE = _("未分配角色")
WHOLE_PROVINCE = _("全省")


def role_label(role: Role | None) -> str:
    if role is None:
        return str(NO_ROLE)
    return RoleChoices.label(role)


def source_label(description_zh: str) -> str:
    return gettext(description_zh) if description_zh else ""


def scope_label(scope: Scope, branch_names: dict[str, str]) -> str:
    """``全省`` for province-wide roles, else the names of the branches the user may see."""
    if scope.branches is None:
        return str(WHOLE_PROVINCE)
    if not scope.branches:
        return "—"
    return "、".join(branch_names.get(code, code) for code in sorted(scope.branches))
