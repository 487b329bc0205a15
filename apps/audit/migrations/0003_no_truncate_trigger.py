"""On PostgreSQL neither audit table can be emptied with TRUNCATE, which the row triggers of 0002 do not see.

A statement trigger on each table rejects it. `manage.py flush` (and so the test runner, which flushes between
transactional tests) still empties them: the audit app's flush command lifts these two triggers inside its own
transaction, which takes ALTER TABLE, a right whoever holds it could use to drop the triggers anyway."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_no_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log cannot be emptied: TRUNCATE of % rejected', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
CREATE TRIGGER audit_head_no_truncate BEFORE TRUNCATE ON audit_audithead
    FOR EACH STATEMENT EXECUTE FUNCTION audit_no_truncate();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_head_no_truncate ON audit_audithead;
DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;
DROP FUNCTION IF EXISTS audit_no_truncate();
"""


class PostgresRunSQL(migrations.RunSQL):
    """RunSQL on PostgreSQL, nothing on SQLite (which has no TRUNCATE)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_trigger")]
    operations = [PostgresRunSQL(CREATE, DROP)]
