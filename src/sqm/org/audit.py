"""The audit trail: one function writes it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from sqm.org.core.masking import mask_phone
from sqm.org.models import AuditLog
from sqm.org.scoping import scope_of


def record(actor: Any, action: str, object_type: str, object_id: object, **detail: Any) -> None:
    AuditLog.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        detail=detail,
    )


def reveal_phone(actor: Any, object_type: str, object_id: object, phone: str, reason: str) -> str:
    """The full number, for a user whose role allows it; every reveal is logged."""
    if not scope_of(actor).may_unmask:
        record(actor, "phone.reveal_denied", object_type, object_id, reason=reason)
        raise PermissionDenied("你的角色不能查看完整号码")
    record(actor, "phone.reveal", object_type, object_id, reason=reason, shown=mask_phone(phone))
    return phone
