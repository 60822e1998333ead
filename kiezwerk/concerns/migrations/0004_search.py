"""Full-text search over title and description: a GIN index on PostgreSQL, an FTS5 table on SQLite.

The expressions here and in concerns/search.py must stay identical.
"""

from django.db import migrations

from kiezwerk.concerns.search import SQLITE_TRIGGERS

SQLITE = [
    """CREATE VIRTUAL TABLE concerns_concern_fts USING fts5(
        title, description, content='concerns_concern', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    *SQLITE_TRIGGERS.values(),
    "INSERT INTO concerns_concern_fts(concerns_concern_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS concerns_concern_fts_insert",
    "DROP TRIGGER IF EXISTS concerns_concern_fts_delete",
    "DROP TRIGGER IF EXISTS concerns_concern_fts_update",
    "DROP TABLE IF EXISTS concerns_concern_fts",
]
POSTGRESQL = [
    "CREATE INDEX concern_search ON concerns_concern "
    "USING gin (to_tsvector('german'::regconfig, title || ' ' || description))",
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS concern_search"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("concerns", "0003_desk_fields")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        )
    ]
