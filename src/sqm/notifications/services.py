"""The notifications app's service API: the only way pages, the CLI and other apps read and
change its records.

Other apps tell a person something with :func:`notify`; the pages read :func:`visible_notifications`
and :func:`unread_count`; ``sqm notify digest`` runs :func:`send_digests` once a day.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import partial
from typing import TYPE_CHECKING, Literal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise

from sqm.notifications import access, mail
from sqm.notifications.choices import KindChoices
from sqm.notifications.core.titles import Params, check, is_local_path
from sqm.notifications.models import Digest, MailPreference, Notification
from sqm.org.models import Branch

if TYPE_CHECKING:
    from sqm.lib.people import Person, Requester


log = logging.getLogger("sqm.notifications")

__all__ = [
    "KindChoices",
    "mail_preference",
    "mark_read",
    "notify",
    "send_digests",
    "set_mail_preference",
    "unread_count",
    "visible_notifications",
]


def notify(
    recipient: Person,
    kind: str,
    title: str | Promise,
    url: str,
    *,
    params: Params | None = None,
    branch: Branch | str | None = None,
    key: str | None = None,
    email: bool = True,
) -> Notification | None:
    """Tell ``recipient`` (a user) something, once.

    - ``kind``: a ``KindChoices`` value (assignment, due_soon, overdue, escalated, verified,
      general).
    - ``title``: the Chinese message id, marked for translation where it is written —
      ``gettext_noop("督办事项 %(number)s 已超期")`` — with its values in ``params``; it renders
      in the reader's language when read. A ``gettext_lazy`` text is taken in the source
      language. Text that has no translation shows as given.
    - ``url``: a path inside SQM (``/improvement/actions/12/``).
    - ``branch``: the branch (row or code) whose data the notification speaks of; None for the
      province's. A recipient whose scope does not include it is not notified: the call logs
      the reason and returns None, so a sweep carries on with the next person.
    - ``key``: the event's identity (``"action:12:overdue"``): a second call with the same key
      for the same recipient creates nothing and returns the first notification.
    - ``email``: also mail it at once, after the caller's transaction commits, if the
      recipient has an address and wants immediate mail.

    Raises ValueError for an unknown kind, a link outside SQM, a title its params do not fill
    or an unknown branch code.
    """
    params = dict(params or {})
    if kind not in KindChoices.values:
        raise ValueError(f"unknown notification kind {kind!r}; known: {list(KindChoices.values)}")
    if not is_local_path(url):
        raise ValueError(f"a notification links inside SQM (a path such as /x/1/), got {url!r}")
    if isinstance(title, Promise):
        with translation.override(settings.LANGUAGE_CODE):
            title = str(title)
    check(title, params)
    if key is not None and not key.strip():
        raise ValueError("a dedupe key may not be blank: pass None for no key")
    branch_row = _branch(branch)
    row = Notification(
        recipient=recipient,
        kind=kind,
        title=title,
        params=params,
        url=url,
        branch=branch_row,
        key=key or "",
    )
    if not access.may_receive(recipient, branch_row):
        log.warning(
            "notification dropped: %s may not see branch %s (%s %r)",
            getattr(recipient, "username", recipient),
            branch_row.code if branch_row else "-",
            kind,
            title,
        )
        return None
    if key:
        existing = Notification.objects.filter(recipient=recipient, key=key).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:  # another process notified the same event meanwhile
            return Notification.objects.get(recipient=recipient, key=key)
    else:
        row.save()
    if email and recipient.email and mail_preference(recipient).immediate:
        transaction.on_commit(partial(_mail_now, row.pk))
    return row


def _branch(branch: Branch | str | None) -> Branch | None:
    if branch is None or isinstance(branch, Branch):
        return branch
    try:
        return Branch.objects.get(code=branch)
    except Branch.DoesNotExist:
        raise ValueError(f"unknown branch {branch!r}") from None


def _mail_now(pk: int) -> None:
    # After the commit: a failed mail must not undo the step that caused it; the notification
    # stays in the app and in the day's digest.
    row = Notification.objects.select_related("recipient").filter(pk=pk).first()
    if row is None or row.emailed_at is not None:
        return
    try:
        mail.send_one(row)
    except Exception:
        log.exception("notification %s: the mail to %s failed", pk, row.recipient.email)
        return
    Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())


def visible_notifications(user: Requester) -> QuerySet[Notification]:
    """The user's own notifications that their current scope still allows, newest first."""
    return access.visible(user).select_related("branch")


def unread_count(user: Requester) -> int:
    return visible_notifications(user).filter(read_at__isnull=True).count()


def mark_read(user: Requester, ids: Iterable[int] | Literal["all"]) -> int:
    """Mark the user's notifications read (the given ids, or all); returns how many changed.
    Ids that are not the user's (or not visible to them) are ignored."""
    rows = visible_notifications(user).filter(read_at__isnull=True)
    if ids != "all":
        rows = rows.filter(pk__in=list(ids))
    return Notification.objects.filter(pk__in=list(rows.values_list("pk", flat=True))).update(
        read_at=timezone.now()
    )


def mail_preference(user: Person) -> MailPreference:
    """The user's mail settings (unsaved defaults when they never chose)."""
    found = MailPreference.objects.filter(user=user).first()
    return found or MailPreference(user=user)


def set_mail_preference(user: Person, *, immediate: bool, digest: bool) -> MailPreference:
    preference, _ = MailPreference.objects.update_or_create(
        user=user, defaults={"immediate": immediate, "digest": digest}
    )
    return preference


def _end_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def send_digests(day: date) -> dict[str, int]:
    """Mail each person the digest of ``day``: their unread notifications created up to the
    end of that day (local time) and in no earlier digest. Once per person per day — a
    re-run sends nothing new (the ``Digest`` record); people without an address, who turned
    the digest off or have nothing unread get none. Returns how many were
    ``sent``, ``already`` sent, ``failed`` (nothing recorded: a re-run retries) and ``empty``."""
    counts = {"sent": 0, "already": 0, "failed": 0, "empty": 0}
    candidates = (
        Notification.objects.filter(
            read_at__isnull=True, digest__isnull=True, created_at__lt=_end_of(day)
        )
        .exclude(recipient__email="")
        .values_list("recipient", flat=True)
        .distinct()
    )
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(pk__in=list(candidates), is_active=True)
    for user in users.order_by("pk"):
        if not mail_preference(user).digest:
            continue
        if Digest.objects.filter(recipient=user, day=day).exists():
            counts["already"] += 1
            continue
        counts[_send_digest(user, day)] += 1
    return counts


def _send_digest(user: Person, day: date) -> str:
    items = list(
        visible_notifications(user).filter(
            read_at__isnull=True, digest__isnull=True, created_at__lt=_end_of(day)
        )
    )
    if not items:
        return "empty"  # what is left is another branch's, which they may no longer read
    try:
        with transaction.atomic():
            record = Digest.objects.create(recipient=user, day=day, count=len(items))
            Notification.objects.filter(pk__in=[n.pk for n in items]).update(digest=record)
            mail.send_digest(user, day.isoformat(), items)
    except IntegrityError:  # a concurrent run sent it
        return "already"
    except Exception:
        log.exception("digest %s for %s failed; nothing recorded, a re-run retries", day, user)
        return "failed"
    return "sent"
