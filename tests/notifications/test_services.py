from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from sqm.notifications import services
from sqm.notifications.choices import KindChoices
from sqm.notifications.models import Digest, Notification
from sqm.org.models import Branch, Profile

pytestmark = pytest.mark.django_db

TITLE = "督办事项 %(number)s 已超期"


def test_a_notification_reaches_its_recipient_and_counts_as_unread(people: dict[str, Any]) -> None:
    manager = people["manager_a"]
    made = services.notify(
        manager,
        KindChoices.OVERDUE,
        TITLE,
        "/improvement/actions/1/",
        params={"number": "DB-1"},
        branch="NJ",
    )
    assert made is not None and made.text == "督办事项 DB-1 已超期"
    assert list(services.visible_notifications(manager)) == [made]
    assert services.unread_count(manager) == 1
    assert services.unread_count(people["manager_b"]) == 0


def test_the_same_key_notifies_once(people: dict[str, Any]) -> None:
    manager = people["manager_a"]
    first = services.notify(manager, "overdue", TITLE, "/x/1/", params={"number": "1"}, key="a:1")
    second = services.notify(manager, "overdue", TITLE, "/x/1/", params={"number": "1"}, key="a:1")
    assert first is not None and second is not None and first.pk == second.pk
    assert Notification.objects.filter(recipient=manager).count() == 1


def test_the_same_key_still_notifies_each_recipient(people: dict[str, Any]) -> None:
    for name in ("analyst", "manager_a"):
        services.notify(people[name], "assignment", "新任务", "/x/1/", key="a:1:assigned")
    assert Notification.objects.filter(key="a:1:assigned").count() == 2


def test_a_recipient_outside_the_branch_is_not_notified_and_the_reason_is_logged(
    people: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="sqm.notifications"):
        made = services.notify(
            people["manager_b"], "overdue", "南京的事项超期", "/x/1/", branch="NJ"
        )
    assert made is None
    assert not Notification.objects.filter(recipient=people["manager_b"]).exists()
    assert "may not see branch NJ" in caplog.text


def test_province_wide_people_are_notified_about_any_branch(people: dict[str, Any]) -> None:
    for name in ("analyst", "liaison", "executive", "admin"):
        assert services.notify(people[name], "general", "南京", "/x/", branch="NJ") is not None


def test_a_user_without_a_role_or_inactive_is_not_notified(people: dict[str, Any]) -> None:
    manager = people["manager_a"]
    manager.is_active = False
    manager.save()
    assert services.notify(manager, "general", "通知", "/x/") is None


def test_a_manager_moved_to_another_branch_no_longer_sees_the_old_branchs_notifications(
    people: dict[str, Any],
) -> None:
    manager = people["manager_a"]
    services.notify(manager, "overdue", "南京的事项", "/x/1/", branch="NJ")
    services.notify(manager, "general", "全省通知", "/x/2/")
    Profile.objects.filter(user=manager).update(branch=Branch.objects.get(code="WX"))
    manager.refresh_from_db()
    manager.__dict__.pop("_sqm_scope", None)
    assert [n.title for n in services.visible_notifications(manager)] == ["全省通知"]
    assert services.unread_count(manager) == 1
    assert services.mark_read(manager, "all") == 1
    assert Notification.objects.get(title="南京的事项").read_at is None


