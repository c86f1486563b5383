"""Translatable labels for names that Django-free core modules spell in Chinese.

The computational cores (``org.core.roles``, ``events.core.schemas``) must not import Django, so
they cannot mark their Chinese labels for translation. The same strings are written out here as
literals — ``makemessages`` only extracts literals — and ``tests/web/test_labels.py`` fails when a
core label changes or appears without its twin here. At run time a label missing from this table
still goes through ``gettext``: it shows in Chinese until it is added, never as an error.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sqm.org.core.roles import ROLE_LABELS_ZH, Role, Scope

ROLE_LABELS: dict[Role, Any] = {
    Role.ADMINISTRATOR: _("系统管理员"),
    Role.ANALYST: _("品质分析员"),
    Role.BRANCH_MANAGER: _("分公司服务经理"),
    Role.DEPARTMENT_LIAISON: _("部门接口人"),
    Role.COMPLAINT_HANDLER: _("投诉处理员"),
    Role.SUPERVISOR: _("热线/营业厅班长"),
    Role.SPAM_REVIEWER: _("垃圾短信审核员"),
    Role.EXECUTIVE: _("公司领导"),
}

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
    return gettext(ROLE_LABELS_ZH[role])


def source_label(description_zh: str) -> str:
    return gettext(description_zh) if description_zh else ""


def scope_label(scope: Scope, branch_names: dict[str, str]) -> str:
    """``全省`` for province-wide roles, else the names of the branches the user may see."""
    if scope.branches is None:
        return str(WHOLE_PROVINCE)
    if not scope.branches:
        return "—"
    return "、".join(branch_names.get(code, code) for code in sorted(scope.branches))
