"""PostgreSQL: a GIN-indexed tsvector of adjacent lemma pairs («красный линия» → `красныйъълиния`),
so a quoted two-word phrase is one index lookup instead of reading the position lists of every
article holding both words. SQLite needs nothing: FTS5 keeps positions in its index."""

from django.db import migrations

SEPARATOR = "ъъ"  # never inside a Russian word, so a pair is never mistaken for a word

FORWARD = [
    f"""CREATE FUNCTION search_word_pairs(lemmas text) RETURNS text[]
        LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_agg(word || '{SEPARATOR}' || next_word), '{{}}')
        FROM (SELECT word, lead(word) OVER (ORDER BY n) AS next_word
              FROM unnest(string_to_array(lemmas, ' ')) WITH ORDINALITY AS t(word, n)) pairs
        WHERE next_word IS NOT NULL AND word <> '' AND next_word <> '' $$""",
    """ALTER TABLE search_entry ADD COLUMN pairs tsvector GENERATED ALWAYS AS (array_to_tsvector(
        search_word_pairs(title_lemmas) || search_word_pairs(lead_lemmas)
        || search_word_pairs(body_lemmas))) STORED""",
    "CREATE INDEX search_entry_pairs ON search_entry USING GIN (pairs)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS search_entry_pairs",
    "ALTER TABLE search_entry DROP COLUMN IF EXISTS pairs",
    "DROP FUNCTION IF EXISTS search_word_pairs(text)",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_recency_key_facets")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
