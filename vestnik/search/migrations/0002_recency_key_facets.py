"""The FTS5 rowid becomes `recency_key` (sorts like published_at) and gains a `facets` column
(filters as words); PostgreSQL gains `head`, a small tsvector of title and lead to rank with, and
keeps long text out of line so scanning the matches reads a narrow table."""

from importlib import import_module

from django.db import migrations, models

from vestnik.search.keys import facet_tokens, recency_key

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
COLUMNS = "title_lemmas, lead_lemmas, body_lemmas, facets"
OLD = ", ".join(f"old.{c}" for c in COLUMNS.split(", "))
NEW = ", ".join(f"new.{c}" for c in COLUMNS.split(", "))
SQLITE_CREATE = [
    # External content: rowid = search_entry.recency_key, so ORDER BY rowid DESC is newest first.
    f"""CREATE VIRTUAL TABLE search_fts USING fts5(
        {COLUMNS},
        content='search_entry', content_rowid='recency_key',
        tokenize='unicode61 remove_diacritics 0')""",
    f"""CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.recency_key, {NEW}); END""",
    f"""CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.recency_key, {OLD}); END""",
    f"""CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.recency_key, {OLD});
        INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.recency_key, {NEW}); END""",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
SQLITE_OLD = [
    *import_module("vestnik.search.migrations.0001_initial").SQLITE_FORWARD,
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
]
POSTGRES_FORWARD = [
    """ALTER TABLE search_entry ADD COLUMN head tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_lemmas), 'A')
        || setweight(to_tsvector('simple', lead_lemmas), 'B')) STORED""",
    # head stays in the row; text, lemmas and document go out of line (rows written from now on;
    # rebuild_search_index rewrites them all).
    "ALTER TABLE search_entry ALTER COLUMN head SET STORAGE MAIN",
    "ALTER TABLE search_entry SET (toast_tuple_target = 128)",
]
POSTGRES_BACKWARD = [
    "ALTER TABLE search_entry RESET (toast_tuple_target)",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS head",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


def fill_keys(apps, schema_editor):
    SearchEntry = apps.get_model("search", "SearchEntry")
    for entry in SearchEntry.objects.all().iterator():
        entry.recency_key = recency_key(entry.published_at, entry.article_id)
        entry.facets = facet_tokens(entry.rubric_id, entry.story_id, entry.published_at)
        entry.save(update_fields=["recency_key", "facets"])


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        # The old FTS table and its triggers go first: the fields below may remake the table.
        migrations.RunPython(_run({"sqlite": SQLITE_DROP}), _run({"sqlite": SQLITE_OLD})),
        migrations.AddField("searchentry", "recency_key", models.BigIntegerField(null=True)),
        migrations.AddField("searchentry", "facets", models.TextField(blank=True, default="")),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        migrations.AlterField("searchentry", "recency_key", models.BigIntegerField(unique=True)),
        migrations.AlterField("searchentry", "facets", models.TextField(blank=True)),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
