"""The audit trail: one function writes it, and the one audited way to a full phone number."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sqm.org.core.masking import mask_phone
from sqm.org.core.roles import Role
from sqm.org.models import AuditLog
from sqm.org.scoping import scope_of

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


REVEAL = "phone.reveal"
REVEAL_DENIED = "phone.reveal_denied"
# Why a reveal was refused, as the denied entry records it.
DENIED_ROLE = "role"
DENIED_SCOPE = "scope"
DENIED_NO_REASON = "no_reason"
DENIED_LIMIT = "rate_limit"


class RevealReasonMissing(ValueError):
    """A full number is shown only to someone who says why."""


class RevealLimitReached(PermissionDenied):
    """More reveals in the last hour than ``settings.SQM_REVEALS_PER_HOUR`` allow."""


def _person(actor: Requester | None) -> Person | None:
    """The signed-in person behind ``actor``; None for the system (sweeps, imports) or an
    anonymous visitor, whose entries name nobody."""
    if actor is None or isinstance(actor, AnonymousUser) or not actor.is_authenticated:
        return None
    return actor


def _role_name(actor: Person) -> str:
    role = scope_of(actor).role
    if role is not None:
        return role.value
    # A superuser made with ``createsuperuser`` has no profile but administers.
    return Role.ADMINISTRATOR.value if getattr(actor, "is_superuser", False) else ""


def record(
    actor: Requester | None, action: str, object_type: str, object_id: object, **detail: Any
) -> None:
    """Append one entry. The actor's username and role are copied onto it, so the entry still
    says who did it after the user is renamed, changes role or is deleted."""
    person = _person(actor)
    AuditLog.objects.create(
        actor=person,
        actor_username=person.get_username() if person else "",
        actor_role=_role_name(person) if person else "",
        action=action,
        object_type=object_type,
        object_id=str(object_id)[:64],  # a requested id may be anything a client sent
        detail=detail,
    )


def reveal_denied(
    actor: Person, object_type: str, object_id: object, reason: str, why: str
) -> None:
    """Log a refused reveal (``why``: role, scope, no_reason, rate_limit)."""
    record(actor, REVEAL_DENIED, object_type, object_id, reason=(reason or "").strip(), refused=why)


def reveals_in_last_hour(actor: Person) -> int:
    since = timezone.now() - timedelta(hours=1)
    return AuditLog.objects.filter(actor_id=actor.pk, action=REVEAL, at__gte=since).count()


def reveal_phone(
    actor: Person, object_type: str, object_id: object, phone: str, reason: str
) -> str:
    """The full number, for a user whose role allows it, who says why, within the hourly
    limit; every reveal and every refusal is logged. The caller has already checked that the
    object is in the actor's scope (and logs ``DENIED_SCOPE`` when it is not)."""
    reason = (reason or "").strip()
    if not scope_of(actor).may_unmask:
        reveal_denied(actor, object_type, object_id, reason, DENIED_ROLE)
        raise PermissionDenied(_("你的角色不能查看完整号码"))
    if not reason:
        reveal_denied(actor, object_type, object_id, reason, DENIED_NO_REASON)
        raise RevealReasonMissing(_("查看完整号码须说明原因"))
    limit = int(settings.SQM_REVEALS_PER_HOUR)
    with transaction.atomic():
        # One user's reveals one at a time (their user row locked on PostgreSQL), so two
        # requests at once cannot both take the last reveal of the hour.
        users = get_user_model().objects.select_for_update().filter(pk=actor.pk)
        list(users.values_list("pk", flat=True))
        over = reveals_in_last_hour(actor) >= limit
        if not over:
            record(actor, REVEAL, object_type, object_id, reason=reason, shown=mask_phone(phone))
    if over:
        reveal_denied(actor, object_type, object_id, reason, DENIED_LIMIT)
        raise RevealLimitReached(
            _("一小时内最多查看 %(limit)d 个完整号码,请稍后再试") % {"limit": limit}
        )
    return phone
