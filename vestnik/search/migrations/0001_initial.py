from django.db import migrations, models

SQLITE_FORWARD = [
    # External-content FTS5 over search_entry, kept in step by triggers.
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title_lemmas, lead_lemmas, body_lemmas,
        content='search_entry', content_rowid='article_id',
        tokenize='unicode61 remove_diacritics 0')""",
    """CREATE TRIGGER search_entry_ai AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_fts(rowid, title_lemmas, lead_lemmas, body_lemmas)
        VALUES (new.article_id, new.title_lemmas, new.lead_lemmas, new.body_lemmas); END""",
    """CREATE TRIGGER search_entry_ad AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_lemmas, lead_lemmas, body_lemmas)
        VALUES ('delete', old.article_id, old.title_lemmas, old.lead_lemmas, old.body_lemmas); END""",
    """CREATE TRIGGER search_entry_au AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_fts(search_fts, rowid, title_lemmas, lead_lemmas, body_lemmas)
        VALUES ('delete', old.article_id, old.title_lemmas, old.lead_lemmas, old.body_lemmas);
        INSERT INTO search_fts(rowid, title_lemmas, lead_lemmas, body_lemmas)
        VALUES (new.article_id, new.title_lemmas, new.lead_lemmas, new.body_lemmas); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_au",
    "DROP TRIGGER IF EXISTS search_entry_ad",
    "DROP TRIGGER IF EXISTS search_entry_ai",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_FORWARD = [
    # 'simple' only lowercases: the lemmas are already made by pymorphy3.
    """ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', title_lemmas), 'A')
        || setweight(to_tsvector('simple', lead_lemmas), 'B')
        || setweight(to_tsvector('simple', body_lemmas), 'D')) STORED""",
    "CREATE INDEX search_entry_document ON search_entry USING GIN (document)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_document",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS document",
]


def _run(statements):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        for sql in statements.get(vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True
    dependencies: list = []

    operations = [
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                ("article_id", models.BigIntegerField(primary_key=True, serialize=False, verbose_name="статья")),
                ("title", models.TextField(verbose_name="заголовок")),
                ("lead", models.TextField(blank=True, verbose_name="лид")),
                ("body", models.TextField(blank=True, verbose_name="текст")),
                ("title_lemmas", models.TextField(blank=True)),
                ("lead_lemmas", models.TextField(blank=True)),
                ("body_lemmas", models.TextField(blank=True)),
                ("rubric_id", models.BigIntegerField(db_index=True, null=True)),
                ("story_id", models.BigIntegerField(db_index=True, null=True)),
                ("published_at", models.DateTimeField(db_index=True)),
            ],
            options={
                "verbose_name": "запись поискового индекса",
                "verbose_name_plural": "поисковый индекс",
                "db_table": "search_entry",
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