@pytest.mark.parametrize(
    ("kind", "url", "title", "message"),
    [
        ("birthday", "/x/", "标题", "unknown notification kind"),
        ("general", "https://evil.example/", "标题", "links inside SQM"),
        ("general", "/x/", "%(missing)s", "does not render"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(
    people: dict[str, Any], kind: str, url: str, title: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        services.notify(people["analyst"], kind, title, url)
    assert not Notification.objects.exists()


def test_an_unknown_branch_code_is_refused(people: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="unknown branch"):
        services.notify(people["analyst"], "general", "标题", "/x/", branch="XX")


def test_the_title_renders_in_the_readers_language(people: dict[str, Any]) -> None:
    made = services.notify(people["analyst"], "verified", gettext_lazy("首页"), "/x/")
    assert made is not None and made.title == "首页"
    with translation.override("en"):
        assert made.text == "Home"
        assert made.kind_label == "Verified"


def test_mark_read_touches_only_the_users_own_notifications(people: dict[str, Any]) -> None:
    mine = services.notify(people["manager_a"], "general", "甲", "/x/")
    theirs = services.notify(people["manager_b"], "general", "乙", "/x/")
    assert mine is not None and theirs is not None
    assert services.mark_read(people["manager_a"], [mine.pk, theirs.pk]) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert services.unread_count(people["manager_a"]) == 0
    assert services.mark_read(people["manager_a"], [mine.pk]) == 0


def test_an_immediate_mail_goes_out_once_the_callers_transaction_commits(
    mailed: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        made = services.notify(
            mailed["manager_a"],
            "overdue",
            TITLE,
            "/improvement/actions/7/",
            params={"number": "DB-7"},
            branch="NJ",
            key="k",
        )
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["manager_a@example.cn"]
    assert "督办事项 DB-7 已超期" in message.subject
    assert "https://sqm.example.cn/improvement/actions/7/" in message.body
    assert made is not None
    made.refresh_from_db()
    assert made.emailed_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            mailed["manager_a"], "overdue", TITLE, "/x/", params={"number": "DB-7"}, key="k"
        )
    assert len(mail.outbox) == 1


def test_no_immediate_mail_when_unwanted_or_without_an_address(
    mailed: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    services.set_mail_preference(mailed["analyst"], immediate=False, digest=True)
    mailed["manager_b"].email = ""
    mailed["manager_b"].save()
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(mailed["analyst"], "general", "甲", "/x/")
        services.notify(mailed["manager_b"], "general", "乙", "/x/")
        services.notify(mailed["manager_a"], "general", "丙", "/x/", email=False)
    assert mail.outbox == []


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def _notify_at(user: Any, title: str, moment: datetime, **kwargs: Any) -> Notification:
    made = services.notify(user, "general", title, "/x/", email=False, **kwargs)
    assert made is not None
    Notification.objects.filter(pk=made.pk).update(created_at=moment)
    return made


def test_the_digest_is_sent_once_per_person_per_day(mailed: dict[str, Any]) -> None:
    day = date(2026, 12, 1)
    _notify_at(mailed["manager_a"], "甲一", _at(day, 9))
    _notify_at(mailed["manager_a"], "甲二", _at(day, 17))
    _notify_at(mailed["analyst"], "分析", _at(day, 10))
    _notify_at(mailed["manager_b"], "明天的", _at(day + timedelta(days=1), 9))
    first = services.send_digests(day)
    assert first["sent"] == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"manager_a@example.cn", "analyst@example.cn"}
    assert "甲一" in by_recipient["manager_a@example.cn"].body
    assert "甲二" in by_recipient["manager_a@example.cn"].body
    assert "2 条未读" in by_recipient["manager_a@example.cn"].subject
    again = services.send_digests(day)
    assert again["sent"] == 0
    assert len(mail.outbox) == 2


def test_a_notification_is_in_one_digest_only_and_read_ones_in_none(mailed: dict[str, Any]) -> None:
    day = date(2026, 12, 1)
    _notify_at(mailed["manager_a"], "第一天", _at(day, 9))
    read = _notify_at(mailed["manager_a"], "已读", _at(day, 10))
    services.mark_read(mailed["manager_a"], [read.pk])
    services.send_digests(day)
    _notify_at(mailed["manager_a"], "第二天", _at(day + timedelta(days=1), 9))
    services.send_digests(day + timedelta(days=1))
    first, second = (m.body for m in mail.outbox)
    assert "第一天" in first and "已读" not in first
    assert "第二天" in second and "第一天" not in second


def test_no_digest_for_people_who_turned_it_off(mailed: dict[str, Any]) -> None:
    day = date(2026, 12, 1)
    services.set_mail_preference(mailed["manager_a"], immediate=True, digest=False)
    _notify_at(mailed["manager_a"], "甲", _at(day, 9))
    assert services.send_digests(day)["sent"] == 0
    assert mail.outbox == []


def test_a_digest_holds_no_notification_of_a_branch_out_of_scope(mailed: dict[str, Any]) -> None:
    day = date(2026, 12, 1)
    manager = mailed["manager_a"]
    _notify_at(manager, "南京的事项", _at(day, 9), branch="NJ")
    _notify_at(manager, "全省的事项", _at(day, 10))
    Profile.objects.filter(user=manager).update(branch=Branch.objects.get(code="WX"))
    services.send_digests(day)
    (message,) = mail.outbox
    assert "全省的事项" in message.body and "南京的事项" not in message.body


def test_a_notification_after_the_days_digest_waits_for_the_next_days(
    mailed: dict[str, Any],
) -> None:
    day = date(2026, 12, 1)
    _notify_at(mailed["manager_a"], "上午", _at(day, 9))
    assert services.send_digests(day)["sent"] == 1
    _notify_at(mailed["manager_a"], "晚上", _at(day, 21))
    assert services.send_digests(day) == {"sent": 0, "already": 1, "failed": 0, "empty": 0}
    assert services.send_digests(day + timedelta(days=1))["sent"] == 1
    assert "晚上" in mail.outbox[-1].body and "上午" not in mail.outbox[-1].body


def test_a_failed_digest_mail_records_nothing_and_the_rerun_sends_it(
    mailed: dict[str, Any], settings: Any
) -> None:
    day = date(2026, 12, 1)
    _notify_at(mailed["manager_a"], "甲", _at(day, 9))
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens: refused
    assert services.send_digests(day)["failed"] == 1
    assert not Digest.objects.exists()
    assert Notification.objects.get(title="甲").digest is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_digests(day)["sent"] == 1
