"""Problem groups (TMF656 problemGroup / problemUngroup) and removing a case opened by
mistake; the same locking, versioning and timeline as every case write (``cases``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from sqm.org.audit import record
from sqm.tracing.core.signals import SignalStatus
from sqm.tracing.models import TracingCase
from sqm.tracing.workflow.cases import OBJECT, Kind, commit, locked
from sqm.tracing.workflow.triage import TracingError

if TYPE_CHECKING:
    from sqm.lib.people import Person


def group(user: Person, parent: str, children: Iterable[str]) -> TracingCase:
    """Merge cases under ``parent`` (TMF656 problemGroup): each child keeps its record and
    points to the parent; a case cannot become its own ancestor."""
    with transaction.atomic():
        head = locked(user, parent)
        for number in children:
            child = locked(user, number)
            ancestor: TracingCase | None = head
            while ancestor is not None:
                if ancestor.pk == child.pk:
                    raise TracingError(_("溯源单 %(n)s 不能并入自己的下级") % {"n": number})
                ancestor = ancestor.parent
            child.parent = head
            commit(user, child, Kind.GROUPED, head.number)
        commit(user, head, Kind.GROUPED, "、".join(children))
    return head


def ungroup(user: Person, children: Iterable[str]) -> None:
    """Take cases out of their group (TMF656 problemUngroup)."""
    with transaction.atomic():
        for number in children:
            child = locked(user, number)
            if child.parent_id is None:
                raise TracingError(_("溯源单 %(n)s 不在任何问题组中") % {"n": number})
            parent = child.parent
            child.parent = None
            commit(user, child, Kind.UNGROUPED, str(parent))


def delete_case(user: Person, number: str, expected_version: int | None = None) -> None:
    """Remove a case opened by mistake; its signals go back to acknowledged."""
    with transaction.atomic():
        case = locked(user, number, expected_version)
        case.signals.update(status=SignalStatus.ACKNOWLEDGED.value, case=None)
        case.children.update(parent=None)
        record(user, "tracing.deleted", OBJECT, case.number, title=case.title)
        case.delete()
