"""Indexes on Wagtail's page table for the admin at a large archive (issue 13 §6, bench/README.md
«Admin at 1,000,000 articles»).

- (depth, path): treebeard asks for a page's children as `depth = n AND path BETWEEN …` (the page
  chooser, `get_children`, the explorer's `child_of`) and for the root as `depth = 1 ORDER BY path`
  (`get_first_root_node`, on every site history report); Wagtail indexes `path` alone, so at
  1,000,000 pages these were scans of the whole table (0.2–0.4 s each).
- (depth, latest_revision_created_at DESC NULLS LAST), PostgreSQL only: the explorer's default
  order (Wagtail's `-latest_revision_created_at`, nulls last); without it listing a rubric of
  200,000 articles sorted them all for every page of 50 (0.25–0.45 s; with it 5–30 ms).
- (id::varchar(50)), PostgreSQL only: the admin page search joins Wagtail's search index on
  `object_id = page.id::varchar(50)`; without it the join hashes the whole page table (0.35–0.8 s
  per query, three queries per search).
"""

from django.db import migrations

DEPTH_PATH = "news_page_depth_path"
DEPTH_LATEST = "news_page_depth_latest"
ID_TEXT = "news_page_id_text"


def create(apps, schema_editor):
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{DEPTH_PATH}" ON "wagtailcore_page" ("depth", "path")'
    )
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{DEPTH_LATEST}" ON "wagtailcore_page"'
            ' ("depth", "latest_revision_created_at" DESC NULLS LAST)'
        )
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{ID_TEXT}" ON "wagtailcore_page" ((("id")::varchar(50)))'
        )


def drop(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX IF EXISTS "{DEPTH_PATH}"')
    schema_editor.execute(f'DROP INDEX IF EXISTS "{DEPTH_LATEST}"')
    schema_editor.execute(f'DROP INDEX IF EXISTS "{ID_TEXT}"')


class Migration(migrations.Migration):
    dependencies = [("news", "0003_delete_ratecounter")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
