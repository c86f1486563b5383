"""The audit log is append-only for everyone, administrators included, and keeps who wrote
each entry after the user is gone (sqm.org.models.AuditLog, migrations 0002 and 0003)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from sqm.org.audit import record
from sqm.org.core.roles import Role
from sqm.org.models import AuditLog, AuditLogIsAppendOnly

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(cast: dict[str, Any]) -> AuditLog:
    record(cast["manager_a"], "phone.reveal", "complaint", "TT1", reason="回访")
    return AuditLog.objects.get()


def test_an_entry_keeps_its_actor_s_username_and_role_after_the_user_is_deleted(
    entry: AuditLog,
) -> None:
    assert (entry.actor_username, entry.actor_role) == ("manager_a", "branch_manager")
    get_user_model().objects.filter(username="manager_a").delete()
    kept = AuditLog.objects.get(pk=entry.pk)
    assert kept.actor is None
    assert (kept.actor_username, kept.actor_role) == ("manager_a", "branch_manager")
    assert kept.detail == {"reason": "回访"}


def test_a_superuser_without_a_profile_is_recorded_as_an_administrator(reference: None) -> None:
    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    record(root, "user.create", "user", "someone")
    assert AuditLog.objects.values_list("actor_username", "actor_role").get() == (
        "root",
        "administrator",
    )


def test_an_entry_cannot_be_changed_or_deleted_through_the_orm(entry: AuditLog) -> None:
    entry.detail = {"reason": "改过"}
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.filter(pk=entry.pk).update(action="nothing")
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.all().delete()
    with pytest.raises(AuditLogIsAppendOnly):
        AuditLog.objects.bulk_update([entry], ["detail"])
    assert AuditLog.objects.get().detail == {"reason": "回访"}


def test_the_admin_shows_entries_but_lets_no_superuser_change_or_delete_them(
    entry: AuditLog,
) -> None:
    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    client = Client()
    client.force_login(root)
    page = f"/admin/org/auditlog/{entry.pk}/change/"
    html = client.get(page).content.decode()
    assert "manager_a" in html and 'name="_save"' not in html
    client.post(page, {"action": "tampered", "detail": "{}"})
    assert client.get(f"/admin/org/auditlog/{entry.pk}/delete/").status_code == 403
    assert (
        client.post(f"/admin/org/auditlog/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    listing = client.get("/admin/org/auditlog/").content.decode()
    assert "delete_selected" not in listing
    client.post(
        "/admin/org/auditlog/",
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert AuditLog.objects.get().action == "phone.reveal"


@pytest.mark.postgres
def test_postgresql_refuses_a_raw_update_or_delete_of_an_entry(entry: AuditLog) -> None:
    for statement in (
        "UPDATE org_auditlog SET action = 'nothing' WHERE id = %s",
        "UPDATE org_auditlog SET actor_username = 'someone', actor_id = NULL WHERE id = %s",
        "DELETE FROM org_auditlog WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement, [entry.pk])
    kept = AuditLog.objects.get()
    assert (kept.action, kept.actor_username) == ("phone.reveal", "manager_a")


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_in_the_username_and_role_of_existing_entries(
    reference: None,
) -> None:
    from sqm.org.users import create_user

    handler = create_user("handler_x", Role.COMPLAINT_HANDLER, branch="NJ")
    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    executor = MigrationExecutor(connection)
    executor.migrate([("org", "0001_initial")])
    old = executor.loader.project_state([("org", "0001_initial")]).apps
    old_log = old.get_model("org", "AuditLog")
    for actor_id in (handler.pk, root.pk, None):
        old_log.objects.create(actor_id=actor_id, action="a", object_type="t", object_id="1")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = AuditLog.objects.order_by("id").values_list("actor_username", "actor_role")
    assert list(rows) == [
        ("handler_x", "complaint_handler"),
        ("root", "administrator"),
        ("", ""),
    ]
