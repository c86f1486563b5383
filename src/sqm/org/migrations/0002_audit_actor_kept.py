"""Audit entries keep their actor's username and role as written, filled in here for the
entries written before (from the user and profile they point at)."""

from __future__ import annotations

from typing import Any

from django.db import migrations, models


def fill_actor_names(apps: Any, schema_editor: Any) -> None:
    audit_log = apps.get_model("org", "AuditLog")
    profile = apps.get_model("org", "Profile")
    actors = audit_log.objects.exclude(actor=None).values_list("actor_id", flat=True).distinct()
    for actor_id in list(actors):
        entries = audit_log.objects.filter(actor_id=actor_id)
        first = entries.select_related("actor").first()
        user = first.actor
        row = profile.objects.filter(user_id=actor_id).values_list("role", flat=True).first()
        role = row or ("administrator" if user.is_superuser else "")
        entries.update(actor_username=user.username, actor_role=role)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditlog",
            name="actor_role",
            field=models.CharField(
                blank=True, default="", max_length=32, verbose_name="操作人角色"
            ),
        ),
        migrations.AddField(
            model_name="auditlog",
            name="actor_username",
            field=models.CharField(blank=True, default="", max_length=150, verbose_name="操作人"),
        ),
        migrations.RunPython(fill_actor_names, migrations.RunPython.noop, elidable=False),
    ]
