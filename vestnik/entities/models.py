from django.db import models

from vestnik.news.models import ArticlePage


class Entity(models.Model):
    """A person, organisation or place, named in the nominative («Дмитрий Песков», «НАТО»)."""

    PERSON, ORGANISATION, LOCATION = "PER", "ORG", "LOC"
    KINDS = [(PERSON, "человек"), (ORGANISATION, "организация"), (LOCATION, "место")]

    kind = models.CharField("тип", max_length=3, choices=KINDS)
    name = models.CharField("имя", max_length=255)
    slug = models.SlugField("адрес", max_length=255, unique=True, allow_unicode=False)

    class Meta:
        verbose_name = "персона, организация или место"
        verbose_name_plural = "персоны, организации и места"
        constraints = [models.UniqueConstraint(fields=["kind", "name"], name="entity_kind_name")]

    def __str__(self):
        return self.name


class ArticleEntity(models.Model):
    """An entity found in an article: a suggestion until an editor accepts or rejects it.

    `mentions` counts the latest text (the draft the editor reviews); `live_mentions` the published
    text. Readers see accepted entities the published text mentions, so one found only in a draft
    never reaches the live page, whoever accepts it.
    """

    SUGGESTED, ACCEPTED, REJECTED = "suggested", "accepted", "rejected"
    STATUSES = [(SUGGESTED, "предложено"), (ACCEPTED, "принято"), (REJECTED, "отклонено")]

    article = models.ForeignKey(ArticlePage, on_delete=models.CASCADE, related_name="entity_links")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="article_links")
    status = models.CharField("решение", max_length=10, choices=STATUSES, default=SUGGESTED)
    mentions = models.PositiveIntegerField("упоминаний", default=1)
    live_mentions = models.PositiveIntegerField("упоминаний в опубликованной версии", default=0)

    class Meta:
        verbose_name = "упоминание"
        verbose_name_plural = "упоминания"
        constraints = [
            models.UniqueConstraint(fields=["article", "entity"], name="article_entity_once")
        ]
        indexes = [models.Index(fields=["entity", "status"], name="entity_status")]

    def __str__(self):
        return f"{self.entity} — {self.article_id}"
