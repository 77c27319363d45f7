"""On PostgreSQL, refuse UPDATE and DELETE of audit entries in the database
itself, whoever the client is. Other databases rely on the ORM guards.

A deliberate repair (never in normal operation) needs the table owner to run
``ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only``.
"""

from django.db import migrations

CREATE = ["""
CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '留痕记录只能追加，不能修改或删除（%）', TG_OP
        USING ERRCODE = 'raise_exception', HINT = 'audit_auditentry is append-only';
END;
$$ LANGUAGE plpgsql
""", "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry", """
CREATE TRIGGER audit_entry_append_only
    BEFORE UPDATE OR DELETE ON audit_auditentry
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()
"""]

DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_append_only()",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in CREATE:
            schema_editor.execute(sql, params=None)  # None: the % in the message is not a placeholder


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in DROP:
            schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
