"""The one access mechanism: may this user take this action, and on which rows.

Every app states its rule as data — a :class:`Policy` naming the roles that may take each
action and how its rows belong to a branch (or a department) — and asks here. Nothing else in
SQM looks up a user's role or filters rows by branch for access. (NetBox's
``RestrictedQuerySet.restrict(user, action)`` is the model: models that opt in get
``Model.objects.restrict(user, "view")``.)

- A user's role comes from their profile; a superuser made with ``createsuperuser`` has no
  profile but administers (``sqm.org.core.roles.scope_for``).
- Read-only roles (executives) never take an action the policy lists in ``writes``.
- Branch-bound users see the rows of their branch; a department liaison sees the rows of
  their department where the policy says how rows belong to departments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

from sqm.org.core.roles import Role
from sqm.org.scoping import scope_of, scoped

if TYPE_CHECKING:
    from sqm.lib.people import Requester


M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class Policy:
    """Who may take each action on one kind of row, and how such a row belongs to a unit."""

    actions: Mapping[str, frozenset[Role]]
    writes: frozenset[str] = frozenset()
    branch_field: str | None = "branch__code"  # None: rows belong to the whole province
    # Liaisons see only the rows of their department: the fields naming a department (any
    # of them). Without any, a liaison's scope is the province's.
    department_fields: tuple[str, ...] = ()
    # The branch or department fields go through a to-many link (a case on several branches):
    # rows are filtered through a subquery, so each stays one row.
    to_many: bool = False

    def roles(self, action: str) -> frozenset[Role]:
        try:
            return self.actions[action]
        except KeyError:
            known = sorted(self.actions)
            raise ValueError(f"unknown action {action!r}; the policy has {known}") from None


def role_of(user: Requester) -> Role | None:
    """The user's role, or None for anonymous, inactive and role-less users."""
    return scope_of(user).role


def may(user: Requester, policy: Policy, action: str) -> bool:
    """Whether the user may take ``action`` at all (on some row)."""
    role = role_of(user)
    if role is None or role not in policy.roles(action):
        return False
    return not (action in policy.writes and scope_of(user).read_only)


def restrict(
    queryset: QuerySet[M], user: Requester, policy: Policy, action: str = "view"
) -> QuerySet[M]:
    """The rows of ``queryset`` on which the user may take ``action``."""
    if not may(user, policy, action):
        return queryset.none()
    scope = scope_of(user)
    if scope.role == Role.DEPARTMENT_LIAISON and policy.department_fields:
        if not scope.department:
            return queryset.none()
        involved = Q()
        for name in policy.department_fields:
            involved |= Q(**{name: scope.department})
        return _through(queryset, queryset.filter(involved), policy)
    if policy.branch_field is None or scope.province_wide:
        return queryset
    return _through(queryset, scoped(queryset, user, policy.branch_field), policy)


def _through(queryset: QuerySet[M], filtered: QuerySet[M], policy: Policy) -> QuerySet[M]:
    # Through a subquery, not .distinct(): callers may still order, annotate and slice freely.
    return queryset.filter(pk__in=filtered.values("pk")) if policy.to_many else filtered


def allows(user: Requester, policy: Policy, action: str, row: Any) -> bool:
    """``restrict`` for one row in memory (e.g. before a change is saved)."""
    if not may(user, policy, action):
        return False
    scope = scope_of(user)
    if scope.role == Role.DEPARTMENT_LIAISON and policy.department_fields:
        return scope.department is not None and any(
            scope.department in _follow(row, name) for name in policy.department_fields
        )
    if policy.branch_field is None or scope.province_wide:
        return True
    return any(scope.allows_branch(code) for code in _follow(row, policy.branch_field))


def _follow(row: Any, path: str) -> set[Any]:
    """``branch__code`` on a row in memory: ``{row.branch.code}``; through a to-many link
    (``branches__code``) every code; empty where a link is empty. The rows on the way are kept
    in a list, not a set: an unsaved row cannot be hashed, and has no to-many links yet."""
    values: list[Any] = [row]
    for name in path.split("__"):
        found: list[Any] = []
        for value in values:
            attribute = getattr(value, name, None)
            if attribute is None:
                continue
            if hasattr(attribute, "all") and callable(attribute.all):  # a related manager
                if getattr(value, "pk", None) is not None:
                    found.extend(attribute.all())
            else:
                found.append(attribute)
        values = found
    return set(values)


class RestrictedQuerySet(QuerySet[M], Generic[M]):
    """``Model.objects.restrict(user, action)`` for models that declare ``access_policy``."""

    def restrict(self, user: Requester, action: str = "view") -> QuerySet[M]:
        policy: Policy = getattr(self.model, "access_policy")  # noqa: B009 (declared per model)
        return restrict(self, user, policy, action)
