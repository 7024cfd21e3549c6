from django.db import models


class SearchEntry(models.Model):
    """One published article as the search index sees it: its text and the same text as lemmas.

    Derived data, rebuilt by `manage.py rebuild_search_index`. The full-text structure lives beside
    it per database: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL
    (both made in migration 0001, kept in step by the database itself).
    """

    article_id = models.BigIntegerField("статья", primary_key=True)
    title = models.TextField("заголовок")
    lead = models.TextField("лид", blank=True)
    body = models.TextField("текст", blank=True)
    title_lemmas = models.TextField(blank=True)
    lead_lemmas = models.TextField(blank=True)
    body_lemmas = models.TextField(blank=True)
    rubric_id = models.BigIntegerField(null=True, db_index=True)
    story_id = models.BigIntegerField(null=True, db_index=True)
    published_at = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "search_entry"
        verbose_name = "запись поискового индекса"
        verbose_name_plural = "поисковый индекс"

    def __str__(self):
        return self.title
