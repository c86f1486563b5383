"""Reference rows from what callers pass: a model row or its code (forms pass rows, the
TMF621 API and the importer pass codes).

Rows found by code are cached per process (intake looks up three of them for every work
order): for ``CACHE_SECONDS``, and dropped whenever a branch, hall, tier or department is saved
or deleted in this process (``sqm org load`` saves them all).
"""

from __future__ import annotations

import threading
import time
from typing import Any, TypeVar, cast

from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext as _

from sqm.complaints.workflow.guard import WorkflowError
from sqm.org.models import Branch, CustomerTier, Department, Hall

M = TypeVar("M", bound=Model)
CACHE_SECONDS = 300.0
_cache: dict[tuple[type[Model], str], tuple[float, Model]] = {}
_lock = threading.Lock()


def _cached(model: type[M], code: str) -> M | None:
    now = time.monotonic()
    with _lock:
        hit = _cache.get((model, code))
    if hit is not None and now - hit[0] < CACHE_SECONDS:
        return cast("M | None", hit[1])
    row = model._default_manager.filter(code=code).first()
    if row is not None:
        with _lock:
            _cache[(model, code)] = (now, row)
    return row


def clear_cache(**_: Any) -> None:
    with _lock:
        _cache.clear()


def connect_signals() -> None:
    for model in (Branch, CustomerTier, Department, Hall):
        uid = f"complaints-references-{model.__name__}"
        post_save.connect(clear_cache, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(clear_cache, sender=model, dispatch_uid=f"{uid}-delete")


def _row(model: type[M], value: Any, label: str) -> M:
    if isinstance(value, model):
        return value
    code = str(value or "").strip()
    if not code:
        raise WorkflowError(_("请选择%(label)s") % {"label": label})
    row = _cached(model, code)
    if row is None:
        raise WorkflowError(_("未知的%(label)s代码「%(code)s」") % {"label": label, "code": code})
    return row


def resolve_branch(value: Any) -> Branch:
    return _row(Branch, value, "分公司")


def resolve_tier(value: Any) -> CustomerTier | None:
    if value is None or value == "":
        return None
    return _row(CustomerTier, value, "客户级别")


def resolve_hall(value: Any, branch: Branch) -> Hall | None:
    if value is None or value == "":
        return None
    hall = _row(Hall, value, "营业厅")
    if hall.branch_id != branch.pk:
        raise WorkflowError(
            _("营业厅「%(hall)s」不属于%(branch)s")
            % {"hall": hall.name_zh, "branch": branch.name_zh}
        )
    return hall


def resolve_department(value: Any, *, required: bool = False) -> Department | None:
    """A category's department by code; an unknown code leaves the work order unrouted
    unless the caller names the department explicitly (``required``)."""
    if isinstance(value, Department):
        return value
    code = str(value or "").strip()
    row = _cached(Department, code) if code else None
    if row is None and required:
        raise WorkflowError(_("未知的部门代码「%(code)s」") % {"code": code})
    return row
