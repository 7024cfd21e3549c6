from django.db import models

from .keys import facet_tokens, recency_key


class SearchEntry(models.Model):
    """One published article as the search index sees it: its text and the same text as lemmas.

    Derived data, rebuilt by `manage.py rebuild_search_index`. The full-text structure lives beside
    it per database: an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL
    (made in migrations 0001/0002, kept in step by the database itself).
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
    # Derived from the fields above by `keys` (see there): the FTS5 rowid and the filter words.
    recency_key = models.BigIntegerField(unique=True)
    facets = models.TextField(blank=True)

    class Meta:
        db_table = "search_entry"
        verbose_name = "запись поискового индекса"
        verbose_name_plural = "поисковый индекс"

    def __str__(self):
        return self.title

    def fill_keys(self) -> "SearchEntry":
        self.recency_key = recency_key(self.published_at, self.article_id)
        self.facets = facet_tokens(self.rubric_id, self.story_id, self.published_at)
        return self
