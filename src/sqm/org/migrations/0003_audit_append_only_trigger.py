"""On PostgreSQL the database itself refuses to change or delete an audit entry, whatever the
client (psql, another application, a superuser's ORM call): a row trigger on UPDATE and DELETE.

The one update it lets through is the link to a user being deleted going NULL (the foreign
key's SET NULL) with every other column unchanged: the entry keeps the actor's username and
role (migration 0002). TRUNCATE is left to the database owner (test runs flush with it).
SQLite has no such clients beside SQM; the model refuses there (sqm.org.models.AuditLog).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION org_auditlog_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor_id IS NOT NULL AND NEW.actor_id IS NULL
       AND (to_jsonb(NEW) - 'actor_id') = (to_jsonb(OLD) - 'actor_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % of an entry refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER org_auditlog_append_only BEFORE UPDATE OR DELETE ON org_auditlog
    FOR EACH ROW EXECUTE FUNCTION org_auditlog_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS org_auditlog_append_only ON org_auditlog;
DROP FUNCTION IF EXISTS org_auditlog_append_only();
"""


class PostgresOnlySQL(migrations.RunSQL):
    """RunSQL that runs on PostgreSQL and is a no-op on other databases."""

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0002_audit_actor_kept"),
    ]

    operations = [PostgresOnlySQL(CREATE, DROP, elidable=False)]
