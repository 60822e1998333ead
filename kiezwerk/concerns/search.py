"""Full-text search over a concern's title and description, one function for both databases.

PostgreSQL: `to_tsvector('german', title || ' ' || description)` with a GIN index on exactly
that expression (migration 0004), written as a condition on the row so the index is used.
SQLite: the FTS5 table `concerns_concern_fts`, kept in step
with `concerns_concern` by triggers. Every word is a prefix match; all words must occur.
"""

import re

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

MAX_WORDS = 8

SQLITE_TRIGGERS = {
    "concerns_concern_fts_insert": """CREATE TRIGGER IF NOT EXISTS concerns_concern_fts_insert
        AFTER INSERT ON concerns_concern BEGIN
        INSERT INTO concerns_concern_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
    "concerns_concern_fts_delete": """CREATE TRIGGER IF NOT EXISTS concerns_concern_fts_delete
        AFTER DELETE ON concerns_concern BEGIN
        INSERT INTO concerns_concern_fts(concerns_concern_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    "concerns_concern_fts_update": """CREATE TRIGGER IF NOT EXISTS concerns_concern_fts_update
        AFTER UPDATE OF title, description ON concerns_concern BEGIN
        INSERT INTO concerns_concern_fts(concerns_concern_fts, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO concerns_concern_fts(rowid, title, description) VALUES (new.id, new.title, new.description);
    END""",
}


def words(text):
    return re.findall(r"\w+", text or "")[:MAX_WORDS]


def concern_search(queryset, text):
    """Filter a Concern queryset by search text; a number also matches the concern's id."""
    found = words(text)
    if not found:
        return queryset
    if connection.vendor == "postgresql":
        query = " & ".join(f"{word}:*" for word in found)
        # A condition on the row itself, with the GIN index's expression: the planner combines that
        # index with the district's indexes (an `id IN (subquery)` made it recompute every row).
        condition = Q(
            RawSQL(
                "to_tsvector('german'::regconfig, concerns_concern.title || ' ' || concerns_concern.description)"
                " @@ to_tsquery('german'::regconfig, %s)",
                [query],
                output_field=BooleanField(),
            )
        )
    else:
        query = " ".join('"{}"*'.format(word.replace('"', "")) for word in found)
        match = RawSQL("SELECT rowid FROM concerns_concern_fts WHERE concerns_concern_fts MATCH %s", [query])
        condition = Q(pk__in=match)
    if len(found) == 1 and found[0].isdigit():
        condition |= Q(pk=int(found[0]))
    return queryset.filter(condition)


def sqlite_ensure(using="default"):
    """Recreate the FTS triggers after SQLite rebuilt `concerns_concern` in a later migration.

    SQLite drops a table's triggers when Django remakes the table to alter it; when any were
    missing the index is rebuilt from the table. Called after every migrate.
    """
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite":
        return
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger') AND name LIKE 'concerns_concern%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if "concerns_concern_fts" not in present or "concerns_concern" not in present:
            return
        missing = [name for name in SQLITE_TRIGGERS if name not in present]
        for name in missing:
            cursor.execute(SQLITE_TRIGGERS[name])
        if missing:
            cursor.execute("INSERT INTO concerns_concern_fts(concerns_concern_fts) VALUES ('rebuild')")
