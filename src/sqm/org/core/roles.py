"""Roles and the data scope each one grants — the one place that decides who sees what.

A scope is plain data so that the ORM layer (querysets) and the analytics layer (event-store
queries) apply the same rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqm.lib.choices import gettext_noop


class Role(StrEnum):
    ADMINISTRATOR = "administrator"
    ANALYST = "analyst"
    BRANCH_MANAGER = "branch_manager"
    DEPARTMENT_LIAISON = "department_liaison"
    COMPLAINT_HANDLER = "complaint_handler"
    SUPERVISOR = "supervisor"
    SPAM_REVIEWER = "spam_reviewer"
    EXECUTIVE = "executive"


# The one list of role names: sqm.org.choices.RoleChoices translates it for the pages.
ROLE_LABELS_ZH: dict[Role, str] = {
    Role.ADMINISTRATOR: gettext_noop("系统管理员"),
    Role.ANALYST: gettext_noop("品质分析员"),
    Role.BRANCH_MANAGER: gettext_noop("分公司服务经理"),
    Role.DEPARTMENT_LIAISON: gettext_noop("部门接口人"),
    Role.COMPLAINT_HANDLER: gettext_noop("投诉处理员"),
    Role.SUPERVISOR: gettext_noop("热线/营业厅班长"),
    Role.SPAM_REVIEWER: gettext_noop("垃圾短信审核员"),
    Role.EXECUTIVE: gettext_noop("公司领导"),
}

# Roles whose data is limited to their own branch when they have one.
_BRANCH_BOUND = {Role.BRANCH_MANAGER, Role.COMPLAINT_HANDLER, Role.SUPERVISOR}
# Roles allowed to see a customer's full phone number (every reveal is audited).
_MAY_UNMASK = {Role.ADMINISTRATOR, Role.COMPLAINT_HANDLER, Role.BRANCH_MANAGER}
_READ_ONLY = {Role.EXECUTIVE}


class ScopeError(ValueError):
    """A role that needs a branch or department was given none."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What one user may see. ``branches is None`` means every branch."""

    role: Role | None
    branches: frozenset[str] | None
    department: str | None
    may_unmask: bool
    read_only: bool

    @property
    def province_wide(self) -> bool:
        return self.branches is None

    def allows_branch(self, code: str | None) -> bool:
        return self.branches is None or (code is not None and code in self.branches)

    def restrict(self, requested: frozenset[str] | None) -> frozenset[str] | None:
        """The branches a query may touch: the request narrowed to the scope."""
        if self.branches is None:
            return requested
        return self.branches if requested is None else requested & self.branches


NOTHING = Scope(role=None, branches=frozenset(), department=None, may_unmask=False, read_only=True)


def scope_for(
    role: Role | None,
    branch: str | None,
    department: str | None,
    *,
    is_superuser: bool = False,
) -> Scope:
    if is_superuser:
        return Scope(Role.ADMINISTRATOR, None, None, may_unmask=True, read_only=False)
    if role is None:
        return NOTHING
    if role == Role.BRANCH_MANAGER and not branch:
        raise ScopeError("a branch manager needs a branch")
    if role == Role.DEPARTMENT_LIAISON and not department:
        raise ScopeError("a department liaison needs a department")
    branches = frozenset({branch}) if role in _BRANCH_BOUND and branch else None
    return Scope(
        role=role,
        branches=branches,
        department=department if role == Role.DEPARTMENT_LIAISON else None,
        may_unmask=role in _MAY_UNMASK,
        read_only=role in _READ_ONLY,
    )
